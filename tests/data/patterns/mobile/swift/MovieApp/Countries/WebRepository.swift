import Foundation

// A protocol's requirements are not endpoint paths, and the enum they name is not state.
protocol APICall {
    var path: String { get }
    var method: HTTPVerb { get }
    var headers: [String: String]? { get set }
}

enum HTTPVerb: String {
    case get = "GET"
    case post = "POST"
}

extension APICall {
    // A generic request builder: the URL is made of variables only.
    func urlRequest(baseURL: String) throws -> URLRequest {
        guard let url = URL(string: baseURL + path) else { throw URLError(.badURL) }
        var request = URLRequest(url: url)
        request.httpMethod = method.rawValue
        return request
    }
}

struct CountriesRepository {
    enum API {
        case all
        case byCode(code: String)
    }
}

// The endpoint enum gets its path and method in an extension of its qualified name.
extension CountriesRepository.API: APICall {
    var path: String {
        switch self {
        case .all:
            return "/v2/all"
        case let .byCode(code):
            return "/v2/alpha/\(code)"
        }
    }
    var method: HTTPVerb {
        switch self {
        case .all, .byCode:
            return .get
        }
    }
    var headers: [String: String]? {
        get { nil }
        set {}
    }
}

// A binding box of the MVVM kind holds the state.
final class Box<Value> {
    var value: Value
    init(_ value: Value) { self.value = value }
}

enum ListLoading {
    case fullScreen
    case nextPage
}

final class CountriesListModel {
    let loading: Box<ListLoading?> = Box(.none)
}
