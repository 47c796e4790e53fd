package org.demo

import com.google.gson.annotations.Expose
import com.google.gson.annotations.SerializedName
import io.ktor.client.HttpClient
import io.ktor.client.request.get
import kotlinx.coroutines.flow.SharingStarted
import kotlinx.coroutines.flow.stateIn

// A plain class (not a data class) whose properties declare their JSON keys: a DTO.
class ShelfDto(
    @SerializedName("shelf_id")
    @Expose
    val shelfId: Int,
    @SerializedName("title")
    val title: String?,
)

// Its properties in the body, Gson style.
class ShelfPage {
    @SerializedName("next_page")
    var nextPage: String? = null
    @SerializedName("items")
    var items: List<ShelfDto> = emptyList()
}

// A plain class with no keys is not data (a helper).
class ShelfFormatter(private val locale: String) {
    fun format(dto: ShelfDto) = "${dto.title} ($locale)"
}

enum class ReadingTheme { SYSTEM, LIGHT, DARK }

enum class ShelfSort { TITLE, ADDED }

enum class ShelfKind { BOOKS, COMICS }

class ShelfViewModel(prefs: Prefs) : ViewModel() {
    // a flow made a StateFlow from an enum value: held state
    val theme = prefs.theme.stateIn(viewModelScope, SharingStarted.Eagerly, ReadingTheme.SYSTEM)

    fun resort(desc: Boolean) {
        // a working variable of a function is not held state
        var sort: ShelfSort? = null
        if (desc) sort = ShelfSort.ADDED
        apply(sort)
    }
}

// Carried in a Bundle (navigation arguments), not persisted: ShelfKind is no machine.
fun putKind(bundle: Bundle, key: String, value: ShelfKind) {
    bundle.putString(key, value.name)
}

const val SHELF_API = "https://api.shelves.example/v3"

class ShelfClient(private val client: HttpClient) {
    suspend fun shelves() = client.get("$SHELF_API/shelves")
    suspend fun shelf(id: Int) = client.get("$SHELF_API/shelves/$id")
}
