package org.demo

// A nested enum and a top-level data class of the same simple name elsewhere: only holders of
// Player.Status (qualified, or imported as such) hold this enum.
class Player {
    enum class Status { IDLE, PLAYING }

    fun describe(status: Status) = status.name
}
