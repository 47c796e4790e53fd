import Foundation

// A decoder configured in the function that decodes one type: the policy is that type's and its
// fields' types' (Metrics, Memory), not every Codable of the app (Settings).
struct MonitorService {
    func load(_ data: Data) throws -> Metrics {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Metrics.self, from: data)
    }
}

struct Metrics: Codable {
    let cpuTemp: Double
    let memory: Memory?
}

struct Memory: Codable {
    let totalMemory: Int
}

struct Settings: Codable {
    let themeName: String
}
