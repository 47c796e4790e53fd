package org.demo

data class GeneratedDto(val id: Int)
