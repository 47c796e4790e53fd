package org.demo

import io.ktor.client.*
import io.ktor.client.request.*
import io.ktor.http.*

class SpaceClient(private val client: HttpClient, private val baseUrl: String) {
    suspend fun astronauts() = client.get("$baseUrl/astros.json")

    suspend fun launches() = client.get(urlString = "https://api.space.dev/v4/launches/${launchId()}")

    suspend fun login(body: LoginBody) = client.post {
        url {
            path("v1", "login")
        }
        setBody(body)
    }

    suspend fun update(id: Long) = client.request {
        method = HttpMethod.Put
        url("https://api.space.dev/v4/items/$id")
    }

    private fun launchId() = "latest"
}
