package com.example.auth

import retrofit2.http.*

interface AuthApi {
    @POST("auth/login")
    suspend fun login(@Body body: LoginRequest): User

    @GET("users/{id}")
    suspend fun user(@Path("id") id: String): User

    @DELETE("sessions/{id}")
    suspend fun logout(@Path("id") id: String)
}

fun totalWithTax(price: Double, quantity: Int): Double {
    val total = price * quantity
    val tax = total * 0.2
    return total + tax
}
