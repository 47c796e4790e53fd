import Foundation

enum Config {
    static let baseURL = "https://api.movies.io/v1"
}

enum MovieEndpoint {
    case popular(page: Int)
    case details(id: Int)
    case rate(id: Int, value: Double)
    case search

    var path: String {
        switch self {
        case .popular:
            return "/movie/popular"
        case .details(let id):
            return "/movie/\(id)"
        case .rate(let id, _):
            return "/movie/\(id)/rating"
        default:
            return "/search/movie"
        }
    }

    var method: HTTPMethod {
        switch self {
        case .rate: return .post
        default: return .get
        }
    }
}

enum GitHub {
    case zen
    case userProfile(String)
}

extension GitHub: TargetType {
    var baseURL: URL { URL(string: "https://api.github.com")! }
    var path: String {
        switch self {
        case .zen:
            return "/zen"
        case .userProfile(let name):
            return "/users/\(name)"
        }
    }
    var method: Moya.Method { .get }
}

struct Endpoint {
    let path: String
    let method: HTTPMethod

    static let trending = Endpoint(path: "3/trending/movie/day", method: .get)
    static let account = Endpoint(path: "3/account", method: .post)
}
