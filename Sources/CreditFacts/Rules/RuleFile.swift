import Foundation

/// A JSON value as a model file holds it. Decoded with `JSONDecoder`, which keeps booleans,
/// integers and fractions apart (so `"points": 10.5` or `"points": true` is an error, not 10 or 1).
enum ModelJSON: Decodable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([ModelJSON])
    case object([String: ModelJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null; return }
        if let value = try? container.decode(Bool.self) { self = .bool(value); return }
        if let value = try? container.decode(Int.self) { self = .int(value); return }
        if let value = try? container.decode(Double.self) { self = .double(value); return }
        if let value = try? container.decode(String.self) { self = .string(value); return }
        if let value = try? container.decode([ModelJSON].self) { self = .array(value); return }
        self = .object(try container.decode([String: ModelJSON].self))
    }

    /// What the value is, for "expected …, found …" errors.
    var shape: String {
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
}

/// A value at a JSON path of a file: every accessor throws a ``GradingModelError`` naming the file
/// and the path, so each problem of a model file says where it is.
struct JSONNode {
    /// The value.
    let value: ModelJSON
    /// Its path from the root (`deductions[2].points`; empty for the root).
    let path: String
    /// The file.
    let origin: String

    /// An error at this node.
    func error(_ message: String) -> GradingModelError {
        GradingModelError(origin: origin, path: path, message: message)
    }

    /// The value as an object whose keys are all among `allowed` (a misspelt field is an error,
    /// not a silently ignored one).
    func object(allowed: [String]) throws(GradingModelError) -> JSONFields {
        guard case .object(let fields) = value else { throw error("expected an object, found \(value.shape)") }
        if let unknown = fields.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw child(unknown, fields[unknown]!).error("unknown field (allowed: \(allowed.joined(separator: ", ")))")
        }
        return JSONFields(node: self, fields: fields)
    }

    /// The elements of an array.
    func array(nonEmpty: Bool = false) throws(GradingModelError) -> [JSONNode] {
        guard case .array(let items) = value else { throw error("expected an array, found \(value.shape)") }
        if nonEmpty && items.isEmpty { throw error("must not be empty") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", origin: origin) }
    }

    /// A string (non-empty unless allowed).
    func string(allowEmpty: Bool = false) throws(GradingModelError) -> String {
        guard case .string(let text) = value else { throw error("expected a string, found \(value.shape)") }
        if !allowEmpty && text.trimmingCharacters(in: .whitespaces).isEmpty { throw error("must not be empty") }
        return text
    }

    /// An integer.
    func int() throws(GradingModelError) -> Int {
        guard case .int(let number) = value else { throw error("expected an integer, found \(value.shape)") }
        return number
    }

    /// An integer greater than zero.
    func positiveInt() throws(GradingModelError) -> Int {
        guard case .int(let number) = value, number > 0 else { throw error("must be a positive integer") }
        return number
    }

    /// A number (integer or fraction).
    func number() throws(GradingModelError) -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw error("expected a number, found \(value.shape)")
        }
    }

    /// A word of a closed vocabulary.
    func word<W: RawRepresentable & CaseIterable>(_: W.Type) throws(GradingModelError) -> W where W.RawValue == String {
        let text = try string()
        guard let word = W(rawValue: text) else {
            throw error("unknown value \"\(text)\" (allowed: \(W.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return word
    }

    /// A non-empty array of words, without repeats.
    func words<W: RawRepresentable & CaseIterable & Hashable>(_ type: W.Type) throws(GradingModelError) -> [W] where W.RawValue == String {
        var result: [W] = []
        for item in try array(nonEmpty: true) {
            let word = try item.word(type)
            if result.contains(word) { throw item.error("\"\(word.rawValue)\" is listed twice") }
            result.append(word)
        }
        return result
    }

    func child(_ key: String, _ value: ModelJSON) -> JSONNode {
        JSONNode(value: value, path: path.isEmpty ? key : "\(path).\(key)", origin: origin)
    }
}

/// The fields of a JSON object.
struct JSONFields {
    let node: JSONNode
    let fields: [String: ModelJSON]

    /// A field that must be present.
    func required(_ key: String) throws(GradingModelError) -> JSONNode {
        guard let value = fields[key] else { throw node.error("missing field \"\(key)\"") }
        return node.child(key, value)
    }

    /// A field that may be absent (or null).
    func optional(_ key: String) -> JSONNode? {
        guard let value = fields[key] else { return nil }
        if case .null = value { return nil }
        return node.child(key, value)
    }
}
