package com.example.auth

import androidx.lifecycle.ViewModel
import kotlinx.coroutines.flow.MutableStateFlow

sealed class LoginState {
    object Idle : LoginState()
    object Loading : LoginState()
    data class Success(val user: User) : LoginState()
    data class Error(val message: String) : LoginState()
}

data class User(
    val id: String,
    val email: String,
    @SerializedName("display_name") val displayName: String?,
    var loginCount: Int = 0,
)

enum class PaymentStatus { PENDING, AUTHORIZED, CAPTURED, REFUNDED }

class LoginViewModel(private val api: AuthApi) : ViewModel() {
    private val _state = MutableStateFlow<LoginState>(LoginState.Idle)

    fun login(email: String, password: String) {
        require(email.isNotBlank()) { "email required" }
        if (password.length < 8) {
            _state.value = LoginState.Error("too short")
            return
        }
        _state.value = LoginState.Loading
        try {
            val user = api.login(email, password)
            _state.value = LoginState.Success(user)
        } catch (e: IOException) {
            _state.value = LoginState.Error("network")
        }
    }

    fun logout() {
        _state.value = LoginState.Idle
    }

    private fun reset() {}
}
