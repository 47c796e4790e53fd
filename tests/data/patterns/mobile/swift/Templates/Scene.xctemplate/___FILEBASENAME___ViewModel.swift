import Foundation

// An Xcode file template, not the app.
enum ___VARIABLE_sceneName___Route {
    case showDetails(id: Int)
}
