enum PlayerState { case idle, buffering, playing, paused, failed }

final class Player {
    private(set) var state: PlayerState = .idle

    func play() {
        switch state {
        case .idle, .paused:
            state = .buffering
            // "state = .failed" in a comment is not a write
            state = .playing
        case .playing:
            break
        default:
            state = .failed
        }
    }

    func pause() {
        if state == .playing {
            state = .paused
        }
    }
}
