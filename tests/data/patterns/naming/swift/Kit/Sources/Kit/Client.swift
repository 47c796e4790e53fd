import Foundation

// A package's shared decoder, used with a generic type: every Codable of the package.
public final class Client {
    private let decoder: JSONDecoder

    public init() {
        decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
    }

    func decode<T: Decodable>(_ data: Data) throws -> T {
        try decoder.decode(T.self, from: data)
    }
}

public struct Token: Decodable {
    public let accessToken: String
    public let userID: Int
    public let scope: String
}
