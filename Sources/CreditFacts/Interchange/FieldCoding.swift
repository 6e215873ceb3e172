/// Reads the fields of a payload by key (JSON) or in order (binary).
protocol FieldReader {
    /// A required field.
    mutating func field<T: FieldValue>(_ key: StaticString) throws(FactProblem) -> T
    /// An optional field: `nil` when absent (or `null` in JSON).
    mutating func optionalField<T: FieldValue>(_ key: StaticString) throws(FactProblem) -> T?
}

/// Writes the fields of a payload in canonical order.
protocol FieldWriter {
    /// A required field.
    mutating func field<T: FieldValue>(_ key: StaticString, _ value: T)
    /// An optional field, omitted when `nil`.
    mutating func optionalField<T: FieldValue>(_ key: StaticString, _ value: T?)
}

/// A value that can sit in a fact field, with its JSON and binary forms.
protocol FieldValue: Sendable, Hashable {
    /// Decodes the JSON value in `v`. Problems carry no field name; the reader adds it.
    static func fromJSON(_ v: JSONValue) throws(FactProblem) -> Self
    /// Appends the canonical JSON form.
    func writeJSON(to out: inout JSONOutput)
    /// Decodes the binary form.
    static func fromBinary(_ r: inout BinaryReader) throws(FactProblem) -> Self
    /// Appends the binary form.
    func writeBinary(to w: inout BinaryWriter)
}

/// One JSON value inside a scanned line: its raw bytes.
struct JSONValue {
    /// The scanner over the line.
    let scanner: JSONScanner
    /// First byte of the value.
    let start: Int
    /// One past its last byte.
    let end: Int

    /// The first byte, which tells the JSON type.
    var lead: UInt8 { scanner.base[start] }

    /// Whether this is `null`.
    var isNull: Bool { lead == UInt8(ascii: "n") }

    /// The JSON type's name, for "expected a string, found a number".
    var typeName: String {
        switch lead {
        case UInt8(ascii: "\""): "a string"
        case UInt8(ascii: "{"): "an object"
        case UInt8(ascii: "["): "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): "a boolean"
        case UInt8(ascii: "n"): "null"
        default: "a number"
        }
    }

    /// A wrong-type problem.
    func wrongType(_ expected: String) -> FactProblem {
        FactProblem(kind: .wrongType, reason: "expected \(expected), found \(typeName)")
    }

    /// The value as a String; throws unless it is a JSON string.
    func string() throws(FactProblem) -> String {
        guard lead == UInt8(ascii: "\"") else { throw wrongType("a string") }
        return scanner.decodeString(start, end)
    }

    /// Calls `body` with the string's UTF-8 bytes, without allocating when it has no escapes.
    func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(FactProblem) -> R) throws(FactProblem) -> R {
        guard lead == UInt8(ascii: "\"") else { throw wrongType("a string") }
        let inner = UnsafeBufferPointer(rebasing: scanner.base[(start + 1)..<(end - 1)])
        if !inner.contains(UInt8(ascii: "\\")) { return try body(inner) }
        let bytes = scanner.unescape(inner)
        let result = bytes.withUnsafeBufferPointer { b in Result { () throws(FactProblem) -> R in try body(b) } }
        return try result.get()
    }

    /// The raw bytes of the value.
    var raw: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: scanner.base[start..<end]) }

    /// The value re-emitted without insignificant whitespace (strings untouched), for extras.
    var minified: String {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var inString = false, escaped = false
        for c in raw {
            if inString {
                out.append(c)
                if escaped { escaped = false } else if c == UInt8(ascii: "\\") { escaped = true } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true; out.append(c)
            } else if c != 0x20, c != 0x09, c != 0x0A, c != 0x0D {
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The canonical JSON being written: bytes, with helpers that escape strings.
struct JSONOutput {
    /// The bytes so far.
    var bytes: [UInt8] = []

    /// Appends static ASCII text.
    mutating func raw(_ s: StaticString) {
        // Punctuation and keys are a few bytes: appending them one by one beats the bulk path's setup.
        let n = s.utf8CodeUnitCount
        if n <= 16 {
            for i in 0..<n { bytes.append(s.utf8Start[i]) }
        } else {
            bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: n))
        }
    }

    /// Appends a string value with quotes, escaping `"`, `\` and control characters only (non-ASCII
    /// stays raw UTF-8, which keeps Chinese text readable and the output short).
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            bytes.append(UInt8(ascii: "\""))
            var runStart = 0
            for (i, c) in utf8.enumerated() where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                appendEscape(c)
                runStart = i + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// Appends the escape for one byte.
    private mutating func appendEscape(_ c: UInt8) {
        switch c {
        case UInt8(ascii: "\""): raw("\\\"")
        case UInt8(ascii: "\\"): raw("\\\\")
        case 0x0A: raw("\\n")
        case 0x0D: raw("\\r")
        case 0x09: raw("\\t")
        case 0x08: raw("\\b")
        case 0x0C: raw("\\f")
        default:
            raw("\\u00")
            let hex: StaticString = "0123456789abcdef"
            bytes.append(hex.utf8Start[Int(c >> 4)])
            bytes.append(hex.utf8Start[Int(c & 0xF)])
        }
    }

    /// Appends text known to need no escaping (digits, dates), with quotes when `quoted`.
    mutating func plain(_ s: String, quoted: Bool) {
        if quoted { bytes.append(UInt8(ascii: "\"")) }
        bytes.append(contentsOf: s.utf8)
        if quoted { bytes.append(UInt8(ascii: "\"")) }
    }

    /// Appends `value` (non-negative) as exactly `width` zero-padded decimal digits.
    mutating func digits(_ value: Int, _ width: Int) {
        // Two-digit fields (month, day, hour …) are the common case: no loop, two appends.
        if width == 2 {
            bytes.append(UInt8(truncatingIfNeeded: value / 10 % 10) &+ 48)
            bytes.append(UInt8(truncatingIfNeeded: value % 10) &+ 48)
            return
        }
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 { bytes.append(UInt8(truncatingIfNeeded: value / divisor % 10) &+ 48); divisor /= 10 }
    }

    /// Appends a non-negative integer in decimal.
    mutating func integer(_ v: Int64) {
        if v < 0 { bytes.append(UInt8(ascii: "-")) }
        var m = v.magnitude
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat { d[n] = UInt8(m % 10) + UInt8(ascii: "0"); m /= 10; n += 1 } while m > 0
            for k in stride(from: n - 1, through: 0, by: -1) { bytes.append(d[k]) }
        }
    }
}
