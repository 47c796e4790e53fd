import Foundation

protocol ArchiveRequest {
    func method() -> HTTPVerb
    func endpoint() -> String
}

enum HTTPVerb: String {
    case get = "GET", post = "POST", delete = "DELETE"
}

// Endpoint enums whose path comes from `func endpoint() -> String`: one switching over the cases,
// one with a single case whose path and method are single values.
enum ArchiveEndpoint: ArchiveRequest {
    case list(page: Int)
    case remove(id: Int)

    func method() -> HTTPVerb {
        switch self {
        case .list: .get
        case .remove: .delete
        }
    }

    func endpoint() -> String {
        switch self {
        case .list:
            return "/archive/items"
        case let .remove(id):
            return "/archive/items/\(id)"
        }
    }
}

enum ProfileEndpoint: ArchiveRequest {
    case get

    func method() -> HTTPVerb { .get }

    func endpoint() -> String { "/archive/profile" }
}
