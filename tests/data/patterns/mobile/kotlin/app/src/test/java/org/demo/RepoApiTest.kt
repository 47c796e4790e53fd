package org.demo

interface FakeApi {
    @GET("test/only")
    suspend fun fake(): String
}
