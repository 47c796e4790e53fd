import Foundation

// A Codable base class; its subclasses (NoteEntry.swift) are Codable through it.
class LogEntry: NSObject, Codable {
    var id: String
    var createdAt: Date

    init(id: String, createdAt: Date) {
        self.id = id
        self.createdAt = createdAt
    }
}
