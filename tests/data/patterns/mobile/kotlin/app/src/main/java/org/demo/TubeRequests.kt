package org.demo

import io.ktor.client.request.post
import io.ktor.client.request.setBody

suspend fun Tube.browsePage(id: String) = client.post(browse) { setBody(id) }

suspend fun Tube.playerPage(id: String) = client.post(player) { setBody(id) }
