import COpenSSL
import Crypto

/// The hash function of a Merkle tree (and what a ledger may choose for its hashes): SHA-256,
/// the default, or SM3 (GB/T 32905), the national algorithm 密评 asks for. Both give 32 bytes.
public enum LogHashAlgorithm: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// SHA-256 (FIPS 180-4); tree hashes through OpenSSL's libcrypto, like SM3.
    case sha256
    /// SM3 (GB/T 32905-2016), through OpenSSL's libcrypto.
    case sm3

    /// The digest of `bytes`.
    public func hash(_ bytes: [UInt8]) -> TreeHash {
        let hasher = TreeHasher(self)
        return bytes.withUnsafeBytes { hasher.digest([$0]) }
    }

    /// The lower-case name used in files and JSON: `sha256` or `sm3`.
    public var description: String { rawValue }

    /// The code segment headers record: 0 for SHA-256 (what every log before SM3 wrote in that
    /// reserved field), 1 for SM3.
    var segmentCode: UInt32 { self == .sha256 ? 0 : 1 }

    /// The algorithm a segment header's code names; nil for a code no algorithm has.
    init?(segmentCode: UInt32) {
        switch segmentCode {
        case 0: self = .sha256
        case 1: self = .sm3
        default: return nil
        }
    }
}

/// A 32-byte hash held inline (no allocation), as Merkle trees handle millions of them.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    private var words: (UInt64, UInt64, UInt64, UInt64)

    /// The 32 bytes of `bytes`. Precondition: `bytes.count == 32`.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a tree hash is 32 bytes, got \(bytes.count)")
        self.init(bytes.withUnsafeBytes { $0 })
    }

    /// The first 32 bytes of `buffer`.
    init(_ buffer: UnsafeRawBufferPointer) {
        precondition(buffer.count >= 32)
        words = (buffer.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                 buffer.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                 buffer.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                 buffer.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
    }

    /// 32 zero bytes (a placeholder, never a real hash's value in practice).
    static let zero = TreeHash(bytes: [UInt8](repeating: 0, count: 32))

    /// Parses 64 hexadecimal digits; nil when the text is not that.
    public init?(hex: String) {
        guard let chain = ChainHash(hex: hex) else { return nil }
        self.init(bytes: chain.bytes)
    }

    /// The 32 bytes in digest order.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Calls `body` with the 32 bytes in place.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var copy = words
        return try Swift.withUnsafeBytes(of: &copy) { try body($0) }
    }

    public static func == (lhs: TreeHash, rhs: TreeHash) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2 && lhs.words.3 == rhs.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// Lower-case hexadecimal, 64 characters.
    public var description: String { ChainHash(bytes: bytes).description }

    /// Standard base64 (RFC 4648 §4), as checkpoints write root hashes.
    public var base64: String { Base64.encode(bytes) }
}

/// Computes RFC 9162 tree hashes with one algorithm, reusing its state: a leaf's hash is
/// H(0x00 ‖ record), an interior node's H(0x01 ‖ left ‖ right). The prefixes keep a leaf from
/// ever being taken for a node (second-preimage resistance). One per thread.
public final class TreeHasher {
    /// The hash function in use.
    public let algorithm: LogHashAlgorithm
    /// SM3: one reused OpenSSL EVP digest context.
    private let sm3: SM3?
    /// SHA-256: one reused low-level context (a plain struct: no allocation per hash, where an
    /// EVP context in OpenSSL 3.0 allocates on every re-initialisation), with SHA-NI where the
    /// CPU has it.
    private let sha256: UnsafeMutablePointer<SHA256_CTX>?

    /// A hasher for `algorithm`.
    public init(_ algorithm: LogHashAlgorithm) {
        self.algorithm = algorithm
        if algorithm == .sm3 {
            sm3 = SM3()
            sha256 = nil
        } else {
            sm3 = nil
            let context = UnsafeMutablePointer<SHA256_CTX>.allocate(capacity: 1)
            precondition(clm_sha256_init(context) == 1, "SHA256_Init failed")
            sha256 = context
        }
    }

    deinit { sha256?.deallocate() }

    /// The hash of a leaf: H(0x00 ‖ record).
    public func leaf(_ record: UnsafeRawBufferPointer) -> TreeHash {
        withUnsafeBytes(of: UInt8(0)) { update($0) }
        return digest(record)
    }

    /// The hash of a leaf: H(0x00 ‖ record).
    public func leaf(_ record: [UInt8]) -> TreeHash {
        record.withUnsafeBytes { leaf($0) }
    }

    /// The hash of an interior node: H(0x01 ‖ left ‖ right).
    public func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        // One 65-byte message on the stack: interior nodes are most of a tree's hashing.
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { message in
            message[0] = 1
            left.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: message[1..<33]).copyMemory(from: $0) }
            right.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: message[33..<65]).copyMemory(from: $0) }
            return digest(UnsafeRawBufferPointer(message))
        }
    }

    /// The digest of one message.
    func digest(_ message: UnsafeRawBufferPointer) -> TreeHash {
        update(message)
        return finish()
    }

    /// The digest of the concatenation of `parts`.
    func digest(_ parts: [UnsafeRawBufferPointer]) -> TreeHash {
        for part in parts { update(part) }
        return finish()
    }

    private func update(_ bytes: UnsafeRawBufferPointer) {
        if let sha256 {
            guard bytes.count > 0 else { return }
            precondition(clm_sha256_update(sha256, bytes.baseAddress, bytes.count) == 1, "SHA256_Update failed")
        } else {
            sm3!.update(bufferPointer: bytes)
        }
    }

    private func finish() -> TreeHash {
        var out = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        return Swift.withUnsafeMutableBytes(of: &out) { buffer in
            if let sha256 {
                precondition(clm_sha256_final(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), sha256) == 1
                             && clm_sha256_init(sha256) == 1, "SHA256_Final failed")
            } else {
                sm3!.finalize(into: buffer)
            }
            return TreeHash(UnsafeRawBufferPointer(buffer))
        }
    }
}

/// Standard base64 (RFC 4648 §4) without Foundation, for checkpoints and proofs.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The base64 text of `bytes`, padded with `=`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value = UInt32(0)
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            for digit in 0..<4 {
                out.append(digit <= chunk.count ? alphabet[Int(value >> (18 - 6 * digit) & 63)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of padded standard base64 text; nil for anything else (other alphabets,
    /// missing padding, stray characters, non-zero trailing bits).
    public static func decode(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(digits.count / 4 * 3)
        for start in stride(from: 0, to: digits.count, by: 4) {
            let group = digits[start..<start + 4]
            let padding = group.reversed().prefix { $0 == UInt8(ascii: "=") }.count
            guard padding <= 2, padding == 0 || start + 4 == digits.count else { return nil }
            var value = UInt32(0)
            for (offset, digit) in group.prefix(4 - padding).enumerated() {
                guard let sextet = alphabet.firstIndex(of: digit) else { return nil }
                value |= UInt32(sextet) << (18 - 6 * offset)
            }
            let bytes = [UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
            guard bytes[(3 - padding)...].allSatisfy({ $0 == 0 }) else { return nil }
            out.append(contentsOf: bytes.prefix(3 - padding))
        }
        return out
    }
}
