package demo

class Repo(private val items: List<Int>) {
    fun find(limit: Int, strict: Boolean): Int? {
        outer@ for (i in items) {
            if (i > limit && strict) break@outer
            else if (i < 0) continue
        }
        val kind = when {
            limit > 10 -> "big"
            limit > 0 -> "small"
            else -> "none"
        }
        return try {
            kind.length
        } catch (e: Exception) {
            null
        }
    }
}

fun top(x: Int) = if (x > 0) x else -x
