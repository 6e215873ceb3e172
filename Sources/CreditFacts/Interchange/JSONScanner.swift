#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hand-written, validating JSON scanner over one line of UTF-8 bytes.
///
/// It does not build a tree: it finds the byte ranges of an object's members and leaves each value to
/// be decoded by the type that expects it. That is what makes reading a few hundred thousand lines a
/// second possible (Foundation's `JSONSerialization` allocates a dictionary and boxes per value).
/// Limits: nesting depth ≤ ``maxDepth``, members per object ≤ ``maxMembers``.
struct JSONScanner {
    /// The line; valid UTF-8 was checked before scanning.
    let base: UnsafeBufferPointer<UInt8>

    /// Deepest nesting accepted inside a line (the format needs 3).
    static let maxDepth = 32
    /// Most members accepted in one object (known fields plus extras); a bitmask tracks them.
    static let maxMembers = 64

    /// One member of an object: key and value byte ranges (the key without its quotes).
    struct Member {
        var keyStart: Int
        var keyEnd: Int
        var keyHasEscape: Bool
        var valueStart: Int
        var valueEnd: Int
    }

    /// A scanning error before it is attached to a field.
    static func malformed(_ reason: String) -> FactProblem { FactProblem(kind: .malformedJSON, reason: reason) }

    /// Skips insignificant whitespace.
    @inline(__always)
    func skipWhitespace(_ i: inout Int) {
        while i < base.count {
            switch base[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    /// Scans the members of the object starting at `i` (on `{`) into `members`; `i` ends past `}`.
    func scanObject(_ i: inout Int, into members: inout [Member], depth: Int) throws(FactProblem) {
        guard i < base.count, base[i] == UInt8(ascii: "{") else { throw Self.malformed("expected an object") }
        i += 1
        skipWhitespace(&i)
        if i < base.count, base[i] == UInt8(ascii: "}") { i += 1; return }
        while true {
            guard i < base.count, base[i] == UInt8(ascii: "\"") else {
                throw Self.malformed("expected a key in quotes at byte \(i + 1)")
            }
            let keyStart = i + 1
            let keyHasEscape = try scanString(&i)
            let keyEnd = i - 1
            skipWhitespace(&i)
            guard i < base.count, base[i] == UInt8(ascii: ":") else { throw Self.malformed("expected : at byte \(i + 1)") }
            i += 1
            skipWhitespace(&i)
            let valueStart = i
            try scanValue(&i, depth: depth + 1)
            guard members.count < Self.maxMembers else { throw Self.malformed("more than \(Self.maxMembers) members in one object") }
            members.append(Member(keyStart: keyStart, keyEnd: keyEnd, keyHasEscape: keyHasEscape,
                                  valueStart: valueStart, valueEnd: i))
            skipWhitespace(&i)
            guard i < base.count else { throw Self.malformed("unterminated object") }
            if base[i] == UInt8(ascii: ",") { i += 1; skipWhitespace(&i); continue }
            guard base[i] == UInt8(ascii: "}") else { throw Self.malformed("expected , or } at byte \(i + 1)") }
            i += 1
            return
        }
    }

    /// Scans and validates any value starting at `i`; `i` ends just past it.
    func scanValue(_ i: inout Int, depth: Int) throws(FactProblem) {
        guard depth <= Self.maxDepth else { throw Self.malformed("nested deeper than \(Self.maxDepth) levels") }
        guard i < base.count else { throw Self.malformed("expected a value at end of line") }
        switch base[i] {
        case UInt8(ascii: "\""): _ = try scanString(&i)
        case UInt8(ascii: "{"):
            var ignored: [Member] = []
            try scanObject(&i, into: &ignored, depth: depth)
        case UInt8(ascii: "["): try scanArray(&i, depth: depth) { _, _ throws(FactProblem) in }
        case UInt8(ascii: "t"): try scanLiteral(&i, "true")
        case UInt8(ascii: "f"): try scanLiteral(&i, "false")
        case UInt8(ascii: "n"): try scanLiteral(&i, "null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber(&i)
        default: throw Self.malformed("unexpected \(describeByte(base[i])) at byte \(i + 1)")
        }
    }

    /// Scans an array at `i` (on `[`), calling `element` with each element's byte range.
    func scanArray(_ i: inout Int, depth: Int, element: (Int, Int) throws(FactProblem) -> Void) throws(FactProblem) {
        i += 1
        skipWhitespace(&i)
        if i < base.count, base[i] == UInt8(ascii: "]") { i += 1; return }
        while true {
            let start = i
            try scanValue(&i, depth: depth + 1)
            try element(start, i)
            skipWhitespace(&i)
            guard i < base.count else { throw Self.malformed("unterminated array") }
            if base[i] == UInt8(ascii: ",") { i += 1; skipWhitespace(&i); continue }
            guard base[i] == UInt8(ascii: "]") else { throw Self.malformed("expected , or ] at byte \(i + 1)") }
            i += 1
            return
        }
    }

    /// Scans a string at `i` (on the opening quote); `i` ends past the closing quote.
    /// - Returns: whether the string contains escapes (and so cannot be used as raw bytes).
    func scanString(_ i: inout Int) throws(FactProblem) -> Bool {
        var j = i + 1
        var escaped = false
        while j < base.count {
            let c = base[j]
            if c == UInt8(ascii: "\"") { i = j + 1; return escaped }
            if c == UInt8(ascii: "\\") {
                escaped = true
                guard j + 1 < base.count else { break }
                switch base[j + 1] {
                case UInt8(ascii: "u"):
                    j += try scanUnicodeEscape(at: j)
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                     UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    j += 2
                default: throw Self.malformed("bad escape \\\(describeByte(base[j + 1])) at byte \(j + 1)")
                }
                continue
            }
            guard c >= 0x20 else { throw Self.malformed("control character in a string at byte \(j + 1)") }
            j += 1
        }
        throw Self.malformed("unterminated string")
    }

    /// Checks the `\\uXXXX` escape at `j` (on the backslash) and returns its length: 6, or 12 for
    /// a surrogate pair. A lone surrogate is refused: it is half of a character and has no UTF-8
    /// form, so keeping it would silently change the text.
    private func scanUnicodeEscape(at j: Int) throws(FactProblem) -> Int {
        guard let unit = hex4(at: j + 2) else { throw Self.malformed("bad \\u escape at byte \(j + 1)") }
        switch unit {
        case 0xD800..<0xDC00:
            if j + 11 < base.count, base[j + 6] == UInt8(ascii: "\\"), base[j + 7] == UInt8(ascii: "u"),
               let low = hex4(at: j + 8), (0xDC00..<0xE000).contains(low) {
                return 12
            }
            throw loneSurrogate(at: j)
        case 0xDC00..<0xE000: throw loneSurrogate(at: j)
        default: return 6
        }
    }

    /// Four hex digits at `k`, if there are four.
    private func hex4(at k: Int) -> UInt32? {
        guard k + 3 < base.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard let digit = hexValue(base[k + offset]) else { return nil }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// The refusal of a lone surrogate escape at `j`, with its column (characters, from 1).
    private func loneSurrogate(at j: Int) -> FactProblem {
        let escape = String(decoding: UnsafeBufferPointer(rebasing: base[j..<(j + 6)]), as: UTF8.self)
        let column = 1 + base[..<j].reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        return Self.malformed("lone surrogate \(escape) at column \(column): half of a UTF-16 pair is not a character")
    }

    /// Scans `true`, `false` or `null`.
    func scanLiteral(_ i: inout Int, _ word: StaticString) throws(FactProblem) {
        let n = word.utf8CodeUnitCount
        guard i + n <= base.count, memcmp(base.baseAddress! + i, word.utf8Start, n) == 0 else {
            throw Self.malformed("unexpected text at byte \(i + 1)")
        }
        i += n
    }

    /// Scans a number by the JSON grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    func scanNumber(_ i: inout Int) throws(FactProblem) {
        let start = i
        if base[i] == UInt8(ascii: "-") { i += 1 }
        let intStart = i
        let intDigits = countDigits(&i)
        guard intDigits > 0, !(intDigits > 1 && base[intStart] == UInt8(ascii: "0")) else {
            throw Self.malformed("bad number at byte \(start + 1)")
        }
        if i < base.count, base[i] == UInt8(ascii: ".") {
            i += 1
            guard countDigits(&i) > 0 else { throw Self.malformed("bad number at byte \(start + 1)") }
        }
        if i < base.count, base[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < base.count, base[i] == UInt8(ascii: "+") || base[i] == UInt8(ascii: "-") { i += 1 }
            guard countDigits(&i) > 0 else { throw Self.malformed("bad number at byte \(start + 1)") }
        }
    }

    /// Advances over ASCII digits, returning how many.
    func countDigits(_ i: inout Int) -> Int {
        let start = i
        while i < base.count, base[i] &- UInt8(ascii: "0") < 10 { i += 1 }
        return i - start
    }

    /// Whether the key of `m` is exactly `key`.
    func keyEquals(_ m: Member, _ key: StaticString) -> Bool {
        if m.keyHasEscape { return decodeString(m.keyStart - 1, m.keyEnd + 1).utf8.elementsEqual(
            UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)) }
        let n = key.utf8CodeUnitCount
        return m.keyEnd - m.keyStart == n && memcmp(base.baseAddress! + m.keyStart, key.utf8Start, n) == 0
    }

    /// The key of `m` as a String.
    func key(_ m: Member) -> String {
        m.keyHasEscape ? decodeString(m.keyStart - 1, m.keyEnd + 1)
            : String(decoding: UnsafeBufferPointer(rebasing: base[m.keyStart..<m.keyEnd]), as: UTF8.self)
    }

    /// Decodes the (already validated) string value spanning `start..<end`, quotes included.
    func decodeString(_ start: Int, _ end: Int) -> String {
        let inner = UnsafeBufferPointer(rebasing: base[(start + 1)..<(end - 1)])
        guard inner.contains(UInt8(ascii: "\\")) else { return String(decoding: inner, as: UTF8.self) }
        return String(decoding: unescape(inner), as: UTF8.self)
    }

    /// Resolves escapes. Lone surrogates never get here (the scanner refuses them); U+FFFD stands
    /// in should one ever do.
    func unescape(_ s: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        var j = 0
        while j < s.count {
            guard s[j] == UInt8(ascii: "\\") else { out.append(s[j]); j += 1; continue }
            let e = s[j + 1]
            j += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"): appendUnicodeEscape(s, &j, &out)
            default: out.append(e)
            }
        }
        return out
    }

    /// Appends the scalar of a `\uXXXX` escape whose hex digits start at `j` (with its low surrogate).
    private func appendUnicodeEscape(_ s: UnsafeBufferPointer<UInt8>, _ j: inout Int, _ out: inout [UInt8]) {
        var scalar = hex4(s, j)
        j += 4
        if (0xD800..<0xDC00).contains(scalar), j + 5 < s.count, s[j] == UInt8(ascii: "\\"), s[j + 1] == UInt8(ascii: "u"),
           case let low = hex4(s, j + 2), (0xDC00..<0xE000).contains(low) {
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            j += 6
        }
        let u = Unicode.Scalar(scalar) ?? "\u{FFFD}"
        out.append(contentsOf: UTF8.encode(u)!)
    }

    /// Four hex digits at `j` (validated by the scanner).
    private func hex4(_ s: UnsafeBufferPointer<UInt8>, _ j: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 4 | UInt32(hexValue(s[j + $1])!) }
    }
}

/// Value of a hex digit.
@inline(__always)
func hexValue(_ c: UInt8) -> UInt8? {
    switch c {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
    case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
    default: return nil
    }
}

/// Whether every byte is below 0x80, checked a word at a time.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    let raw = UnsafeRawPointer(bytes.baseAddress!)
    while i + 8 <= n {
        if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        i += 8
    }
    while i < n { if bytes[i] >= 0x80 { return false }; i += 1 }
    return true
}

/// Whether `bytes` is well-formed UTF-8 (no overlongs, no surrogates, ≤ U+10FFFF). ASCII runs are
/// checked eight bytes at a time because almost every line is mostly ASCII.
func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
        if i + 8 <= n {
            let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
        }
        let c = bytes[i]
        if c < 0x80 { i += 1; continue }
        let (len, low, high): (Int, UInt8, UInt8)
        switch c {
        case 0xC2...0xDF: (len, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (len, low, high) = (3, 0xA0, 0xBF)
        case 0xED: (len, low, high) = (3, 0x80, 0x9F)
        case 0xE1...0xEF: (len, low, high) = (3, 0x80, 0xBF)
        case 0xF0: (len, low, high) = (4, 0x90, 0xBF)
        case 0xF4: (len, low, high) = (4, 0x80, 0x8F)
        case 0xF1...0xF3: (len, low, high) = (4, 0x80, 0xBF)
        default: return false
        }
        guard i + len <= n, (low...high).contains(bytes[i + 1]) else { return false }
        for k in 2..<len where bytes[i + k] & 0xC0 != 0x80 { return false }
        i += len
    }
    return true
}
