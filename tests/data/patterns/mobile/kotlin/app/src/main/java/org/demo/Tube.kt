package org.demo

import io.ktor.client.HttpClient

// Endpoint paths as lower-case `const val`s of an object, used in other files by their names.
object Tube {
    val client = HttpClient()
    internal const val browse = "/tube/v1/browse"
    internal const val player = "/tube/v1/player"
}
