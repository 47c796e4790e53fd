package org.demo

import io.ktor.client.HttpClient
import io.ktor.client.request.forms.submitFormWithBinaryData
import kotlinx.coroutines.flow.MutableSharedFlow
import kotlinx.coroutines.flow.MutableStateFlow

// The app's own extensions of the Ktor client, taking the route by name.
class RunsClient(private val httpClient: HttpClient) {
    suspend fun runs() = httpClient.get<List<RunDto>>(
        route = "/runs",
    )

    suspend fun login(request: LoginRequest) = httpClient.post<LoginRequest, LoginResponse>(
        route = "/login",
        body = request,
    )

    // a multipart form: POST, the route through one wrapping call
    suspend fun upload(picture: ByteArray) = httpClient.submitFormWithBinaryData(
        url = constructRoute("/run"),
        formData = formData { append("picture", picture) },
    )
}

enum class OpenWith { READER, BROWSER }

enum class Scroll { UP, DOWN }

class ReaderSettings(prefs: Prefs) {
    // created from a function's result; its setter says what it holds
    private val _openWith = MutableStateFlow(openWithFrom(prefs.openWith))

    fun setOpenWith(value: OpenWith) {
        _openWith.value = value
    }

    // events passed on, no current value: not held state
    private val scrollCommands = MutableSharedFlow<Scroll>()
}
