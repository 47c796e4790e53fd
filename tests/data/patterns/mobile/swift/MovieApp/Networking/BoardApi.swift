import Moya

// A Moya target with a path and no method of its own: GET, its protocol's default (another file).
enum BoardApi {
    case ping
    case register(key: String)
}

extension BoardApi: BoardTargetType {
    var path: String {
        switch self {
        case .ping:
            return "/ping"
        case .register:
            return "/register"
        }
    }

    var task: Task { .requestPlain }
}
