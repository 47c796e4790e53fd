import Foundation

final class NoteEntry : LogEntry {
    var text: String = ""
    var pinned = false

    var summary: String { String(text.prefix(20)) }
}
