package org.demo

// Another `Status`: a data class of this package, not Player.Status.
data class Status(val code: Int, val text: String)

class Downloads {
    private var status: Status? = null
}
