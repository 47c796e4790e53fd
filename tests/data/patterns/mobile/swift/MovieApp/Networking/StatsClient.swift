import Foundation

// The app's own request helpers on a server the user enters: get(path:) and post(_:body:) send
// to "\(host)\(path)"; their call sites give the endpoints.
final class StatsClient {
    let host: String

    init(host: String) {
        self.host = host
    }

    private func get(path: String) async throws -> Data {
        var request = URLRequest(url: URL(string: "https://\(host)\(path)")!)
        request.httpMethod = "GET"
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }

    private func post(_ endpoint: String, body: Data) async throws -> Data {
        var request = URLRequest(url: URL(string: "https://\(host)" + endpoint)!)
        request.httpMethod = "POST"
        request.httpBody = body
        let (data, _) = try await URLSession.shared.data(for: request)
        return data
    }

    func summary() async throws -> Data { try await get(path: "/api/stats/summary") }

    func history(id: Int) async throws -> Data { try await get(path: "/api/history/\(id)") }

    func disable(seconds: Int) async throws -> Data {
        try await post("/api/dns/blocking", body: Data())
    }
}
