package org.demo

import io.ktor.client.HttpClient
import io.ktor.client.call.body
import io.ktor.client.request.get

// The app's own request helper: every call goes through fetch(endpoint) on a user's server. Its
// call sites give the paths (a literal, an interpolated literal, a named argument); the helper's
// own "$baseUrl/$endpoint" is no endpoint. A map lookup of a path-looking key is no call of it.
class StatsGateway(private val client: HttpClient, private val baseUrl: String) {
    private suspend inline fun <reified T> fetch(endpoint: String): T =
        client.get("$baseUrl/$endpoint").body()

    suspend fun standings(): Standings = fetch("league/standings")

    suspend fun fixtures(round: Int): List<Fixture> = fetch("fixtures/$round")

    suspend fun player(id: Int) = fetch<Player>(endpoint = "players/$id")

    fun cached(cache: Map<String, String>) = cache.get("league/standings")
}

class Standings
class Fixture
