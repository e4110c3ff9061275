
import java.util.regex.Pattern as JavaPattern
import java.util.regex.PatternSyntaxException

// What every generated operation uses: the facade, the typed call, the
// message envelope, the checks made before sending, label placeholders and
// tolerant decoding of the platform's maps. The same rules as the Rust
// runtime (pims-runtime): a check refuses what it refuses, naming the same
// parameter; a message decodes as it decodes.

/** How an operation is called: `pims.get`, `pims.set`, `pims.subscribe`, `pims.unsubscribe`. */
enum class Verb(val wire: String) {
    GET("get"),
    SET("set"),
    SUBSCRIBE("subscribe"),
    UNSUBSCRIBE("unsubscribe")
}

/**
 * The platform SDK's facade as the app holds it:
 * `pims.get|set|subscribe(api, parameters, callback)` and `pims.unsubscribe(api, callback)`.
 * Parameters go in and messages come out as the platform's maps.
 */
interface Facade {
    fun get(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit)
    fun set(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit)
    fun subscribe(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit)
    fun unsubscribe(api: String, callback: (Map<String, Any?>) -> Unit)
}

/** Parameters refused before anything was sent: the parameter as a wire path (`destination.latitude`, `ids[2]`), and why. */
data class InvalidParameter(val parameter: String, val reason: String) {
    override fun toString(): String = "invalid parameter `" + parameter + "`: " + reason
}

/** Thrown by `toParameters()` when a check fails. */
class InvalidParameterException(val invalid: InvalidParameter) : IllegalArgumentException(invalid.toString())

/** A message that could not be decoded: where (a dotted path, empty for the whole message) and what was wrong. */
data class DecodeError(val path: String, val reason: String) {
    override fun toString(): String =
        if (path.length == 0) "invalid message: " + reason else "invalid message at `" + path + "`: " + reason
}

/** Thrown by the decoders; the typed call turns it into [Outcome.Undecodable]. */
class DecodeException(val error: DecodeError) : IllegalArgumentException(error.toString())

/** What a typed call or event gives. */
sealed class Outcome<out T, out E> {
    /** `SUCCEEDED` (or a `RESULT` event with a `result`), decoded. */
    data class Succeeded<out T>(val transactionId: String, val result: T) : Outcome<T, Nothing>()
    /** `FAILED` (or a `RESULT` event with an `error`), decoded. */
    data class Failed<out E>(val transactionId: String, val error: E) : Outcome<Nothing, E>()
    /** Refused before sending: nothing was sent. */
    data class Invalid(val invalid: InvalidParameter) : Outcome<Nothing, Nothing>()
    /** The message was not a valid message for this operation. */
    data class Undecodable(val error: DecodeError) : Outcome<Nothing, Nothing>()
}

/** The `error` object of a `FAILED` message or of a failed `RESULT` event. */
data class WireError(val code: Long, val label: String, val subCodes: List<Any?>?) {
    companion object {
        fun decode(value: Any?, path: String): WireError {
            val map = Decode.obj(value, path)
            return WireError(
                Decode.required(map, "code", path) { v, p -> Decode.integer(v, p) },
                Decode.required(map, "label", path) { v, p -> Decode.string(v, p) },
                Decode.optional(map, "subCode", path) { v, p -> Decode.list(v, p) { item, _ -> item } }
            )
        }
    }
}

/** A step of a check's path from the parameters map. */
sealed class Seg {
    data class Key(val key: String) : Seg()
    object Each : Seg()
}

/** A constraint a parameter must meet. Absent values and `null` meet every rule. */
sealed class Rule {
    /** Matches [pattern] (the spec's regex-lite syntax); [javaPattern] is the same pattern for java.util.regex. */
    class Pattern(val pattern: String, val javaPattern: String) : Rule() {
        internal val compiled: JavaPattern? by lazy {
            try {
                JavaPattern.compile(javaPattern, JavaPattern.UNIX_LINES)
            } catch (e: PatternSyntaxException) {
                null
            }
        }
    }
    class MinLength(val min: Long) : Rule()
    class MaxLength(val max: Long) : Rule()
    class Minimum(val min: Double) : Rule()
    class Maximum(val max: Double) : Rule()
    class MinItems(val min: Long) : Rule()
    class MaxItems(val max: Long) : Rule()
    /** One of these (strings, `Long`s, `Double`s or booleans). */
    class OneOf(val members: List<Any>) : Rule()
}

/** One row of an operation's check table. */
class Check(val path: List<Seg>, val rule: Rule)

/** The check table applied to parameters, as the Rust runtime applies it. */
object Checks {
    /** The first failure, or `null`. */
    fun firstFailure(checks: List<Check>, parameters: Map<String, Any?>): InvalidParameter? {
        for (check in checks) {
            val found = ArrayList<Pair<String, Any?>>()
            collect(check.path, 0, parameters, "", found)
            for ((path, value) in found) {
                val reason = apply(check.rule, value)
                if (reason != null) return InvalidParameter(path, reason)
            }
        }
        return null
    }

    private fun collect(path: List<Seg>, at: Int, map: Map<*, *>, prefix: String, out: MutableList<Pair<String, Any?>>) {
        val seg = path.getOrNull(at) as? Seg.Key ?: return
        if (!map.containsKey(seg.key)) return
        val here = if (prefix.length == 0) seg.key else prefix + "." + seg.key
        descend(path, at + 1, map[seg.key], here, out)
    }

    private fun descend(path: List<Seg>, at: Int, value: Any?, here: String, out: MutableList<Pair<String, Any?>>) {
        val seg = path.getOrNull(at)
        when (seg) {
            null -> out.add(Pair(here, value))
            is Seg.Key -> if (value is Map<*, *>) collect(path, at, value, here, out)
            is Seg.Each -> if (value is List<*>) {
                value.forEachIndexed { i, item -> descend(path, at + 1, item, here + "[" + i + "]", out) }
            }
        }
    }

    private fun apply(rule: Rule, value: Any?): String? {
        if (value == null) return null
        return when (rule) {
            is Rule.Pattern -> {
                if (value !is String) return null
                val regex = rule.compiled
                    ?: return "the pattern `" + rule.pattern + "` is not a valid regex"
                if (regex.matcher(value).find()) null
                else Json.text(value) + " does not match the pattern `" + rule.pattern + "`"
            }
            is Rule.MinLength ->
                if (value is String && value.codePointCount(0, value.length) < rule.min)
                    Json.text(value) + " has fewer than the " + rule.min + " characters required"
                else null
            is Rule.MaxLength ->
                if (value is String && value.codePointCount(0, value.length) > rule.max)
                    Json.text(value) + " has more than the " + rule.max + " characters allowed"
                else null
            is Rule.Minimum -> {
                val n = Json.number(value)
                if (n != null && n < rule.min) Json.text(value) + " is less than the minimum " + Json.text(rule.min) else null
            }
            is Rule.Maximum -> {
                val n = Json.number(value)
                if (n != null && n > rule.max) Json.text(value) + " is more than the maximum " + Json.text(rule.max) else null
            }
            is Rule.MinItems ->
                if (value is List<*> && value.size < rule.min) "has " + value.size + " items, fewer than " + rule.min else null
            is Rule.MaxItems ->
                if (value is List<*> && value.size > rule.max) "has " + value.size + " items, more than " + rule.max else null
            is Rule.OneOf ->
                if (rule.members.any { matches(it, value) }) null
                else Json.text(value) + " is not one of " + rule.members.joinToString(", ") { Json.text(it) }
        }
    }

    /** Whether [value] is the constant [member]: numbers compare by value (`1` is `1.0`). */
    fun matches(member: Any, value: Any?): Boolean = when (member) {
        is String -> value is String && value == member
        is Boolean -> value is Boolean && value == member
        is Long -> {
            val n = Json.number(value)
            (Json.isInteger(value) && (value as Number).toLong() == member) || (n != null && n == member.toDouble())
        }
        is Double -> Json.number(value) == member
        else -> false
    }
}

/** Values as the Rust runtime shows them in its messages, and numbers as it reads them. */
object Json {
    fun isInteger(value: Any?): Boolean = value is Long || value is Int || value is Short || value is Byte

    /** A number's value as a `Double`, or `null` for anything else. */
    fun number(value: Any?): Double? = if (value is Number) value.toDouble() else null

    fun text(value: Any?): String = when (value) {
        null -> "null"
        is String -> quote(value)
        is Double -> if (value == Math.floor(value) && !value.isInfinite() && Math.abs(value) < 1e16) value.toLong().toString() + ".0" else value.toString()
        is Float -> text(value.toDouble())
        is Number, is Boolean -> value.toString()
        is List<*> -> value.joinToString(",", "[", "]") { text(it) }
        is Map<*, *> -> value.entries.joinToString(",", "{", "}") { quote(it.key.toString()) + ":" + text(it.value) }
        else -> quote(value.toString())
    }

    fun quote(s: String): String {
        val out = StringBuilder("\"")
        for (c in s) {
            when {
                c == '"' -> out.append("\\\"")
                c == '\\' -> out.append("\\\\")
                c == '\n' -> out.append("\\n")
                c == '\r' -> out.append("\\r")
                c == '\t' -> out.append("\\t")
                c < ' ' -> out.append(String.format("\\u%04x", c.toInt()))
                else -> out.append(c)
            }
        }
        return out.append('"').toString()
    }
}

/** Decoding of the platform's maps, tolerant of how numbers arrive (`Int`, `Long`, `Double`, …). */
object Decode {
    private fun fail(path: String, reason: String): Nothing = throw DecodeException(DecodeError(path, reason))

    fun child(path: String, key: String): String = if (path.length == 0) key else path + "." + key

    private fun kind(value: Any?): String = when (value) {
        null -> "null"
        is Boolean -> "a boolean"
        is Number -> "a number"
        is String -> "a string"
        is List<*>, is Array<*> -> "an array"
        is Map<*, *> -> "an object"
        else -> "a " + value.javaClass.simpleName
    }

    /** A map with string keys. */
    fun obj(value: Any?, path: String): Map<String, Any?> {
        if (value !is Map<*, *>) fail(path, "expected an object, found " + kind(value))
        val out = LinkedHashMap<String, Any?>()
        for ((k, v) in value) {
            if (k !is String) fail(path, "expected string keys, found " + kind(k))
            out[k] = v
        }
        return out
    }

    fun string(value: Any?, path: String): String =
        value as? String ?: fail(path, "expected a string, found " + kind(value))

    fun boolean(value: Any?, path: String): Boolean =
        value as? Boolean ?: fail(path, "expected a boolean, found " + kind(value))

    /** An integer: any integral number; a `Double` only when it has no fraction and fits a `Long`. */
    fun integer(value: Any?, path: String): Long = when (value) {
        is Long -> value
        is Int -> value.toLong()
        is Short -> value.toLong()
        is Byte -> value.toLong()
        is java.math.BigInteger ->
            if (value.bitLength() < 64) value.toLong() else fail(path, "the integer " + value + " is out of range")
        is java.math.BigDecimal ->
            try { value.longValueExact() } catch (e: ArithmeticException) { fail(path, "expected an integer, found " + value) }
        is Double -> integral(value, path)
        is Float -> integral(value.toDouble(), path)
        else -> fail(path, "expected an integer, found " + kind(value))
    }

    private fun integral(d: Double, path: String): Long {
        if (d.isNaN() || d.isInfinite() || d != Math.floor(d)) fail(path, "expected an integer, found " + Json.text(d))
        if (d < -9.223372036854775808E18 || d >= 9.223372036854775808E18) fail(path, "the integer " + Json.text(d) + " is out of range")
        return d.toLong()
    }

    fun number(value: Any?, path: String): Double =
        if (value is Number) value.toDouble() else fail(path, "expected a number, found " + kind(value))

    fun <T> list(value: Any?, path: String, item: (Any?, String) -> T): List<T> {
        val items: List<*> = when (value) {
            is List<*> -> value
            is Array<*> -> value.toList()
            else -> fail(path, "expected an array, found " + kind(value))
        }
        return items.mapIndexed { i, v -> item(v, path + "[" + i + "]") }
    }

    /** A field that must be there and not `null`. */
    fun <T> required(map: Map<String, Any?>, key: String, path: String, decode: (Any?, String) -> T): T {
        if (!map.containsKey(key)) fail(path, "missing field `" + key + "`")
        val value = map[key] ?: fail(child(path, key), "expected a value, found null")
        return decode(value, child(path, key))
    }

    /** A field that must be there, `null` allowed (free JSON). */
    fun present(map: Map<String, Any?>, key: String, path: String): Any? {
        if (!map.containsKey(key)) fail(path, "missing field `" + key + "`")
        return map[key]
    }

    /** A field that may be absent or `null`. */
    fun <T> optional(map: Map<String, Any?>, key: String, path: String, decode: (Any?, String) -> T): T? {
        val value = map[key] ?: return null
        return decode(value, child(path, key))
    }

    /** `null`, or the decoded value. */
    fun <T> nullable(value: Any?, path: String, decode: (Any?, String) -> T): T? =
        if (value == null) null else decode(value, path)

    /** Refuses keys other than [known] (objects inside parameters). */
    fun strict(map: Map<String, Any?>, known: Set<String>, path: String) {
        for (key in map.keys) if (key !in known) fail(path, "unknown field `" + key + "`")
    }

    /** The keys other than [known], kept as they came. */
    fun additional(map: Map<String, Any?>, known: Set<String>): Map<String, Any?> =
        map.filterKeys { it !in known }

    /** No data: `null` or `{}`. */
    fun none(value: Any?, path: String) {
        if (value == null || (value is Map<*, *> && value.isEmpty())) return
        fail(path, "expected no data, found " + kind(value))
    }
}

/** Error labels with placeholders (`Missing [PARAMETER] parameter`), matched as the Rust runtime matches them. */
object Labels {
    /** A piece of a label template: text, or a placeholder as written. */
    class Piece(val text: String, val hole: Boolean)

    fun text(text: String): Piece = Piece(text, false)
    fun hole(hole: String): Piece = Piece(hole, true)

    /** Labels longer than this (in UTF-8 bytes) are not searched. */
    private const val MAX_LABEL = 4096

    /** What the facade filled in for each placeholder, in order; `null` where it sent the placeholder as written or the label does not follow the template. */
    fun captures(pieces: List<Piece>, label: String): List<String?> {
        val holes = pieces.count { it.hole }
        val none = List<String?>(holes) { null }
        if (label.toByteArray(Charsets.UTF_8).size > MAX_LABEL) return none
        val found = ArrayList<Pair<String, String>>()
        if (!matchFrom(pieces, 0, label, found)) return none
        return found.map { (hole, value) -> if (value == hole) null else value }
    }

    /** Matches [pieces] from [at] against the whole of [label], each hole taking at least one character; the first hole takes as little as it can. */
    private fun matchFrom(pieces: List<Piece>, at: Int, label: String, found: MutableList<Pair<String, String>>): Boolean {
        if (at == pieces.size) return label.length == 0
        val piece = pieces[at]
        if (!piece.hole) {
            return label.startsWith(piece.text) && matchFrom(pieces, at + 1, label.substring(piece.text.length), found)
        }
        val next = pieces.getOrNull(at + 1)
        val ends = ArrayList<Int>()
        if (next == null) {
            ends.add(label.length)
        } else if (!next.hole) {
            // non-overlapping occurrences, left to right, not at the start
            var i = label.indexOf(next.text)
            while (i >= 0) {
                if (i > 0) ends.add(i)
                i = label.indexOf(next.text, i + next.text.length)
            }
        } else {
            // two holes side by side: the first takes one character at a time
            var i = 0
            while (i < label.length) {
                i += Character.charCount(label.codePointAt(i))
                if (i < label.length) ends.add(i)
            }
        }
        for (end in ends) {
            if (end == 0) continue
            found.add(Pair(piece.text, label.substring(0, end)))
            if (matchFrom(pieces, at + 1, label.substring(end), found)) return true
            found.removeAt(found.size - 1)
        }
        return false
    }

    /** The template with each placeholder replaced by its value, or left as written where it is `null`. */
    fun fill(pieces: List<Piece>, values: List<String?>): String {
        val out = StringBuilder()
        var hole = 0
        for (piece in pieces) {
            if (piece.hole) {
                out.append(values.getOrNull(hole) ?: piece.text)
                hole += 1
            } else {
                out.append(piece.text)
            }
        }
        return out.toString()
    }
}

/** What every operation knows about itself: its api, name, verb, checks, and how its answers decode. */
abstract class Operation<R, E>(
    val api: String,
    val name: String,
    val verb: Verb,
    val checks: List<Check>
) {
    /** Decodes a `SUCCEEDED` message's `result`. */
    abstract fun decodeResult(value: Any?, path: String): R

    /** Decodes the `error` of a `FAILED` message. */
    abstract fun decodeError(error: WireError): E

    /** [parameters] after the check table, or the first refusal, thrown. */
    fun checked(parameters: Map<String, Any?>): Map<String, Any?> {
        val invalid = Checks.firstFailure(checks, parameters)
        if (invalid != null) throw InvalidParameterException(invalid)
        return parameters
    }

    /** `{}`, `null` and a missing `result` all mean no data: each is tried as the other. */
    internal fun result(value: Any?): R {
        try {
            return decodeResult(value, "result")
        } catch (first: DecodeException) {
            val fallback: Any? = when {
                value == null -> LinkedHashMap<String, Any?>()
                value is Map<*, *> && value.isEmpty() -> null
                else -> throw first
            }
            try {
                return decodeResult(fallback, "result")
            } catch (second: DecodeException) {
                throw first
            }
        }
    }

    internal fun error(message: Map<String, Any?>): E {
        if (!message.containsKey("error")) throw DecodeException(DecodeError("error", "missing"))
        return decodeError(WireError.decode(message["error"], "error"))
    }

    /** Decodes the answer to a call: a `SUCCEEDED` or `FAILED` message. */
    fun decodeReply(message: Map<String, Any?>): Outcome<R, E> = try {
        val transactionId = Envelope.transactionId(message)
        when (Envelope.status(message)) {
            "SUCCEEDED" -> Outcome.Succeeded(transactionId, result(message["result"]))
            "FAILED" -> Outcome.Failed(transactionId, error(message))
            else -> throw DecodeException(DecodeError("status", "RESULT is an event, but " + api + " " + name + " is answered with SUCCEEDED or FAILED"))
        }
    } catch (e: DecodeException) {
        Outcome.Undecodable(e.error)
    }
}

/** A `get` or `set` operation. */
abstract class CallOperation<R, E>(api: String, name: String, verb: Verb, checks: List<Check>) :
    Operation<R, E>(api, name, verb, checks)

/** A `subscribe` operation: an acknowledgement, then `RESULT` events. */
abstract class SubscriptionOperation<R, V, E>(api: String, name: String, checks: List<Check>) :
    Operation<R, E>(api, name, Verb.SUBSCRIBE, checks) {
    /** Decodes a `RESULT` event's `result`. */
    abstract fun decodeEvent(value: Any?, path: String): V

    /** Decodes an event: a `RESULT` message with a `result` or an `error`. */
    fun decodeEventMessage(message: Map<String, Any?>): Outcome<V, E> = try {
        val transactionId = Envelope.transactionId(message)
        val status = Envelope.status(message)
        if (status != "RESULT") {
            throw DecodeException(DecodeError("status", "expected RESULT for an event of " + api + " " + name + ", found " + status))
        }
        if (message["error"] != null || message.containsKey("error")) Outcome.Failed(transactionId, error(message))
        else Outcome.Succeeded(transactionId, event(message["result"]))
    } catch (e: DecodeException) {
        Outcome.Undecodable(e.error)
    }

    private fun event(value: Any?): V {
        try {
            return decodeEvent(value, "result")
        } catch (first: DecodeException) {
            val fallback: Any? = when {
                value == null -> LinkedHashMap<String, Any?>()
                value is Map<*, *> && value.isEmpty() -> null
                else -> throw first
            }
            try {
                return decodeEvent(fallback, "result")
            } catch (second: DecodeException) {
                throw first
            }
        }
    }
}

/** The envelope's `transactionId` and `status`. */
internal object Envelope {
    fun transactionId(message: Map<String, Any?>): String {
        if (!message.containsKey("transactionId")) throw DecodeException(DecodeError("transactionId", "missing"))
        val value = message["transactionId"]
        return value as? String
            ?: throw DecodeException(DecodeError("transactionId", "expected a string, found " + Json.text(value)))
    }

    fun status(message: Map<String, Any?>): String {
        if (!message.containsKey("status")) throw DecodeException(DecodeError("status", "missing"))
        val value = message["status"] as? String
            ?: throw DecodeException(DecodeError("status", "expected a string, found " + Json.text(message["status"])))
        if (value != "SUCCEEDED" && value != "FAILED" && value != "RESULT") {
            throw DecodeException(DecodeError("status", "unknown status " + Json.quote(value) + ": expected SUCCEEDED, FAILED or RESULT"))
        }
        return value
    }
}

/** A request of a `get` or `set` operation. */
interface CallRequest<R, E> {
    val operation: CallOperation<R, E>

    /** The exact parameters the platform call takes (selector included), checked; throws [InvalidParameterException]. */
    fun toParameters(): Map<String, Any?>
}

/** A request of a `subscribe` operation. */
interface SubscriptionRequest<R, V, E> {
    val operation: SubscriptionOperation<R, V, E>

    /** The exact parameters the platform call takes (selector included), checked; throws [InvalidParameterException]. */
    fun toParameters(): Map<String, Any?>
}
