// Hand-written: the generated Kotlin client against the seed doc page of
// pims.authentication.smscode phoneNumberCertification, whose facts are in
// tests/fixtures/seed-phoneNumberCertification.json (checked against the page
// itself by the Rust conformance tests). Run by .ci/run with JUnit 4, the
// fixture's path in the system property `pims.seed`.
package pims.sdk

import org.junit.Assert.assertEquals
import org.junit.Assert.assertNull
import org.junit.Assert.assertTrue
import org.junit.Assert.fail
import org.junit.Test
import pims.sdk.authentication.smscode.PhoneNumberCertification
import pims.sdk.authentication.smscode.PhoneNumberCertificationError
import pims.sdk.authentication.smscode.ValidateEnrollmentCode
import pims.sdk.authentication.smscode.ValidateEnrollmentCodeResult
import pims.sdk.authentication.smscode.ValidateEnrollmentCodeResultStatus

class SeedConformanceTest {
    private val seed: Map<String, Any?> by lazy {
        val path = System.getProperty("pims.seed") ?: "../tests/fixtures/seed-phoneNumberCertification.json"
        @Suppress("UNCHECKED_CAST")
        MiniJson.parse(java.io.File(path).readText()) as Map<String, Any?>
    }

    @Suppress("UNCHECKED_CAST")
    private fun seedList(key: String): List<Any?> = seed[key] as List<Any?>

    @Test
    fun parametersEqualTheSeedsKotlinMap() {
        val pairs = seedList("kotlin_parameters").map {
            val pair = it as List<*>
            Pair(pair[0] as String, pair[1])
        }
        assertEquals(2, pairs.size)
        assertEquals(mapOf(*pairs.toTypedArray()), PhoneNumberCertification("0612345678").toParameters())
    }

    /** The typed outcome each documented message must decode into, by code (`null`: SUCCEEDED). */
    private val expected: Map<Long?, Outcome<Unit, PhoneNumberCertificationError>> = mapOf(
        null to Outcome.Succeeded("953cfefb-bc72", Unit),
        2001L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.FacadeNotInitialized),
        2006L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.CoreNotConfigured),
        // the label is sent as written: the placeholder was not filled in
        2101L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.MissingParameter(null)),
        2102L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.InvalidParameter(null)),
        2201L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.Timeout),
        2202L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.NoInternet),
        2204L to Outcome.Failed("953cfefb-bc72", PhoneNumberCertificationError.ServerError(emptyList()))
    )

    @Test
    fun eachDocumentedMessageDecodesIntoItsTypedOutcome() {
        val messages = seedList("messages")
        assertEquals(8, messages.size)
        val seen = HashSet<Long?>()
        for (m in messages) {
            @Suppress("UNCHECKED_CAST")
            val message = m as Map<String, Any?>
            val code = (message["error"] as? Map<*, *>)?.get("code") as Long?
            seen.add(code)
            val want = expected[code] ?: throw AssertionError("no expectation for code $code")
            assertEquals("message with code $code", want, PhoneNumberCertification.decodeReply(message))
        }
        assertEquals(expected.keys, seen)
    }

    @Test
    fun errorCodesArriveAsIntLongOrIntegralDouble() {
        for (code in listOf<Any>(2202, 2202L, 2202.0)) {
            val message = mapOf("transactionId" to "t", "status" to "FAILED", "error" to mapOf("code" to code, "label" to "x"))
            assertEquals(Outcome.Failed("t", PhoneNumberCertificationError.NoInternet), PhoneNumberCertification.decodeReply(message))
        }
        val fraction = mapOf("transactionId" to "t", "status" to "FAILED", "error" to mapOf("code" to 2202.5, "label" to "x"))
        val outcome = PhoneNumberCertification.decodeReply(fraction)
        assertTrue("$outcome", outcome is Outcome.Undecodable && outcome.error.path == "error.code")
    }

    @Test
    fun integerFieldsNeverTruncateAFraction() {
        assertEquals(12L, Types.RadioStation.decode(mapOf("sid" to 12), "result").sid)
        assertEquals(12L, Types.RadioStation.decode(mapOf("sid" to 12.0), "result").sid)
        try {
            Types.RadioStation.decode(mapOf("sid" to 12.5), "result")
            fail("12.5 was accepted as an integer")
        } catch (e: DecodeException) {
            assertEquals("result.sid", e.error.path)
        }
    }

    @Test
    fun placeholdersAndUnlistedCodes() {
        val filled = mapOf("transactionId" to "t", "status" to "FAILED", "error" to mapOf("code" to 2101, "label" to "Missing phoneNumber parameter"))
        val outcome = PhoneNumberCertification.decodeReply(filled)
        assertEquals(Outcome.Failed("t", PhoneNumberCertificationError.MissingParameter("phoneNumber")), outcome)
        assertEquals("Missing phoneNumber parameter", (outcome as Outcome.Failed).error.label)
        val other = mapOf("transactionId" to "t", "status" to "FAILED", "error" to mapOf("code" to 2344, "label" to "whatever"))
        val unlisted = PhoneNumberCertification.decodeReply(other) as Outcome.Failed
        assertTrue(unlisted.error is PhoneNumberCertificationError.Unlisted)
        assertEquals(2344L, unlisted.error.code)
        val unknown = mapOf("transactionId" to "t", "status" to "FAILED", "error" to mapOf("code" to 9999, "label" to "new"))
        assertEquals(
            Outcome.Failed("t", PhoneNumberCertificationError.Unlisted(PimsError.Unlisted(9999L, "new"))),
            PhoneNumberCertification.decodeReply(unknown)
        )
    }

    @Test
    fun checksRefuseWhatTheRustRuntimeRefuses() {
        for (bad in listOf("06 12 34 56 78", "0612", "0612345678\n", "+33612345678x")) {
            try {
                PhoneNumberCertification(bad).toParameters()
                fail("$bad was sent")
            } catch (e: InvalidParameterException) {
                assertEquals("phoneNumber", e.invalid.parameter)
            }
        }
        PhoneNumberCertification("+33612345678").toParameters()
    }

    @Test
    fun enumerationsKeepUnknownValues() {
        val known = ValidateEnrollmentCodeResult.decode(mapOf("status" to "AlreadyEnrolled"), "result")
        assertEquals(ValidateEnrollmentCodeResultStatus.AlreadyEnrolled, known.status)
        val unknown = ValidateEnrollmentCodeResult.decode(mapOf("status" to "Pending", "extra" to 1), "result")
        assertTrue(unknown.status is ValidateEnrollmentCodeResultStatus.Unlisted)
        assertEquals("Pending", unknown.status.wire)
    }

    @Test
    fun theTypedCallGoesThroughTheFacade() {
        val facade = object : Facade {
            var sent: Pair<String, Map<String, Any?>>? = null
            override fun get(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit) {
                sent = Pair(api, parameters)
                callback(mapOf("transactionId" to "953cfefb-bc72", "status" to "SUCCEEDED", "result" to null))
            }
            override fun set(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit) =
                throw AssertionError("set was called")
            override fun subscribe(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit) =
                throw AssertionError("subscribe was called")
            override fun unsubscribe(api: String, callback: (Map<String, Any?>) -> Unit) =
                throw AssertionError("unsubscribe was called")
        }
        val outcomes = ArrayList<Outcome<Unit, PhoneNumberCertificationError>>()
        Pims(facade).call(PhoneNumberCertification("0612345678")) { outcomes.add(it) }
        assertEquals(listOf(Outcome.Succeeded("953cfefb-bc72", Unit)), outcomes)
        assertEquals("pims.authentication.smscode", facade.sent?.first)
        // refused before sending: the facade is not called
        facade.sent = null
        Pims(facade).call(PhoneNumberCertification("x")) { outcomes.add(it) }
        assertNull(facade.sent)
        assertTrue(outcomes.last() is Outcome.Invalid)
        // a set operation goes through `set`
        val sets = ArrayList<String>()
        val setFacade = object : Facade by facade {
            override fun set(api: String, parameters: Map<String, Any?>, callback: (Map<String, Any?>) -> Unit) {
                sets.add(parameters["action"] as String)
                callback(mapOf("transactionId" to "t", "status" to "SUCCEEDED", "result" to mapOf("status" to "NotEnrolled")))
            }
        }
        var result: Any? = null
        Pims(setFacade).call(ValidateEnrollmentCode("123456")) { result = it }
        assertEquals(listOf("enrollment"), sets)
        assertEquals(Outcome.Succeeded("t", ValidateEnrollmentCodeResult(ValidateEnrollmentCodeResultStatus.NotEnrolled)), result)
    }
}

/** Just enough JSON to read the fixture: integers as `Long`, other numbers as `Double`. */
object MiniJson {
    fun parse(text: String): Any? {
        val p = P(text)
        val v = p.value()
        p.ws()
        if (p.i != text.length) throw IllegalArgumentException("trailing text at ${p.i}")
        return v
    }

    private class P(val s: String) {
        var i = 0
        fun ws() { while (i < s.length && s[i].isWhitespace()) i++ }
        fun value(): Any? {
            ws()
            return when (s[i]) {
                '{' -> obj()
                '[' -> arr()
                '"' -> str()
                't' -> { i += 4; true }
                'f' -> { i += 5; false }
                'n' -> { i += 4; null }
                else -> num()
            }
        }
        fun obj(): Map<String, Any?> {
            val out = LinkedHashMap<String, Any?>()
            i++
            ws()
            if (s[i] == '}') { i++; return out }
            while (true) {
                ws()
                val k = str()
                ws(); i++ // ':'
                out[k] = value()
                ws()
                if (s[i++] == '}') return out
            }
        }
        fun arr(): List<Any?> {
            val out = ArrayList<Any?>()
            i++
            ws()
            if (s[i] == ']') { i++; return out }
            while (true) {
                out.add(value())
                ws()
                if (s[i++] == ']') return out
            }
        }
        fun str(): String {
            val out = StringBuilder()
            i++
            while (s[i] != '"') {
                if (s[i] == '\\') {
                    i++
                    when (s[i]) {
                        'n' -> out.append('\n')
                        't' -> out.append('\t')
                        'r' -> out.append('\r')
                        'u' -> { out.append(s.substring(i + 1, i + 5).toInt(16).toChar()); i += 4 }
                        else -> out.append(s[i])
                    }
                } else {
                    out.append(s[i])
                }
                i++
            }
            i++
            return out.toString()
        }
        fun num(): Any {
            val start = i
            while (i < s.length && (s[i].isDigit() || s[i] in "+-.eE")) i++
            val t = s.substring(start, i)
            return if (t.any { it in ".eE" }) t.toDouble() else t.toLong()
        }
    }
}
