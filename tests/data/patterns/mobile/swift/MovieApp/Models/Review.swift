import Foundation

struct Review: ModelType {
  let id: Int
  let authorName: String
  var likeCount: Int

  enum CodingKeys: String, CodingKey {
    case id
    case authorName = "author_name"
    case likeCount = "likes_count"
  }

  static var dateDecodingStrategy: JSONDecoder.DateDecodingStrategy { .iso8601 }
}

struct Shelf: Listable {
  let name: String
}

struct Palette: Themed {
  let primary: String
}
