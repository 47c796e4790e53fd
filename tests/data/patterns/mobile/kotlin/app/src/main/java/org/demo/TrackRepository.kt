package org.demo

import com.github.kittinunf.fuel.Fuel
import com.github.kittinunf.fuel.httpGet

// Fuel: Fuel.get/post with the URL through one normalising call, a URL string's httpGet(),
// upload (a POST).
class TrackRepository(private val host: String) {
    fun normalize(path: String): String = "$host$path"

    suspend fun favorite(id: Int) = Fuel.post(normalize("/api/v1/favorites/tracks/")).body("{\"track\": $id}").awaitString()

    suspend fun playlist(id: Int) = Fuel.get(normalize("/api/v1/playlists/$id/tracks/")).awaitString()

    suspend fun releases() = "https://api.github.com/repos/demo/tracks/releases".httpGet().awaitString()

    suspend fun cover(id: Int) = Fuel.upload(normalize("/api/v1/tracks/$id/cover/")).awaitString()
}
