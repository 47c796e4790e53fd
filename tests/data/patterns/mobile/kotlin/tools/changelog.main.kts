// A tool script beside the app: not the app.
data class ChangelogEntry(val version: String, val notes: List<String>)
