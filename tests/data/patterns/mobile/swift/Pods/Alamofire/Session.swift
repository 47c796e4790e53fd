public struct Vendored: Codable { let x: Int }
