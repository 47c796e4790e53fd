import Foundation

// A TinyNetworking-style resource: each case gives method and path together.
enum GalleryResource {
    case photos
    case photo(id: String)
    case like(id: String)

    var endpoint: Endpoint {
        switch self {
        case .photos:
            return .get(path: "/photos")
        case let .photo(id):
            return .get(path: "/photos/\(id)")
        case let .like(id):
            return .post(path: "/photos/\(id)/like")
        }
    }
}
