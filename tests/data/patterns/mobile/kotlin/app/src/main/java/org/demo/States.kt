package org.demo

import androidx.annotation.IntDef
import androidx.compose.runtime.*
import kotlinx.coroutines.flow.MutableStateFlow

sealed interface Async<out T> {
    object Loading : Async<Nothing>
    data class Success<T>(val value: T) : Async<T>
    data class Failure(val error: Throwable) : Async<Nothing>
}

sealed interface Effect

sealed class Event {
    sealed class Nav : Event() {
        object Back : Nav()
    }
    object Refresh : Event(), Effect
}

enum class Screen { HOME, DETAIL, SETTINGS }

enum class Color { RED, GREEN }

enum class Panel { OPEN, CLOSED }

class PanelScroller {
    val panelState = MutableTransitionState(Panel.CLOSED)  // an animation's state holder
}

@IntDef(MODE_LIST, MODE_GRID)
@Retention(AnnotationRetention.SOURCE)
annotation class LayoutMode

@IntDef(GRAVITY_START, GRAVITY_END)
@Retention(AnnotationRetention.SOURCE)
annotation class EdgeSide

class Layouts {
    @LayoutMode var layout = MODE_LIST  // held: a machine

    fun toggle() {
        layout = MODE_GRID
    }

    fun dock(@EdgeSide side: Int) {}  // a parameter type only: a constant set, not a machine
}

class HomeModel {
    var screen by mutableStateOf(Screen.HOME)
    private val _state = MutableStateFlow<Async<List<String>>>(Async.Loading)
    val uiState = _state

    fun open() {
        screen = Screen.DETAIL
        _state.value = Async.Loading
    }
}

@Composable
fun HomeList(listState: LazyListState) {
    val scrollState = rememberScrollState()
    LazyColumn(
        state = listState,
        modifier = Modifier,
    ) {}
}
