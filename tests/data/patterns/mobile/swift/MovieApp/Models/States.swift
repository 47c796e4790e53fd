import SwiftUI

enum LoadingState {
    case idle, loading
    case loaded([Movie])
    case failed(Error)
}

enum Tab {
    case home, search, profile
}

enum Theme {
    case light, dark
}

enum APIError: Error {
    case badStatus(Int)
    case decoding
}

enum Remote<Value> {
    case idle
    case loaded(Value)
}

final class MovieListModel: ObservableObject {
    @Published private(set) var state: LoadingState = .idle
    @Published var genres: Remote<[String]> = .idle  // a generic enum holds itself
}

struct RootView: View {
    @State private var selected: Tab = .home
    var body: some View { Text("root") }
}
