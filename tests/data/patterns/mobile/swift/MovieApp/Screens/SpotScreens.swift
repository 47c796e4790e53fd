import SwiftUI

enum SheetRoute: Identifiable {
    case comment(spotID: Int)
    case report
    var id: String { "\(self)" }
}

// A result returned and passed on: never held, not a machine.
enum Outcome {
    case success(data: [Spot])
    case failure
}

enum RowState {
    case loading(id: Int)
    case loaded(Spot)
}

enum Route: Hashable {
    case spot(id: Int)
    case settings
}

enum Layout {
    case list, grid
}

enum Size: CaseIterable {
    case small, large
}

enum Filter {
    case all, mine
}

enum SectionItem {
    case header(String)
    case spot(id: Int)
}

final class SpotsModel: ObservableObject {
    @Published var navigationPath = NavigationPath()
    private var rows: [Int: RowState] = [:]
    var items: [SectionItem] = []

    func open(id: Int) {
        navigationPath.append(Route.spot(id: id))
    }

    func load() -> Outcome {
        var filter = Filter.all  // a local: holds nothing
        filter = .mine
        return .failure
    }
}

struct FilterModel {
    var sizes = Size.allCases  // every case: a selection set, not a state
}

struct SpotsScreen: View {
    enum Mode {
        case browse, pick
    }

    let mode: Mode                  // an input of the view
    var layout = Layout.grid        // a plain var of a view: an input too
    @State private var sheet: SheetRoute?

    var body: some View { Text("spots") }
}
