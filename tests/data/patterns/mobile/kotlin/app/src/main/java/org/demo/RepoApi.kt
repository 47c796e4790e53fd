package org.demo

import retrofit2.http.*

/**
 * Repositories. Example: @GET("not/an/endpoint") in a comment is not code.
 */
interface RepoApi {
    @GET(Endpoints.USERS)
    suspend fun users(): List<UserDto>

    @GET(ApiConstants.REPOS + "/{owner}")
    suspend fun repos(@Path("owner") owner: String): List<RepoDto>

    @POST(MissingConstants.ARCHIVE)
    suspend fun archive(@Body body: RepoDto)

    fun describe() = "@DELETE(\"also/not/code\")"
}
