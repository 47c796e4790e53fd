import Foundation
import SwiftData

struct MovieList: Codable {
    let page: Int
    let totalPages: Int
    let results: [Movie]

    enum CodingKeys: String, CodingKey {
        case page, results
        case totalPages = "total_pages"
    }
}

struct Movie: Decodable, Identifiable {
    let id: Int
    var title = ""
    var rating = 0.0
    var tags = [String]()
    var createdAt = Date()
    var formatter = makeFormatter()
    var isNew: Bool { rating > 8 }
}

@Model
final class Bookmark {
    var movieID: Int
    var note: String?

    init(movieID: Int, note: String?) {
        self.movieID = movieID
        self.note = note
    }
}

func makeFormatter() -> DateFormatter { DateFormatter() }
