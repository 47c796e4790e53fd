import Foundation
import Combine

// An endpoint enum with paths only; its file sends requests without setting a method: GET.
struct VillageService {
    static let baseURL = URL(string: "https://village.example/v1/")!

    enum Endpoint {
        case residents
        case resident(id: Int)

        func path() -> String {
            switch self {
            case .residents:
                return "residents"
            case let .resident(id):
                return "residents/\(id)"
            }
        }
    }

    static func fetch(_ endpoint: Endpoint) -> URLSession.DataTaskPublisher {
        let request = URLRequest(url: baseURL.appendingPathComponent(endpoint.path()))
        return URLSession.shared.dataTaskPublisher(for: request)
    }
}

final class VillageStore: ObservableObject {
    enum Order: String {
        case name, birthday
    }

    // an observed stored property: held state
    @Published var order = Order.name {
        didSet { reload() }
    }

    func reload() {}
}
