import Foundation

enum FeedKind {
    case top, latest
}

// The path is a local chosen by a switch expression over literals: one contract per literal.
final class FeedClient {
    private let baseUrl = "https://feeds.example.org/v1/"

    func load(kind: FeedKind) async throws -> Data {
        let feedPath = switch kind {
        case .top:
            "top.json"
        case .latest:
            "latest.json"
        }
        let url = URL(string: baseUrl + feedPath)!
        let (data, _) = try await URLSession.shared.data(from: url)
        return data
    }
}
