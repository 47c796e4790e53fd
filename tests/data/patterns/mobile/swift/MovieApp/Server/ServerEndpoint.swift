import Foundation

enum ServerMethod: String {
    case get = "GET", post = "POST", delete = "DELETE"
}

// The cases of an endpoint enum; its path and method come from switch expressions (Swift 5.9:
// no `return`) with several cases per branch.
enum ServerEndpoint {
    case listSpots
    case spot(id: Int)
    case deleteSpot(id: Int)
    case addComment(spotID: Int, text: String)
    case editComment(spotID: Int, commentID: Int, text: String)
}

extension ServerEndpoint {
    var urlPath: String {
        switch self {
        case .listSpots:
            "/spots"
        case let .spot(id),
             let .deleteSpot(id):
            "/spots/\(id)"
        case let .addComment(spotID, _):
            "/spots/\(spotID)/comments"
        case let .editComment(spotID, commentID, _):
            "/spots/\(spotID)/comments/\(commentID)"
        }
    }

    var method: ServerMethod {
        switch self {
        case .listSpots, .spot:
            .get
        case .addComment, .editComment:
            .post
        case .deleteSpot:
            .delete
        }
    }
}

// A model's computed `...Path` is not an endpoint.
struct Spot: Codable {
    let id: Int
    let latitude, longitude: Double
    var title: String?

    var imagePath: String { "/images/\(id).jpg" }

    enum CodingKeys: String, CodingKey {
        case id, title
        case latitude = "lat"
        case longitude = "lon"
    }
}
