import XCTest

struct Fixture: Codable { let id: Int }
