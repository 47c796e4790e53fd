package org.demo

import okhttp3.RequestBody

class VaultApi(private val server: VaultServer) {
    fun list() = VaultHttp.getInstance().get(
        sUrl = server.url + LIST_URL,
        token = server.token,
    )

    fun create(body: RequestBody) = VaultHttp.getInstance().post(sUrl = server.url + CREATE_URL, body = body)

    companion object {
        private const val LIST_URL = "/index.php/apps/vault/api/1.0/entry/list"
        private const val CREATE_URL = "/index.php/apps/vault/api/1.0/entry/create"
    }
}

data class VaultServer(val url: String, val token: String?)
