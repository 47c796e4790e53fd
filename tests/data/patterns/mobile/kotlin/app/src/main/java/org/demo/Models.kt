package org.demo

import androidx.annotation.NonNull
import androidx.room.*
import com.squareup.moshi.Json
import kotlinx.serialization.SerialName
import kotlinx.serialization.Serializable

/** A user as the API sends it. */
data class UserDto(
    /** The server id. */
    val id: Long,
    // shown in the profile header
    @Json(name = "avatar_url") val avatar: String?,
    @get:JvmName("isActive")
    val active: Boolean,
    @SerialName("total_pages") val totalPages: Int = 0,
)

@Serializable
class RepoDto(
    @SerialName("full_name") val fullName: String,
    val stars: Int,
)

@Entity(tableName = "notes")
data class Note(
    @PrimaryKey val id: Long,
    @ColumnInfo(name = "body_text") val body: String,
)

fun area(@NonNull width: Int, height: Int): Int {
    /*
     * The product below: width * height
     * can overflow * for big values
     */
    return width * height
}
