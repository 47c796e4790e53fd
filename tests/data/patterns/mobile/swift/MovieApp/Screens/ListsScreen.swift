import SwiftUI

struct ListsScreen: View {
  // The property wrapper on a line of its own.
  @State
  private var tab: ListTab = .watchlist

  var body: some View {
    Text(tab == .watchlist ? "Watchlist" : "Seen")
  }

  enum ListTab {
    case watchlist
    case seen
  }
}

enum FeedKind {
  case latest
  case top

  // A cache key, not an endpoint: no method is paired with it anywhere.
  var cachePath: String {
    switch self {
    case .latest: return "latest"
    case .top: return "top"
    }
  }
}
