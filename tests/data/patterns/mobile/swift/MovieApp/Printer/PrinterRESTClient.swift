import Foundation

// Calls of the client's verb methods from another file; a dictionary's `get`-like calls on a
// receiver not named for a client are not requests.
class PrinterRESTClient {
    let client = PrinterHTTPClient()
    let cache = PathCache()

    func version(done: @escaping (Data?) -> Void) {
        client.get("/api/version") { data in done(data) }
    }

    func job(id: String, done: @escaping (Data?) -> Void) {
        client.get("/api/job/\(id)") { data in done(data) }
    }

    func cancel(done: @escaping (Bool) -> Void) {
        client.post("/api/job/cancel") { ok in done(ok) }
    }

    func cached() -> String? {
        return cache.get("api/settings")
    }
}
