package demo.sync

sealed interface SyncState {
    object Idle : SyncState
    object Running : SyncState
    data class Done(val count: Int) : SyncState
    data class Failed(val reason: String) : SyncState
}

class SyncViewModel(private val repo: Repo) {
    private val _state = MutableStateFlow<SyncState>(SyncState.Idle)

    fun sync() {
        if (_state.value is SyncState.Running) {
            return
        }
        _state.value = SyncState.Running
        try {
            _state.value = SyncState.Done(repo.pull())
        } catch (e: Exception) {
            _state.value = SyncState.Failed(e.message ?: "unknown")
        }
    }

    fun onEvent(state: SyncState) {
        when (state) {
            is SyncState.Failed, is SyncState.Done -> _state.update { SyncState.Idle }
            else -> Unit
        }
    }
}
