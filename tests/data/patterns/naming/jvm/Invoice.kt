package net.naming

import com.fasterxml.jackson.databind.PropertyNamingStrategies
import com.fasterxml.jackson.databind.annotation.JsonNaming

// A class of its own policy (Jackson's snake case) before the code base's Gson policy.
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy::class)
data class Invoice(val totalAmount: Int, val dueDateUTC: String)
