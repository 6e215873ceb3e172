#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Appends the binary form of fact fields: LEB128 varints, zig-zag for signed values,
/// length-prefixed UTF-8 for text. Every encoding is the shortest one, so equal facts give equal bytes.
struct BinaryWriter {
    /// The bytes so far.
    var bytes: [UInt8] = []

    /// Appends one byte.
    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends an unsigned LEB128 varint.
    @inline(__always) mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: v) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    /// Appends a signed value zig-zag encoded (small magnitudes stay short).
    @inline(__always) mutating func signed(_ v: Int64) {
        varint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
    }

    /// Appends a length-prefixed UTF-8 string.
    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { u in
            varint(UInt64(u.count))
            bytes.append(contentsOf: u)
        }
    }
}

/// Reads what ``BinaryWriter`` wrote, refusing anything it would not have written (non-shortest
/// varints, invalid UTF-8, reads past the end) so that decoding and re-encoding is the identity.
struct BinaryReader {
    /// The record.
    let base: UnsafeBufferPointer<UInt8>
    /// Next byte to read.
    var index: Int
    /// The record's schema version (upcasting branches on it).
    var version: UInt8 = BinaryFactCodec.currentVersion

    /// Creates a reader at the start of `base`.
    init(_ base: UnsafeBufferPointer<UInt8>) {
        self.base = base
        index = 0
    }

    /// A corrupt-record problem at the current position.
    func corrupt(_ reason: String) -> FactProblem {
        FactProblem(kind: .corruptRecord, reason: reason + " at byte \(index)")
    }

    /// Whether every byte was read.
    var isAtEnd: Bool { index == base.count }

    /// Reads one byte.
    @inline(__always) mutating func byte() throws(FactProblem) -> UInt8 {
        guard index < base.count else { throw corrupt("record truncated") }
        defer { index += 1 }
        return base[index]
    }

    /// Reads an unsigned LEB128 varint of at most 10 bytes, in shortest form.
    @inline(__always) mutating func varint() throws(FactProblem) -> UInt64 {
        // Most varints (lengths, small numbers) are one byte.
        if index < base.count, base[index] < 0x80 {
            defer { index += 1 }
            return UInt64(base[index])
        }
        var result: UInt64 = 0, shift: UInt64 = 0
        while true {
            let b = try byte()
            guard shift < 64, !(shift == 63 && b > 1) else { throw corrupt("varint too long") }
            result |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 {
                guard b != 0 || shift == 0 else { throw corrupt("varint not in shortest form") }
                return result
            }
            shift += 7
        }
    }

    /// Reads a zig-zag signed varint.
    @inline(__always) mutating func signed() throws(FactProblem) -> Int64 {
        let u = try varint()
        return Int64(bitPattern: u >> 1) ^ -Int64(bitPattern: u & 1)
    }

    /// Reads a varint that must fit in `range`.
    mutating func count(max: Int) throws(FactProblem) -> Int {
        let v = try varint()
        guard v <= UInt64(max) else { throw corrupt("length \(v) exceeds \(max)") }
        return Int(v)
    }

    /// Reads `n` raw bytes.
    mutating func bytes(_ n: Int) throws(FactProblem) -> UnsafeBufferPointer<UInt8> {
        guard n <= base.count - index else { throw corrupt("record truncated") }
        defer { index += n }
        return UnsafeBufferPointer(rebasing: base[index..<(index + n)])
    }

    /// Reads a length-prefixed UTF-8 string.
    mutating func string(max: Int = String.maxTextBytes) throws(FactProblem) -> String {
        let n = try count(max: max)
        return try text(try bytes(n))
    }

    /// Makes a String of bytes just read, refusing invalid UTF-8. `String(decoding:)` validates as it
    /// copies but repairs instead of failing, so the result is compared with the input: equal bytes
    /// mean nothing was repaired. (`String(validating:)` instantiates generic metadata per call and
    /// measured a third of decoding time.)
    func text(_ b: UnsafeBufferPointer<UInt8>) throws(FactProblem) -> String {
        let s = String(decoding: b, as: UTF8.self)
        // ASCII cannot need repair: skip the comparison for the common case.
        if isASCII(b) { return s }
        let unchanged = s.utf8.count == b.count && (s.utf8.withContiguousStorageIfAvailable {
            memcmp($0.baseAddress!, b.baseAddress!, b.count) == 0
        } ?? s.utf8.elementsEqual(b))
        guard unchanged else { throw corrupt("invalid UTF-8") }
        return s
    }
}
