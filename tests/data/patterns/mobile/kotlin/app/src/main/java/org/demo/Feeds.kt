package org.demo

import io.ktor.client.HttpClient
import io.ktor.client.request.get

enum class FeedKind { TOP, NEW }

// The path is a local chosen by `when` over literals: one contract per literal.
class FeedApi(private val client: HttpClient) {
    private val feedBase = "https://feeds.demo.io/v2"

    suspend fun load(kind: FeedKind): String {
        val feedPath = when (kind) {
            FeedKind.TOP -> "/top.json"
            FeedKind.NEW -> "/new.json"
        }
        return client.get(feedBase + feedPath).body()
    }
}
