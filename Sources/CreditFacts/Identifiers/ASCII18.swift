/// Eighteen ASCII bytes held inline (no heap allocation), the storage of both national codes.
///
/// Both GB 32100 and GB 11643 codes are exactly 18 ASCII characters; keeping them in two words and a
/// half makes facts cheap to copy, hash and decode millions of times a second. Byte `i` is bits
/// `8i…8i+7` of the little-endian words, so loading and storing are single unaligned moves.
struct ASCII18: Sendable, Hashable, Comparable {
    private var low: UInt64
    private var high: UInt64
    /// Bytes 16 and 17 in the low half; a 32-bit word (upper half zero) keeps the value aligned, which
    /// measured faster than 16 bits because copies of the enclosing facts avoid store-forwarding stalls.
    private var tail: UInt32

    /// Packs exactly 18 bytes; the caller has checked the count and that every byte is ASCII.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        precondition(bytes.count == 18)
        let raw = UnsafeRawPointer(bytes.baseAddress!)
        low = UInt64(littleEndian: raw.loadUnaligned(as: UInt64.self))
        high = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        tail = UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt16.self)))
    }

    /// The byte at position `i` (0-based).
    subscript(i: Int) -> UInt8 {
        get {
            if i < 8 { return UInt8(truncatingIfNeeded: low >> UInt64(i * 8)) }
            if i < 16 { return UInt8(truncatingIfNeeded: high >> UInt64((i - 8) * 8)) }
            return UInt8(truncatingIfNeeded: tail >> UInt32((i - 16) * 8))
        }
        set {
            if i < 8 {
                let s = UInt64(i * 8)
                low = low & ~(0xFF << s) | UInt64(newValue) << s
            } else if i < 16 {
                let s = UInt64((i - 8) * 8)
                high = high & ~(0xFF << s) | UInt64(newValue) << s
            } else {
                let s = UInt32((i - 16) * 8)
                tail = tail & ~(0xFF << s) | UInt32(newValue) << s
            }
        }
    }

    /// The bytes in order.
    var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(18)
        append(to: &out)
        return out
    }

    /// The code as text.
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends the 18 bytes to `out`.
    func append(to out: inout [UInt8]) {
        withUnsafeBytes(of: (low.littleEndian, high.littleEndian, tail.littleEndian)) { raw in
            // The tuple is laid out as 8 + 8 + 4 contiguous bytes; only the first 18 are the code.
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[0..<18]))
        }
    }
}

/// Renders a byte for an error message: the character itself when printable ASCII, else its code.
func describeByte(_ b: UInt8) -> String {
    (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : "byte 0x" + String(b, radix: 16, uppercase: true)
}

extension ASCII18 {
    /// Orders as the 18-character strings order (all bytes are ASCII, so byte order is string
    /// order), without building strings: the words hold byte 0 lowest, so swapping them puts the
    /// first byte most significant.
    static func < (lhs: ASCII18, rhs: ASCII18) -> Bool {
        if lhs.low != rhs.low { return lhs.low.byteSwapped < rhs.low.byteSwapped }
        if lhs.high != rhs.high { return lhs.high.byteSwapped < rhs.high.byteSwapped }
        return UInt16(truncatingIfNeeded: lhs.tail).byteSwapped < UInt16(truncatingIfNeeded: rhs.tail).byteSwapped
    }
}
