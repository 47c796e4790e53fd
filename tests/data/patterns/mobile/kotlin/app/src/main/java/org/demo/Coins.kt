package org.demo

import io.ktor.client.HttpClient
import io.ktor.http.appendPathSegments
import retrofit2.http.POST
import retrofit2.http.Query

object CoinRoutes {
    const val COINS = "coins"
    const val MARKETS = "markets"
}

// A response whose id defaults to null: that default is never the value of a path's `id`.
data class CoinDetail(val id: String? = null, val name: String)

class CoinApi(private val httpClient: HttpClient) {
    // A nested type argument before the block, path segments from constants and a parameter.
    suspend fun markets(): List<CoinDetail> = httpClient.get<List<CoinDetail>> {
        url { appendPathSegments(CoinRoutes.COINS, CoinRoutes.MARKETS) }
    }

    suspend fun detail(id: String): CoinDetail = httpClient.get<CoinDetail> {
        url { appendPathSegments(CoinRoutes.COINS, id) }
    }
}

interface AlbumApi {
    // `./` is the base URL itself; the method name travels in the query.
    @POST("./?method=album.search")
    suspend fun searchAlbum(@Query("album") phrase: String?): AlbumSearch
}
