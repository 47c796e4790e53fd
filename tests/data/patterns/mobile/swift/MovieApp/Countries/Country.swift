import Foundation
import SwiftData

enum StoreModel {}
enum WireModel {}

// Two types of one name in one file: the stored one and the decoded one.
extension StoreModel {
    @Model final class Country {
        var name: String
        @Attribute(.unique) var code: String
        var population: Int

        init(name: String, code: String, population: Int) {
            self.name = name
            self.code = code
            self.population = population
        }
    }
}

extension WireModel {
    struct Country: Codable, Equatable {
        let name: String
        let code: String
        let flag: URL?

        enum CodingKeys: String, CodingKey {
            case name
            case code = "alpha3Code"
            case flag = "alpha2Code"
        }
    }
}
