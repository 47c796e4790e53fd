package org.demo

import androidx.compose.runtime.Composable

enum class SongOrder { TITLE, ARTIST, ADDED }

enum class GridSize { SMALL, LARGE }

// A value and its setter destructured from a preference holder: the setter writes it, so the
// enum is held as state. An enum only read from a list is not.
@Composable
fun SortScreen() {
    val (order, onOrderChange) = rememberEnumPreference(SongOrderKey, SongOrder.ADDED)
    val sizes = listOf(GridSize.SMALL, GridSize.LARGE)
    SortMenu(order = order, sizes = sizes, onChange = onOrderChange)
}
