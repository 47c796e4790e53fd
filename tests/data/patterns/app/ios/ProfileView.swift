import SwiftUI

enum ProfileState {
    case idle
    case loading
    case loaded(Profile)
    case failed(Error)
}

struct Profile: Codable, Identifiable {
    let id: UUID
    var name: String
    var age: Int?
    var isAdult: Bool { (age ?? 0) >= 18 }
}

final class ProfileModel: ObservableObject {
    @Published var state: ProfileState = .idle

    func load() async {
        guard let url = URL(string: "https://api.example.com/profile") else { return }
        var request = URLRequest(url: url)
        request.httpMethod = "PUT"
        do {
            let (data, _) = try await URLSession.shared.data(for: request)
            state = .loaded(try JSONDecoder().decode(Profile.self, from: data))
        } catch {
            state = .failed(error)
        }
    }
}

struct ProfileView: View {
    @StateObject var model = ProfileModel()
    var body: some View {
        Button("Reload") { Task { await model.load() } }
    }
}
