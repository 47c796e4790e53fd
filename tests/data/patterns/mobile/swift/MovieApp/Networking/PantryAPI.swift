import Foundation

enum HTTPVerb2: String {
    case GET, POST, PUT, DELETE
}

// Paths as raw values; each call site gives the method.
final class PantryAPI {
    private enum Endpoint: String {
        case stock = "/stock"
        case product = "/stock/products/{productId}"
        case productConsume = "/stock/products/{productId}/consume"
        case unused = "/system/time"
        case note = "notes"
    }

    private enum Field: String {
        case name = "name"
        case amount = "amount"
    }

    func stock() async throws -> Data {
        try await call(.stock, method: .GET)
    }

    func product(id: Int) async throws -> Data {
        try await call(.product, id: String(id), method: .GET)
    }

    func deleteProduct(id: Int) async throws -> Data {
        try await call(.product, id: String(id), method: .DELETE)
    }

    func consume(id: Int) async throws -> Data {
        try await call(.productConsume, id: String(id), method: .POST)
    }

    private func call(_ endpoint: Endpoint, id: String? = nil, method: HTTPVerb2) async throws -> Data {
        Data()
    }
}
