package org.demo

object Endpoints {
    const val BASE = "https://api.demo.org/v2/"
    const val USERS = "users"
}

object ApiConstants {
    const val REPOS = "repos"
    const val LOGIN_PATH = "session/login"
}
