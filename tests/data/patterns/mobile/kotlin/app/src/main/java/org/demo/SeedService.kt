package org.demo

import io.ktor.client.HttpClient
import io.ktor.client.request.forms.prepareForm
import io.ktor.client.request.prepareGet

// The app's own get/post helpers: the URL is set in the request block from the helper's
// parameter, so the one-line wrappers below give the endpoints.
class SeedService(val client: HttpClient, val baseUrl: String) {
    suspend inline fun <reified T> get(path: String, query: Map<String, Any?> = emptyMap()): T =
        client.prepareGet {
            url.takeFrom(baseUrl).appendEncodedPathSegments("api/v3/$path")
            query.forEach { (k, v) -> if (v != null) url.parameters.append(k, v.toString()) }
        }.execute { it.body() }

    suspend inline fun <reified T> post(path: String, form: Map<String, Any?> = emptyMap()): T =
        client.prepareForm(
            formParameters = parametersOf(form.mapValues { listOf(it.value.toString()) }),
        ) {
            url.takeFrom(baseUrl).appendEncodedPathSegments("api/v3/$path")
        }.execute { it.body() }

    suspend fun version(): String = get("app/version")

    suspend fun peers(hash: String): List<String> = get("seeds/peers", mapOf("hash" to hash))

    suspend fun pause(hashes: String): Unit = post(
        "seeds/pause",
        mapOf("hashes" to hashes),
    )

    suspend fun removeSeed(id: String): Unit = client.preparePost {
        url.takeFrom(baseUrl).appendEncodedPathSegments("api/v3/seeds/$id/remove")
    }.execute { it.body() }
}
