import Foundation

/// The one way rule files are read — the rule book's regimes, the grading model, the measures
/// catalogue: the file is decoded into a ``RuleJSON`` value, and the reader walks it through
/// ``JSONNode``s whose every accessor throws a ``RuleFileError`` naming the file and the JSON path.

/// A JSON value as a rule file holds it. Decoded with `JSONDecoder`, which keeps booleans,
/// integers and fractions apart (so `"points": 10.5` or `"points": true` is an error, not 10 or 1).
package enum RuleJSON: Decodable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([RuleJSON])
    case object([String: RuleJSON])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(Int.self) { self = .int(value); return }
        if let value = try? container.decode(Double.self) { self = .double(value); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        if let value = try? container.decode([RuleJSON].self) { self = .array(value); return }
        self = .object(try container.decode([String: RuleJSON].self))
    }

    /// What the value is, for "expected …, found …" errors.
    package var shape: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// `override` laid over `base`: objects merge key by key, anything else is replaced (how a
    /// district's rule file amends the national one).
    package static func merged(_ base: RuleJSON, _ override: RuleJSON) -> RuleJSON {
        guard case .object(var fields) = base, case .object(let changes) = override else { return override }
        for (key, value) in changes { fields[key] = fields[key].map { merged($0, value) } ?? value }
        return .object(fields)
    }
}

/// A value at a JSON path of a file: every accessor throws a ``RuleFileError`` naming the file
/// and the path, so each problem of a rule file says where it is.
package struct JSONNode {
    /// The value.
    package let value: RuleJSON
    /// Its path from the root (`deductions[2].points`; empty for the root).
    package let path: String
    /// The file.
    package let origin: String

    /// A node.
    package init(value: RuleJSON, path: String, origin: String) {
        self.value = value
        self.path = path
        self.origin = origin
    }

    /// The root of the rule file `data` from `origin`.
    /// - Throws: ``RuleFileError`` when it is not JSON.
    package static func root(of data: Data, origin: String) throws(RuleFileError) -> JSONNode {
        do { return JSONNode(value: try JSONDecoder().decode(RuleJSON.self, from: data), path: "", origin: origin) } catch {
            throw RuleFileError(origin: origin, path: "", message: "not JSON: \(error.localizedDescription)")
        }
    }

    /// An error at this node.
    package func error(_ message: String) -> RuleFileError {
        RuleFileError(origin: origin, path: path, message: message)
    }

    /// The value as an object whose keys are all among `allowed` (a misspelt field is an error,
    /// not a silently ignored one).
    package func object(allowed: [String]) throws(RuleFileError) -> JSONFields {
        guard case .object(let fields) = value else { throw error("expected an object, found \(value.shape)") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw child(unknown, fields[unknown]!).error("unknown field (allowed: \(allowed.joined(separator: ", ")))")
        }
        return JSONFields(node: self, fields: fields)
    }

    /// The value as an object whose keys the file names (channels, sources), any keys allowed.
    package func namedObject() throws(RuleFileError) -> JSONFields {
        guard case .object(let fields) = value else { throw error("expected an object, found \(value.shape)") }
        return JSONFields(node: self, fields: fields)
    }

    /// The elements of an array.
    package func array(nonEmpty: Bool = false) throws(RuleFileError) -> [JSONNode] {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.shape)") }
        if nonEmpty && items.isEmpty { throw error("must not be empty") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", origin: origin) }
    }

    /// A string (non-empty unless allowed).
    package func string(allowEmpty: Bool = false) throws(RuleFileError) -> String {
        guard case .string(let text) = value else { throw error("expected a string, found \(value.shape)") }
        if !allowEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty { throw error("must not be empty") }
        return text
    }

    /// An integer.
    package func int() throws(RuleFileError) -> Int {
        guard case .int(let number) = value else { throw error("expected an integer, found \(value.shape)") }
        return number
    }

    /// An integer greater than zero.
    package func positiveInt() throws(RuleFileError) -> Int {
        guard case .int(let number) = value, number > 0 else { throw error("must be a positive integer") }
        return number
    }

    /// A boolean.
    package func bool() throws(RuleFileError) -> Bool {
        guard case .bool(let flag) = value else { throw error("expected a boolean, found \(value.shape)") }
        return flag
    }

    /// A calendar period (`P3M`, `P1Y`, `P5Y`).
    package func period() throws(RuleFileError) -> CalendarPeriod {
        let text = try string()
        guard let period = CalendarPeriod(parsing: text) else { throw error("\"\(text)\" is not a period like P3M or P1Y") }
        return period
    }

    /// A date YYYY-MM-DD.
    package func date() throws(RuleFileError) -> LegalDate {
        let text = try string()
        guard let date = try? LegalDate(parsing: text) else { throw error("\"\(text)\" is not a date YYYY-MM-DD") }
        return date
    }

    /// A number (integer or fraction).
    package func number() throws(RuleFileError) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw error("expected a number, found \(value.shape)")
        }
    }

    /// A word of a closed vocabulary.
    package func word<W: RawRepresentable & CaseIterable>(_: W.Type) throws(RuleFileError) -> W where W.RawValue == String {
        let text = try string()
        guard let word = W(rawValue: text) else {
            throw error("unknown value \"\(text)\" (allowed: \(W.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return word
    }

    /// A non-empty array of words, without repeats.
    package func words<W: RawRepresentable & CaseIterable & Hashable>(_ type: W.Type) throws(RuleFileError) -> [W] where W.RawValue == String {
        var result: [W] = []
        for item in try array(nonEmpty: true) {
            let word = try item.word(type)
            if result.contains(word) { throw item.error("\"\(word.rawValue)\" is listed twice") }
            result.append(word)
        }
        return result
    }

    package func child(_ key: String, _ value: RuleJSON) -> JSONNode {
        JSONNode(value: value, path: path.isEmpty ? key : "\(path).\(key)", origin: origin)
    }
}

/// The fields of a JSON object.
package struct JSONFields {
    package let node: JSONNode
    package let fields: [String: RuleJSON]

    /// A field that must be present.
    package func required(_ key: String) throws(RuleFileError) -> JSONNode {
        guard let value = fields[key] else { throw node.error("missing field \"\(key)\"") }
        return node.child(key, value)
    }

    /// A field that may be absent (or null).
    package func optional(_ key: String) -> JSONNode? {
        guard let value = fields[key] else { return nil }
        if case .null = value { return nil }
        return node.child(key, value)
    }
}

/// A problem in a rule file (the rule book, a grading model, a measures catalogue): the file, the JSON
/// path and what is wrong, e.g. `district.json: deductions[2].points: must be a positive integer`.
public struct RuleFileError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file (or other origin) the rules came from.
    public var origin: String
    /// The JSON path of the problem (`deductions[2].points`), empty for the whole file.
    public var path: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(origin: String, path: String, message: String) {
        self.origin = origin
        self.path = path
        self.message = message
    }

    /// `origin: path: message`.
    public var description: String { path.isEmpty ? "\(origin): \(message)" : "\(origin): \(path): \(message)" }
}
