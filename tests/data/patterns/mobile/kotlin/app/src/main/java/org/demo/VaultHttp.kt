package org.demo

import java.net.URL
import okhttp3.OkHttpClient
import okhttp3.Request
import okhttp3.RequestBody
import okhttp3.Response

// A singleton OkHttp wrapper reached through getInstance(): its get/post take the URL string,
// make a java.net.URL of it and hand that to the request builder.
class VaultHttp private constructor() {
    private val client = OkHttpClient()

    fun get(sUrl: String, token: String? = null): Response {
        val url = URL(sUrl)
        val builder = Request.Builder()
            .url(url)
        token?.let { builder.addHeader("X-Token", it) }
        return client.newCall(builder.build()).execute()
    }

    fun post(sUrl: String, body: RequestBody): Response {
        val url = URL(sUrl)
        val request = Request.Builder()
            .url(url)
            .post(body)
            .build()
        return client.newCall(request).execute()
    }

    companion object {
        private var instance: VaultHttp? = null
        fun getInstance(): VaultHttp = instance ?: VaultHttp().also { instance = it }
    }
}
