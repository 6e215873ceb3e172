import Crypto

/// Hashes for keys and content comparison.
package enum ContentHash {
    /// The first 128 bits of SHA-256, as two integers.
    static func sha256(_ bytes: [UInt8]) -> (UInt64, UInt64) {
        let digest = SHA256.hash(data: bytes)
        return digest.withUnsafeBytes { raw in
            (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
    }

    /// A 64-bit FNV-1a hash: used only where speed matters more than strength (whether two facts
    /// under one idempotency key have the same stored bytes, whether two registrations of a
    /// subject give the same name). Its values are kept in snapshots: never change it.
    @inline(__always)
    package static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
