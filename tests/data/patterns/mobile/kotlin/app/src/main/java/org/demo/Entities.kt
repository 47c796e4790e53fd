package org.demo

import androidx.room.ColumnInfo
import androidx.room.Entity
import androidx.room.PrimaryKey

// A Room entity whose key is declared in the body, after the constructor properties.
@Entity(tableName = "bookmarks")
data class Bookmark(
    @ColumnInfo(name = "trail_id") val trailId: String,
    val note: String = ""
) {
    @PrimaryKey(autoGenerate = true)
    @ColumnInfo(name = "id")
    var bookmarkId: Long = 0

    // computed, delegated and companion members are not stored
    val label: String
        get() = "$trailId: $note"
    val shortNote by lazy { note.take(10) }
    val isEmpty get() = note.isEmpty()

    companion object {
        const val TABLE = "bookmarks"
    }

    fun describe(): String = label
}

// No body of its own: the class after it must not lend it one.
data class Coordinates(val lat: Double, val lon: Double)

class TrailMap {
    var zoom: Int = 3
}
