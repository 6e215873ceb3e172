import Foundation

/// A JSON value written with keys in the order given (CLI.md: stable order), never a dictionary's.
public indirect enum JSON: Sendable {
    /// A string.
    case string(String)
    /// A fraction, written with up to four decimals.
    case number(Double)
    /// An integer.
    case integer(Int)
    /// `true` or `false`.
    case bool(Bool)
    /// `null`.
    case null
    /// An array, in order.
    case array([JSON])
    /// An object whose keys keep the order given.
    case object([(String, JSON)])

    /// A string, or null when absent.
    public static func optional(_ text: String?) -> JSON { text.map(JSON.string) ?? .null }

    /// The compact text.
    public var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .string(let value): Self.quote(value, into: &out)
        case .number(let value): out += Self.format(value)
        case .integer(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out += "," }
                Self.quote(key, into: &out)
                out += ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    /// Up to four decimals, no trailing zeros, no exponent: rates like 0.9833.
    private static func format(_ value: Double) -> String {
        let text = String(format: "%.4f", value)
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }

    /// Appends `text` as a JSON string. Most text needs no escape (no quote, backslash or control
    /// character: bytes of multi-byte UTF-8 sequences are never those), and is appended whole —
    /// the receipts of a large POST are mostly such strings, and escaping them scalar by scalar
    /// was a tenth of the server's CPU time under load (perf, `make bench-server`).
    private static func quote(_ text: String, into out: inout String) {
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            out += "\""
            out += text
            out += "\""
            return
        }
        out += quote(text)
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// Reading a document back: the pages are rendered from the documents the commands print.
extension JSON {
    /// The value under `key` of an object; nil for other values or a missing key.
    public subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// The keys of an object in document order; empty for other values.
    public var keys: [String] {
        guard case .object(let pairs) = self else { return [] }
        return pairs.map(\.0)
    }

    /// The text of a string value.
    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The elements of an array value.
    public var arrayValue: [JSON]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// A number or an integer as a `Double`.
    public var numberValue: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    /// An integer value (or a number without a fraction).
    public var integerValue: Int? {
        switch self {
        case .integer(let value): return value
        case .number(let value) where value.rounded() == value && abs(value) < 1e15: return Int(value)
        default: return nil
        }
    }

    /// The truth of a boolean value.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// Whether the value is an object.
    public var isObject: Bool {
        if case .object = self { return true }
        return false
    }
}
