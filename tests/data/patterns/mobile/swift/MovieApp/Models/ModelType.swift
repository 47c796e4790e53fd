import Foundation

// Models conform through this protocol, declared in a file of its own; `Listable` refines it.
protocol ModelType: Codable, Equatable {
  static var dateDecodingStrategy: JSONDecoder.DateDecodingStrategy { get }
}

protocol Listable: ModelType where Self: Hashable {}

protocol Themed {}
