package demo.ledger

import io.ktor.client.HttpClient
import io.ktor.client.request.request
import io.ktor.http.HttpMethod
import io.ktor.http.URLBuilder
import io.ktor.http.path

// A private helper builds every request: the URL in the call's argument, the method a
// parameter with a default; callers give one path segment or a template, by position or by name.
class LedgerApi(private val client: HttpClient) {
    var serverUrl: String? = null

    suspend fun accounts(): List<Account> = send("accounts")

    suspend fun account(id: String): Account = send("accounts/$id")

    suspend fun openAccount(account: Account): Account = send(
        path = "accounts",
        body = account,
        httpMethod = HttpMethod.Post
    )

    suspend fun closeAccount(id: String) = send<Unit>(
        path = "accounts/$id",
        httpMethod = HttpMethod.Delete
    )

    suspend fun renameAccount(id: String, name: String) = send<Unit>("accounts/$id/name", name, HttpMethod.Put)

    private suspend inline fun <reified T> send(
        path: String,
        body: Any? = null,
        httpMethod: HttpMethod = HttpMethod.Get
    ): T = client.request(URLBuilder(serverUrl!!).apply { path("v2/$path") }.buildString()) {
        method = httpMethod
        body?.let { setBody(it) }
    }.body()
}
