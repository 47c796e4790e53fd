import Foundation

// Scratch code tried beside the app: a page fetched once to try a parser, not an API of the app.
let page = URL(string: "https://recipes.example.org/recipe/42/soup")!
let task = URLSession.shared.dataTask(with: page) { data, _, _ in
    print(data?.count ?? 0)
}
task.resume()
