package org.demo

import retrofit2.Response
import retrofit2.http.DELETE
import retrofit2.http.GET
import retrofit2.http.Header
import retrofit2.http.Url

// Retrofit methods whose URL is a parameter: the call sites say which URLs they are.
interface BookmarksApi {
    @GET()
    suspend fun bookmarks(
        @Header("X-Session") session: String,
        @Url url: String
    ): Response<String>

    @DELETE
    suspend fun deleteBookmarks(@Url url: String): Response<Unit>
}

class BookmarksRepository(private val api: BookmarksApi, private val serverUrl: String) {
    suspend fun load(session: String) = api.bookmarks(
        session = session,
        url = "${serverUrl.trimEnd('/')}/api/bookmarks?page=1",
    )

    suspend fun clear() = api.deleteBookmarks(url = "$serverUrl/api/bookmarks")

    // a URL passed by name to something that is not a Retrofit @Url method: no contract
    fun preview(loader: ImageLoader) = loader.load(url = "$serverUrl/thumbs/1.png")
}
