import Foundation
import Alamofire

final class Session {
    // let url = URL(string: "https://commented.out/x"); request.httpMethod = "DELETE"
    let privacy = URL(string: "https://movies.io/privacy")

    func login() async throws {
        let url = URL(string: Config.baseURL + "/auth/login")!
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        _ = try await URLSession.shared.data(for: request)
    }

    func loadFeed() {
        guard let url = URL(string: "\(Config.baseURL)/feed?page=1") else { return }
        URLSession.shared.dataTask(with: url) { _, _, _ in }.resume()
    }

    func order(id: Int) {
        AF.request("\(Config.baseURL)/orders", method: .post)
        AF.request(Config.baseURL + "/orders/\(id)")
    }

    let note = "var path: String { switch self { case .x: return \"/p\" } }"
}
