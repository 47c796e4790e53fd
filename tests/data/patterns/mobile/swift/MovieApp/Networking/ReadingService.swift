import Foundation

// URLs from the app's own URL function given a labelled path literal (the base added inside it),
// then a URLRequest with or without an httpMethod.

class ReadingService {
    func readings(_ done: @escaping (Data?) -> Void) {
        let url = ServerSettings.urlWithPath(path: "api/v1/readings.json", queryParams: ["count": "20"])
        guard url != nil else { return }
        let request = URLRequest(url: url!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 20)
        URLSession.shared.dataTask(with: request) { data, _, _ in done(data) }.resume()
    }

    func addNote(_ body: Data) {
        let url = ServerSettings.urlWithPath(path: "api/v1/notes", queryParams: [:])
        var request = URLRequest(url: url!, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: 20)
        request.httpMethod = "POST"
        request.httpBody = body
        URLSession.shared.dataTask(with: request).resume()
    }
}

enum ServerSettings {
    static var base: URL?
    static func urlWithPath(path: String, queryParams: [String: String]) -> URL? {
        guard var u = base else { return nil }
        u.appendPathComponent(path, isDirectory: false)
        var c = URLComponents(string: String(describing: u))
        c?.queryItems = queryParams.map { URLQueryItem(name: $0.key, value: $0.value) }
        return c?.url
    }
}
