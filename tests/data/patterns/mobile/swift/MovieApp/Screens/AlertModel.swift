import Combine

protocol UserAlert {
    var title: String { get }
}

enum SaveAlert: UserAlert {
    case failed, conflict

    var title: String { "save" }
}

// The annotation says what is held: any UserAlert (a protocol), not the enum of its first value.
final class AlertModel: ObservableObject {
    @Published var alert: UserAlert = SaveAlert.failed
}
