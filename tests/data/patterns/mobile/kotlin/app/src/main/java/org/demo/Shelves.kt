package org.demo

import androidx.compose.runtime.Composable

// A setting held by a `var` delegated to the app's own preference state made from one of its
// values: a machine. `val` with the same delegate reads a value only, and holds no state here.
enum class GridDensity { Compact, Comfortable }

enum class CoverStyle { Square, Round }

@Composable
fun ShelvesScreen() {
    var density by rememberPreference(gridDensityKey, GridDensity.Compact)
    val style by rememberPreference(coverStyleKey, CoverStyle.Square)
}
