import Foundation

// The app's own client: verb methods taking a service path, the URL made by buildURL(_:).
class PrinterHTTPClient {
    var serverURL: String = ""

    func get(_ service: String, callback: @escaping (Data?) -> Void) {
        getData(service) { data in
            callback(data)
        }
    }

    func getData(_ service: String, callback: @escaping (Data?) -> Void) {
        if let url: URL = buildURL(service) {
            let request = URLRequest(url: url)
            URLSession.shared.dataTask(with: request) { data, _, _ in callback(data) }.resume()
        }
    }

    func post(_ service: String, callback: @escaping (Bool) -> Void) {
        if let url: URL = buildURL(service) {
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            URLSession.shared.dataTask(with: request) { _, _, _ in callback(true) }.resume()
        }
    }

    func buildURL(_ service: String) -> URL? {
        let parts = service.split(separator: "?", maxSplits: 1).map(String.init)
        let fragment = parts[0].addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? parts[0]
        return URL(string: serverURL + fragment)
    }
}
