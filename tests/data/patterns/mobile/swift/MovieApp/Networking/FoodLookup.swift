import Foundation

// `barcode` is this function's parameter, not ScanSettings' member of that name.
struct FoodLookup {
    func request(barcode: String) -> URLRequest {
        let path = "https://food.example.org/api/v0/product/\(barcode).json"
        var request = URLRequest(url: URL(string: path)!)
        request.httpMethod = "GET"
        return request
    }
}
