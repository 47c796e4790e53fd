package org.demo

import org.demo.Player.Status

// Imports the nested enum by name: its var holds Player.Status.
class PlayerScreen {
    var status: Status = Status.IDLE
}
