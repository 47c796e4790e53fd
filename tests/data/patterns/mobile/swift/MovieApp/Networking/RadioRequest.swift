import Alamofire
import Foundation

// URL constants in a path-named namespace, passed by label through two layers of the app's own
// request functions to Alamofire; the method is a parameter that defaults to .get.
enum RadioRequest {
    enum Endpoint {
        static let stations = "https://radio.example.org/api/stations"
        static let favorite = "https://radio.example.org/api/favorites/add"
        static let history = "https://radio.example.org/api/history"
    }

    static func fetchData(method: HTTPMethod = .get,
                          url: URLConvertible,
                          parameters: Parameters = [:],
                          complete: ((Result<Data, Error>) -> Void)? = nil)
    {
        let session = Session.default
        session.request(url,
                        method: method,
                        parameters: parameters)
            .responseData { response in
                complete?(response.result.mapError { $0 as Error })
            }
    }

    static func fetch<T: Decodable>(method: HTTPMethod = .get,
                                    url: URLConvertible,
                                    parameters: Parameters = [:],
                                    complete: ((Result<T, Error>) -> Void)?)
    {
        fetchData(method: method, url: url, parameters: parameters) { result in
            complete?(result.flatMap { data in Result { try JSONDecoder().decode(T.self, from: data) } })
        }
    }

    static func stations(complete: ((Result<[Station], Error>) -> Void)?) {
        fetch(url: Endpoint.stations, complete: complete)
    }

    static func addFavorite(id: Int) {
        fetch(method: .post, url: Endpoint.favorite, parameters: ["id": id]) { (_: Result<Station, Error>) in }
    }

    static func clearHistory() {
        fetchData(method: .delete, url: Endpoint.history)
    }
}

struct Station: Decodable {
    let id: Int
    let name: String
}
