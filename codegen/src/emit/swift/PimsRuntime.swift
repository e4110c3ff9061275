
import Foundation

// What every generated operation uses: the facade, the typed call, the
// message envelope, the checks made before sending, label placeholders and
// tolerant decoding of the platform's dictionaries. The same rules as the
// Rust runtime (pims-runtime): a check refuses what it refuses, naming the
// same parameter; a message decodes as it decodes.

/// How an operation is called: `pims.get`, `pims.set`, `pims.subscribe`, `pims.unsubscribe`.
public enum PimsVerb: String, Equatable {
    case get
    case set
    case subscribe
    case unsubscribe
}

/// The platform SDK's facade as the app holds it:
/// `pims.get|set|subscribe(api:parameters:callback:)` and `pims.unsubscribe(api:callback:)`.
public protocol PimsFacade: AnyObject {
    func get(api: String, parameters: [String: Any], callback: @escaping ([String: Any]) -> Void)
    func set(api: String, parameters: [String: Any], callback: @escaping ([String: Any]) -> Void)
    func subscribe(api: String, parameters: [String: Any], callback: @escaping ([String: Any]) -> Void)
    func unsubscribe(api: String, callback: @escaping ([String: Any]) -> Void)
}

/// Parameters refused before anything was sent: the parameter as a wire path (`destination.latitude`, `ids[2]`), and why.
public struct PimsInvalidParameter: Error, Equatable, CustomStringConvertible {
    public let parameter: String
    public let reason: String
    public init(parameter: String, reason: String) {
        self.parameter = parameter
        self.reason = reason
    }
    public var description: String { "invalid parameter `\(parameter)`: \(reason)" }
}

/// A message that could not be decoded: where (a dotted path, empty for the whole message) and what was wrong.
public struct PimsDecodeError: Error, Equatable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String {
        path.isEmpty ? "invalid message: \(reason)" : "invalid message at `\(path)`: \(reason)"
    }
}

/// What a typed call or event gives.
public enum PimsOutcome<Success, Failure> {
    /// `SUCCEEDED` (or a `RESULT` event with a `result`), decoded.
    case succeeded(transactionId: String, result: Success)
    /// `FAILED` (or a `RESULT` event with an `error`), decoded.
    case failed(transactionId: String, error: Failure)
    /// Refused before sending: nothing was sent.
    case invalid(PimsInvalidParameter)
    /// The message was not a valid message for this operation.
    case undecodable(PimsDecodeError)
}

extension PimsOutcome: Equatable where Success: Equatable, Failure: Equatable {}

/// The result of an operation that returns no data.
public struct PimsNoData: Equatable {
    public init() {}
}

/// Free JSON, as received.
public indirect enum PimsValue: Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([PimsValue])
    case object([String: PimsValue])

    /// The value of a platform dictionary entry.
    public init(any value: Any?) {
        guard let value = PimsDecode.unwrap(value) else {
            self = .null
            return
        }
        if PimsDecode.isBoolean(value), let b = value as? Bool {
            self = .bool(b)
        } else if let s = value as? String {
            self = .string(s)
        } else if let i = try? PimsDecode.integer(value, at: "") {
            self = .int(i)
        } else if let d = try? PimsDecode.number(value, at: "") {
            self = .double(d)
        } else if let a = value as? [Any] {
            self = .array(a.map { PimsValue(any: $0) })
        } else if let o = value as? [String: Any] {
            self = .object(o.mapValues { PimsValue(any: $0) })
        } else {
            self = .string(String(describing: value))
        }
    }

    /// The value for a platform dictionary (`NSNull()` for `null`).
    public var any: Any {
        switch self {
        case .null: return NSNull()
        case .bool(let b): return b
        case .int(let i): return i
        case .double(let d): return d
        case .string(let s): return s
        case .array(let a): return a.map { $0.any }
        case .object(let o): return o.mapValues { $0.any }
        }
    }
}

/// The `error` object of a `FAILED` message or of a failed `RESULT` event.
public struct PimsWireError: Equatable {
    public let code: Int64
    public let label: String
    public let subCodes: [PimsValue]?
    public init(code: Int64, label: String, subCodes: [PimsValue]? = nil) {
        self.code = code
        self.label = label
        self.subCodes = subCodes
    }

    public static func decode(_ value: Any?, at path: String) throws -> PimsWireError {
        let map = try PimsDecode.object(value, at: path)
        return PimsWireError(
            code: try PimsDecode.required(map, "code", at: path) { v, p in try PimsDecode.integer(v, at: p) },
            label: try PimsDecode.required(map, "label", at: path) { v, p in try PimsDecode.string(v, at: p) },
            subCodes: try PimsDecode.optional(map, "subCode", at: path) { v, p in
                try PimsDecode.list(v, at: p) { item, _ in PimsValue(any: item) }
            }
        )
    }
}

/// A step of a check's path from the parameters dictionary.
public enum PimsSeg: Equatable {
    case key(String)
    case each
}

/// A constraint a parameter must meet. Absent values and `null` meet every rule.
public enum PimsRule {
    /// Matches `pattern` (the spec's regex-lite syntax); `icu` is the same pattern for NSRegularExpression.
    case pattern(String, icu: String)
    case minLength(Int)
    case maxLength(Int)
    case minimum(Double)
    case maximum(Double)
    case minItems(Int)
    case maxItems(Int)
    /// One of these.
    case oneOf([PimsValue])
}

/// One row of an operation's check table.
public struct PimsCheck {
    public let path: [PimsSeg]
    public let rule: PimsRule
    public init(_ path: [PimsSeg], _ rule: PimsRule) {
        self.path = path
        self.rule = rule
    }
}

/// The check table applied to parameters, as the Rust runtime applies it.
public enum PimsChecks {
    /// The first failure, or `nil`.
    public static func firstFailure(_ checks: [PimsCheck], _ parameters: [String: Any]) -> PimsInvalidParameter? {
        for check in checks {
            var found: [(String, Any)] = []
            collect(check.path, 0, parameters, "", &found)
            for (path, value) in found {
                if let reason = apply(check.rule, value) {
                    return PimsInvalidParameter(parameter: path, reason: reason)
                }
            }
        }
        return nil
    }

    private static func collect(_ path: [PimsSeg], _ at: Int, _ map: [String: Any], _ prefix: String, _ out: inout [(String, Any)]) {
        guard at < path.count, case .key(let key) = path[at], let value = map[key] else { return }
        let here = prefix.isEmpty ? key : prefix + "." + key
        descend(path, at + 1, value, here, &out)
    }

    private static func descend(_ path: [PimsSeg], _ at: Int, _ value: Any, _ here: String, _ out: inout [(String, Any)]) {
        guard at < path.count else {
            out.append((here, value))
            return
        }
        switch path[at] {
        case .key:
            if let map = value as? [String: Any] { collect(path, at, map, here, &out) }
        case .each:
            if let items = value as? [Any] {
                for (i, item) in items.enumerated() {
                    descend(path, at + 1, item, here + "[\(i)]", &out)
                }
            }
        }
    }

    private static func apply(_ rule: PimsRule, _ value: Any) -> String? {
        if PimsDecode.unwrap(value) == nil { return nil }
        let text = PimsValue(any: value)
        switch rule {
        case .pattern(let pattern, let icu):
            guard let s = value as? String else { return nil }
            guard let regex = try? NSRegularExpression(pattern: icu, options: [.useUnixLineSeparators]) else {
                return "the pattern `\(pattern)` is not a valid regex"
            }
            let range = NSRange(s.startIndex..<s.endIndex, in: s)
            return regex.firstMatch(in: s, options: [], range: range) == nil
                ? "\(PimsJSON.text(text)) does not match the pattern `\(pattern)`" : nil
        case .minLength(let min):
            guard let s = value as? String, s.unicodeScalars.count < min else { return nil }
            return "\(PimsJSON.text(text)) has fewer than the \(min) characters required"
        case .maxLength(let max):
            guard let s = value as? String, s.unicodeScalars.count > max else { return nil }
            return "\(PimsJSON.text(text)) has more than the \(max) characters allowed"
        case .minimum(let min):
            guard !PimsDecode.isBoolean(value), let n = try? PimsDecode.number(value, at: ""), n < min else { return nil }
            return "\(PimsJSON.text(text)) is less than the minimum \(PimsJSON.text(.double(min)))"
        case .maximum(let max):
            guard !PimsDecode.isBoolean(value), let n = try? PimsDecode.number(value, at: ""), n > max else { return nil }
            return "\(PimsJSON.text(text)) is more than the maximum \(PimsJSON.text(.double(max)))"
        case .minItems(let min):
            guard let items = value as? [Any], items.count < min else { return nil }
            return "has \(items.count) items, fewer than \(min)"
        case .maxItems(let max):
            guard let items = value as? [Any], items.count > max else { return nil }
            return "has \(items.count) items, more than \(max)"
        case .oneOf(let members):
            if members.contains(where: { matches($0, text) }) { return nil }
            return "\(PimsJSON.text(text)) is not one of \(members.map { PimsJSON.text($0) }.joined(separator: ", "))"
        }
    }

    /// Whether `value` is the constant `member`: numbers compare by value (`1` is `1.0`).
    public static func matches(_ member: PimsValue, _ value: PimsValue) -> Bool {
        switch (member, value) {
        case (.string(let a), .string(let b)): return a == b
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.int(let a), .double(let b)): return Double(a) == b
        case (.double(let a), .double(let b)): return a == b
        case (.double(let a), .int(let b)): return a == Double(b)
        default: return false
        }
    }
}

/// Values as the Rust runtime shows them in its messages.
public enum PimsJSON {
    public static func text(_ value: PimsValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d):
            return d == d.rounded() && abs(d) < 1e16 ? String(Int64(d)) + ".0" : String(d)
        case .string(let s): return quote(s)
        case .array(let a): return "[" + a.map { text($0) }.joined(separator: ",") + "]"
        case .object(let o):
            return "{" + o.keys.sorted().map { quote($0) + ":" + text(o[$0] ?? .null) }.joined(separator: ",") + "}"
        }
    }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// Decoding of the platform's dictionaries, tolerant of how numbers arrive (`Int`, `Int64`, `Double`, `NSNumber`, …).
public enum PimsDecode {
    static func fail(_ path: String, _ reason: String) -> PimsDecodeError {
        PimsDecodeError(path: path, reason: reason)
    }

    public static func child(_ path: String, _ key: String) -> String {
        path.isEmpty ? key : path + "." + key
    }

    /// `nil` for `nil`, `NSNull` and an empty optional inside `Any`.
    public static func unwrap(_ value: Any?) -> Any? {
        guard let value = value else { return nil }
        if value is NSNull { return nil }
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            return mirror.children.first.map { unwrap($0.value) } ?? nil
        }
        return value
    }

    /// Whether `value` is a boolean, including an `NSNumber` made from one.
    public static func isBoolean(_ value: Any) -> Bool {
        if type(of: value) == Bool.self { return true }
        if let n = value as? NSNumber { return String(cString: n.objCType) == "c" }
        return false
    }

    static func kind(_ value: Any?) -> String {
        guard let value = unwrap(value) else { return "null" }
        if isBoolean(value) { return "a boolean" }
        if value is String { return "a string" }
        if value is NSNumber || value is Int || value is Int64 || value is Double { return "a number" }
        if value is [Any] { return "an array" }
        if value is [String: Any] { return "an object" }
        return "a \(type(of: value))"
    }

    public static func object(_ value: Any?, at path: String) throws -> [String: Any] {
        guard let map = unwrap(value) as? [String: Any] else {
            throw fail(path, "expected an object, found \(kind(value))")
        }
        return map
    }

    public static func string(_ value: Any?, at path: String) throws -> String {
        guard let s = unwrap(value) as? String else { throw fail(path, "expected a string, found \(kind(value))") }
        return s
    }

    public static func boolean(_ value: Any?, at path: String) throws -> Bool {
        guard let v = unwrap(value), isBoolean(v), let b = v as? Bool else {
            throw fail(path, "expected a boolean, found \(kind(value))")
        }
        return b
    }

    /// An integer: any integral number; a `Double` only when it has no fraction and fits an `Int64`.
    public static func integer(_ value: Any?, at path: String) throws -> Int64 {
        guard let v = unwrap(value), !isBoolean(v) else {
            throw fail(path, "expected an integer, found \(kind(value))")
        }
        switch v {
        case let i as Int: return Int64(i)
        case let i as Int64: return i
        case let i as Int32: return Int64(i)
        case let i as Int16: return Int64(i)
        case let i as Int8: return Int64(i)
        case let u as UInt:
            guard let i = Int64(exactly: u) else { throw fail(path, "the integer \(u) is out of range") }
            return i
        case let u as UInt64:
            guard let i = Int64(exactly: u) else { throw fail(path, "the integer \(u) is out of range") }
            return i
        case let d as Double: return try integral(d, path)
        case let f as Float: return try integral(Double(f), path)
        case let n as NSNumber:
            if let i = Int64(exactly: n.doubleValue), Double(n.int64Value) == n.doubleValue { return i }
            return try integral(n.doubleValue, path)
        default:
            throw fail(path, "expected an integer, found \(kind(value))")
        }
    }

    static func integral(_ d: Double, _ path: String) throws -> Int64 {
        guard d.isFinite, d == d.rounded() else {
            throw fail(path, "expected an integer, found \(PimsJSON.text(.double(d)))")
        }
        guard let i = Int64(exactly: d) else {
            throw fail(path, "the integer \(PimsJSON.text(.double(d))) is out of range")
        }
        return i
    }

    public static func number(_ value: Any?, at path: String) throws -> Double {
        guard let v = unwrap(value), !isBoolean(v) else {
            throw fail(path, "expected a number, found \(kind(value))")
        }
        switch v {
        case let d as Double: return d
        case let f as Float: return Double(f)
        case let i as Int: return Double(i)
        case let i as Int64: return Double(i)
        case let n as NSNumber: return n.doubleValue
        default: throw fail(path, "expected a number, found \(kind(value))")
        }
    }

    public static func list<T>(_ value: Any?, at path: String, _ item: (Any?, String) throws -> T) throws -> [T] {
        guard let items = unwrap(value) as? [Any] else {
            throw fail(path, "expected an array, found \(kind(value))")
        }
        return try items.enumerated().map { i, v in try item(v, path + "[\(i)]") }
    }

    /// A field that must be there and not `null`.
    public static func required<T>(_ map: [String: Any], _ key: String, at path: String, _ decode: (Any?, String) throws -> T) throws -> T {
        guard let raw = map[key] else { throw fail(path, "missing field `\(key)`") }
        guard let value = unwrap(raw) else { throw fail(child(path, key), "expected a value, found null") }
        return try decode(value, child(path, key))
    }

    /// A field that must be there, `null` allowed (free JSON).
    public static func present(_ map: [String: Any], _ key: String, at path: String) throws -> PimsValue {
        guard let raw = map[key] else { throw fail(path, "missing field `\(key)`") }
        return PimsValue(any: raw)
    }

    /// A field that may be absent or `null`.
    public static func optional<T>(_ map: [String: Any], _ key: String, at path: String, _ decode: (Any?, String) throws -> T) throws -> T? {
        guard let value = unwrap(map[key]) else { return nil }
        return try decode(value, child(path, key))
    }

    /// `nil`, or the decoded value.
    public static func nullable<T>(_ value: Any?, at path: String, _ decode: (Any?, String) throws -> T) throws -> T? {
        guard let value = unwrap(value) else { return nil }
        return try decode(value, path)
    }

    /// Refuses keys other than `known` (objects inside parameters).
    public static func strict(_ map: [String: Any], _ known: Set<String>, at path: String) throws {
        for key in map.keys.sorted() where !known.contains(key) {
            throw fail(path, "unknown field `\(key)`")
        }
    }

    /// The keys other than `known`, kept as they came.
    public static func additional(_ map: [String: Any], _ known: Set<String>) -> [String: PimsValue] {
        var out: [String: PimsValue] = [:]
        for (key, value) in map where !known.contains(key) {
            out[key] = PimsValue(any: value)
        }
        return out
    }

    /// No data: `null` or `{}`.
    public static func none(_ value: Any?, at path: String) throws -> PimsNoData {
        guard let v = unwrap(value) else { return PimsNoData() }
        if let map = v as? [String: Any], map.isEmpty { return PimsNoData() }
        throw fail(path, "expected no data, found \(kind(value))")
    }
}

/// Error labels with placeholders (`Missing [PARAMETER] parameter`), matched as the Rust runtime matches them.
public enum PimsLabel {
    /// A piece of a label template: text, or a placeholder as written.
    public struct Piece {
        public let text: String
        public let hole: Bool
    }

    public static func text(_ text: String) -> Piece { Piece(text: text, hole: false) }
    public static func hole(_ hole: String) -> Piece { Piece(text: hole, hole: true) }

    /// Labels longer than this (in UTF-8 bytes) are not searched.
    static let maxLabel = 4096

    /// What the facade filled in for each placeholder, in order; `nil` where it sent the placeholder as written or the label does not follow the template.
    public static func captures(_ pieces: [Piece], _ label: String) -> [String?] {
        let none = [String?](repeating: nil, count: pieces.filter { $0.hole }.count)
        if label.utf8.count > maxLabel { return none }
        var found: [(String, String)] = []
        let scalars = Array(label.unicodeScalars)
        if !matchFrom(pieces, 0, scalars[...], &found) { return none }
        return found.map { hole, value in value == hole ? nil : value }
    }

    private static func string(_ s: ArraySlice<Unicode.Scalar>) -> String {
        var out = ""
        out.unicodeScalars.append(contentsOf: s)
        return out
    }

    /// Matches `pieces` from `at` against the whole of `label`, each hole taking at least one character; the first hole takes as little as it can.
    private static func matchFrom(_ pieces: [Piece], _ at: Int, _ label: ArraySlice<Unicode.Scalar>, _ found: inout [(String, String)]) -> Bool {
        if at == pieces.count { return label.isEmpty }
        let piece = pieces[at]
        let start = label.startIndex
        if !piece.hole {
            let text = Array(piece.text.unicodeScalars)
            guard label.count >= text.count, Array(label.prefix(text.count)) == text else { return false }
            return matchFrom(pieces, at + 1, label.dropFirst(text.count), &found)
        }
        var ends: [Int] = []
        if at + 1 == pieces.count {
            ends.append(label.count)
        } else if !pieces[at + 1].hole {
            // non-overlapping occurrences, left to right, not at the start
            let next = Array(pieces[at + 1].text.unicodeScalars)
            var i = 0
            while i + next.count <= label.count {
                if Array(label[(start + i)..<(start + i + next.count)]) == next {
                    if i > 0 { ends.append(i) }
                    i += max(next.count, 1)
                } else {
                    i += 1
                }
            }
        } else {
            // two holes side by side: the first takes one character at a time
            if label.count > 1 { ends.append(contentsOf: 1..<label.count) }
        }
        for end in ends where end != 0 {
            found.append((piece.text, string(label.prefix(end))))
            if matchFrom(pieces, at + 1, label.dropFirst(end), &found) { return true }
            found.removeLast()
        }
        return false
    }

    /// The template with each placeholder replaced by its value, or left as written where it is `nil`.
    public static func fill(_ pieces: [Piece], _ values: [String?]) -> String {
        var out = ""
        var hole = 0
        for piece in pieces {
            if piece.hole {
                out += (hole < values.count ? values[hole] : nil) ?? piece.text
                hole += 1
            } else {
                out += piece.text
            }
        }
        return out
    }
}

/// What an operation knows about itself: its api, name, verb and checks.
public struct PimsOperation {
    public let api: String
    public let name: String
    public let verb: PimsVerb
    public let checks: [PimsCheck]
    public init(api: String, name: String, verb: PimsVerb, checks: [PimsCheck]) {
        self.api = api
        self.name = name
        self.verb = verb
        self.checks = checks
    }

    /// `parameters` after the check table; throws the first refusal.
    public func checked(_ parameters: [String: Any]) throws -> [String: Any] {
        if let invalid = PimsChecks.firstFailure(checks, parameters) { throw invalid }
        return parameters
    }
}

/// A request: its exact parameters, and how its answers decode.
public protocol PimsRequest {
    associatedtype PimsSuccess
    associatedtype PimsFailure: Error
    static var operation: PimsOperation { get }
    /// The exact parameters the platform call takes (selector included), checked; throws `PimsInvalidParameter`.
    func toParameters() throws -> [String: Any]
    static func decodeResult(_ value: Any?, at path: String) throws -> PimsSuccess
    static func decodeError(_ error: PimsWireError) -> PimsFailure
}

/// A `get` or `set` request.
public protocol PimsCall: PimsRequest {}

/// A `subscribe` request: an acknowledgement, then `RESULT` events.
public protocol PimsSubscription: PimsRequest {
    associatedtype PimsEvent
    static func decodeEvent(_ value: Any?, at path: String) throws -> PimsEvent
}

enum PimsEnvelope {
    static func transactionId(_ message: [String: Any]) throws -> String {
        guard let raw = message["transactionId"] else { throw PimsDecode.fail("transactionId", "missing") }
        guard let id = raw as? String else {
            throw PimsDecode.fail("transactionId", "expected a string, found \(PimsDecode.kind(raw))")
        }
        return id
    }

    static func status(_ message: [String: Any]) throws -> String {
        guard let raw = message["status"] else { throw PimsDecode.fail("status", "missing") }
        guard let status = raw as? String else {
            throw PimsDecode.fail("status", "expected a string, found \(PimsDecode.kind(raw))")
        }
        guard ["SUCCEEDED", "FAILED", "RESULT"].contains(status) else {
            throw PimsDecode.fail("status", "unknown status \(PimsJSON.quote(status)): expected SUCCEEDED, FAILED or RESULT")
        }
        return status
    }

    /// `{}`, `null` and a missing `result` all mean no data: each is tried as the other.
    static func payload<T>(_ value: Any?, _ decode: (Any?, String) throws -> T) throws -> T {
        do {
            return try decode(value, "result")
        } catch let first {
            let fallback: Any?
            if PimsDecode.unwrap(value) == nil {
                fallback = [String: Any]()
            } else if let map = value as? [String: Any], map.isEmpty {
                fallback = nil
            } else {
                throw first
            }
            do { return try decode(fallback, "result") } catch { throw first }
        }
    }

    static func error<E>(_ message: [String: Any], _ decode: (PimsWireError) -> E) throws -> E {
        guard let raw = message["error"] else { throw PimsDecode.fail("error", "missing") }
        return decode(try PimsWireError.decode(raw, at: "error"))
    }
}

extension PimsRequest {
    /// Decodes the answer to a call: a `SUCCEEDED` or `FAILED` message.
    public static func decodeReply(_ message: [String: Any]) -> PimsOutcome<PimsSuccess, PimsFailure> {
        do {
            let id = try PimsEnvelope.transactionId(message)
            switch try PimsEnvelope.status(message) {
            case "SUCCEEDED":
                return .succeeded(transactionId: id, result: try PimsEnvelope.payload(message["result"], decodeResult))
            case "FAILED":
                return .failed(transactionId: id, error: try PimsEnvelope.error(message, decodeError))
            default:
                throw PimsDecode.fail("status", "RESULT is an event, but \(operation.api) \(operation.name) is answered with SUCCEEDED or FAILED")
            }
        } catch let error as PimsDecodeError {
            return .undecodable(error)
        } catch {
            return .undecodable(PimsDecodeError(path: "", reason: "\(error)"))
        }
    }
}

extension PimsSubscription {
    /// Decodes an event: a `RESULT` message with a `result` or an `error`.
    public static func decodeEventMessage(_ message: [String: Any]) -> PimsOutcome<PimsEvent, PimsFailure> {
        do {
            let id = try PimsEnvelope.transactionId(message)
            let status = try PimsEnvelope.status(message)
            guard status == "RESULT" else {
                throw PimsDecode.fail("status", "expected RESULT for an event of \(operation.api) \(operation.name), found \(status)")
            }
            if message["error"] != nil {
                return .failed(transactionId: id, error: try PimsEnvelope.error(message, decodeError))
            }
            return .succeeded(transactionId: id, result: try PimsEnvelope.payload(message["result"], decodeEvent))
        } catch let error as PimsDecodeError {
            return .undecodable(error)
        } catch {
            return .undecodable(PimsDecodeError(path: "", reason: "\(error)"))
        }
    }
}

/// The typed call on top of a `PimsFacade`: checks a request's parameters,
/// sends them, and hands the decoded answer to the callback. An `async`
/// wrapper (`withCheckedContinuation`) is one small file on top of it.
public final class Pims {
    public let facade: PimsFacade

    public init(facade: PimsFacade) {
        self.facade = facade
    }

    /// Calls a `get` or `set` operation; `callback` receives its one answer, or `.invalid` without anything sent.
    public func call<R: PimsCall>(_ request: R, callback: @escaping (PimsOutcome<R.PimsSuccess, R.PimsFailure>) -> Void) {
        let parameters: [String: Any]
        do {
            parameters = try request.toParameters()
        } catch let invalid as PimsInvalidParameter {
            callback(.invalid(invalid))
            return
        } catch {
            callback(.invalid(PimsInvalidParameter(parameter: R.operation.name, reason: "\(error)")))
            return
        }
        let handle: ([String: Any]) -> Void = { message in callback(R.decodeReply(message)) }
        switch R.operation.verb {
        case .set: facade.set(api: R.operation.api, parameters: parameters, callback: handle)
        default: facade.get(api: R.operation.api, parameters: parameters, callback: handle)
        }
    }

    /// Subscribes: `acknowledged` receives the `SUCCEEDED` or `FAILED` answer, `event` every `RESULT` message after it.
    public func subscribe<S: PimsSubscription>(
        _ request: S,
        acknowledged: @escaping (PimsOutcome<S.PimsSuccess, S.PimsFailure>) -> Void,
        event: @escaping (PimsOutcome<S.PimsEvent, S.PimsFailure>) -> Void
    ) {
        let parameters: [String: Any]
        do {
            parameters = try request.toParameters()
        } catch let invalid as PimsInvalidParameter {
            acknowledged(.invalid(invalid))
            return
        } catch {
            acknowledged(.invalid(PimsInvalidParameter(parameter: S.operation.name, reason: "\(error)")))
            return
        }
        facade.subscribe(api: S.operation.api, parameters: parameters) { message in
            if message["status"] as? String == "RESULT" {
                event(S.decodeEventMessage(message))
            } else {
                acknowledged(S.decodeReply(message))
            }
        }
    }

    /// Ends the subscriptions to `api`.
    public func unsubscribe(api: String, callback: @escaping (PimsOutcome<PimsNoData, PimsError>) -> Void) {
        facade.unsubscribe(api: api) { message in callback(PimsUnsubscribe.decodeReply(message)) }
    }
}

struct PimsUnsubscribe: PimsCall {
    typealias PimsSuccess = PimsNoData
    typealias PimsFailure = PimsError
    static let operation = PimsOperation(api: "", name: "unsubscribe", verb: .unsubscribe, checks: [])
    func toParameters() throws -> [String: Any] { [:] }
    static func decodeResult(_ value: Any?, at path: String) throws -> PimsNoData { try PimsDecode.none(value, at: path) }
    static func decodeError(_ error: PimsWireError) -> PimsError { PimsError(wire: error) }
}
