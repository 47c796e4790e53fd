package org.demo

import io.ktor.client.HttpClient
import io.ktor.client.request.HttpRequestBuilder

// Ktor request blocks that hand the path to the app's own helper.
class RecipesClient(private val httpClient: HttpClient) {
    suspend fun recipes() = httpClient.get {
        endpoint("/api/recipes")
    }

    suspend fun about(baseURL: String) = httpClient.get {
        endpoint(baseURL, "/api/app/about")
    }

    suspend fun delete(slug: String) = httpClient.delete {
        endpoint("/api/recipes/$slug")
        header("X-Reason", "cleanup")
    }

    private fun HttpRequestBuilder.endpoint(path: String) {}
    private fun HttpRequestBuilder.endpoint(baseUrl: String, path: String) {}
}
