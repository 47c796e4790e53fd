import Moya

// The app's own refinement of Moya's TargetType gives every target its method by default.
protocol BoardTargetType: TargetType {}

extension BoardTargetType {
    var baseURL: URL { URL(string: "https://board.example.org")! }

    var method: Moya.Method {
        return .get
    }

    var headers: [String: String]? { nil }
}
