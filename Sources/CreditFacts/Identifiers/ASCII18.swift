/// Eighteen ASCII bytes held inline (no heap allocation), the storage of both national codes.
///
/// Both GB 32100 and GB 11643 codes are exactly 18 ASCII characters; keeping them in two words and a
/// half makes facts cheap to copy, hash and decode millions of times a second.
struct ASCII18: Sendable, Hashable {
    private var low: UInt64
    private var high: UInt64
    private var tail: UInt16

    /// Packs exactly 18 bytes; the caller has checked the count and that every byte is ASCII.
    init(_ bytes: some Collection<UInt8>) {
        precondition(bytes.count == 18)
        low = 0; high = 0; tail = 0
        for (i, byte) in bytes.enumerated() { self[i] = byte }
    }

    /// The byte at position `i` (0-based).
    subscript(i: Int) -> UInt8 {
        get {
            if i < 8 { return UInt8(truncatingIfNeeded: low >> UInt64(i * 8)) }
            if i < 16 { return UInt8(truncatingIfNeeded: high >> UInt64((i - 8) * 8)) }
            return UInt8(truncatingIfNeeded: tail >> UInt16((i - 16) * 8))
        }
        set {
            if i < 8 {
                let s = UInt64(i * 8)
                low = low & ~(0xFF << s) | UInt64(newValue) << s
            } else if i < 16 {
                let s = UInt64((i - 8) * 8)
                high = high & ~(0xFF << s) | UInt64(newValue) << s
            } else {
                let s = UInt16((i - 16) * 8)
                tail = tail & ~(0xFF << s) | UInt16(newValue) << s
            }
        }
    }

    /// The bytes in order.
    var bytes: [UInt8] { (0..<18).map { self[$0] } }

    /// The code as text.
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Appends the 18 bytes to `out`.
    func append(to out: inout [UInt8]) {
        for i in 0..<18 { out.append(self[i]) }
    }
}

/// Renders a byte for an error message: the character itself when printable ASCII, else its code.
func describeByte(_ b: UInt8) -> String {
    (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : "byte 0x" + String(b, radix: 16, uppercase: true)
}
