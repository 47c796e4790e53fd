import Foundation

// Codable through a protocol that refines it.
protocol FeedItem: Codable {
    var id: Int { get }
}

struct Post: FeedItem {
    let id: Int
    let title, body: String?
}

struct Poll: FeedItem, Hashable {
    let id: Int
    let options: [Int]
}

// Conforms to a protocol that is not Codable: not a model.
protocol Titled {
    var title: String { get }
}

struct Banner: Titled {
    let title: String
}
