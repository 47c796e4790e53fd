import Foundation

// Endpoint values with the path after other labels, one argument per line; the method, when
// there is one, on a line of its own.
struct HomeEndpoint {
    let baseURL: String
    let path: String
    var queryItems: [URLQueryItem]
}

extension HomeEndpoint {
    static func items(root: String) -> HomeEndpoint {
        HomeEndpoint(
            baseURL: root,
            path: "/rest/items",
            queryItems: []
        )
    }

    static func icon(root: String, name: String, dark: Bool) -> HomeEndpoint {
        var theme = "light"
        if dark {
            theme = "dark"
        }
        // `theme` changes: it is a parameter of the path, not the constant "light"
        return HomeEndpoint(baseURL: root, path: "/icons/\(theme)/\(name).svg", queryItems: [])
    }
}

enum Verb: String {
    case GET, POST
}

struct HomeRequest {
    let path: String
    let method: Verb
    let body: Data?
}

final class HomeClient {
    func runRule(uuid: String) {
        let request = HomeRequest(
            path: "/rest/rules/\(uuid)/run",
            method: .POST,
            body: nil
        )
        send(request)
    }

    // the app's own helpers, named for their method
    func toggle(root: String, item: String) {
        doPost(baseURL: root, path: "/rest/items/\(item)", body: "ON")
    }

    func state(root: String, item: String) {
        doGet(baseURL: root, path: "/rest/items/\(item)/state")
    }

    // a URL on the user's own server, read at run time: the server is the base, not a parameter
    func startLogin(server: String) {
        var request = URLRequest(url: URL(string: server + "/index.php/login/v2")!)
        request.httpMethod = "POST"
        send(request)
    }

    // a file store's delete(path:): not a request
    func dropCache(store: FileStore, id: Int) {
        store.delete(path: "cache\(id).json")
    }

    func send(_ request: HomeRequest) {}
    func send(_ request: URLRequest) {}
    func doPost(baseURL: String, path: String, body: String) {}
    func doGet(baseURL: String, path: String) {}
}
