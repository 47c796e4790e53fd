import Alamofire
import Moya
import MoyaSugar

enum ShotAPI {
  case shots
  case shot(id: Int)
  case like(id: Int)
}

// MoyaSugar: each case of `route` gives the method and the path together.
extension ShotAPI: SugarTargetType {
  var baseURL: URL { return URL(string: "https://api.shots.io")! }

  var route: Route {
    switch self {
    case .shots:
      return .get("/shots")
    case let .shot(id):
      return .get("/shots/\(id)")
    case let .like(id):
      return .post("/shots/\(id)/like")
    }
  }
}

final class TokenService {
  func token(code: String) {
    let urlString = "https://auth.shots.io/oauth/token"
    // The call continued on the next line.
    let request = AF
      .request(urlString, method: .post, parameters: ["code": code])
    request.resume()
  }
}
