import Foundation

// URLs from free functions and from a method of the model (called on a value), with labelled
// arguments and `??` fallbacks; a local of one function is never another's URL.
func topicURL(server: String, topic: String) -> String {
    return "\(server)/\(topic)"
}

func topicAuthURL(server: String, topic: String) -> String {
    return "\(server)/\(topic)/auth"
}

struct Channel {
    var server: String?
    var topic: String?

    func link() -> String {
        return topicURL(server: server ?? "?", topic: topic ?? "?")
    }
}

final class TopicService {
    func checkAuth(server: String, topic: String) {
        guard let url = URL(string: topicAuthURL(server: server, topic: topic)) else { return }
        URLSession.shared.dataTask(with: URLRequest(url: url)) { _, _, _ in }.resume()
    }

    func poll(channel: Channel, since: String) {
        let pollString = "\(channel.link())/json?poll=1&since=\(since)"
        print(pollString)
    }

    func send(channel: Channel, message: String) {
        guard let url = URL(string: channel.link()) else { return }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        URLSession.shared.dataTask(with: request) { _, _, _ in }.resume()
    }

    func read(pollString: String) {
        guard let url = URL(string: pollString) else { return }
        URLSession.shared.dataTask(with: URLRequest(url: url)) { _, _, _ in }.resume()
    }
}
