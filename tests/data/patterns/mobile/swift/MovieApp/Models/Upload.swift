import Foundation

// The app's own value box (MVVM without Combine): a value held in it is state.
final class Observable<Value> {
  var value: Value {
    didSet { listener?(value) }
  }
  private var listener: ((Value) -> Void)?

  init(_ value: Value) {
    self.value = value
  }
}

enum UploadStatus {
  case idle
  case uploading
  case done
}

final class UploadViewModel {
  let status: Observable<UploadStatus> = Observable(.idle)

  func start() {
    status.value = .uploading
  }
}
