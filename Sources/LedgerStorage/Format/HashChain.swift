import Crypto

/// The running hash chain: after each record, hash = H(previous hash ‖ canonical record bytes),
/// with H the log's algorithm (SHA-256 by default, or SM3).
///
/// Hashing is the cost of verify and a large part of append, so this keeps the previous hash in
/// the first 32 bytes of a scratch buffer, copies each frame right behind it, and hashes the
/// whole in one call: no allocation and one pass into BoringSSL per record.
final class HashChain {
    private let scratch: UnsafeMutableRawBufferPointer
    /// The SM3 context of a chain hashed with SM3 (OpenSSL); nil for SHA-256 (swift-crypto).
    private let sm3: SM3?

    /// A chain positioned at `hash`, able to take frames up to `frameBytesMax` bytes, hashing
    /// with `algorithm`.
    init(_ hash: ChainHash, frameBytesMax: Int, algorithm: LogHashAlgorithm = .sha256) {
        scratch = .allocate(byteCount: 32 + frameBytesMax, alignment: 16)
        sm3 = algorithm == .sm3 ? SM3() : nil
        hash.bytes.withUnsafeBytes { scratch.copyMemory(from: $0) }
    }

    deinit { scratch.deallocate() }

    /// Moves the chain to `hash` (to start checking from another point).
    func reset(to hash: ChainHash) {
        hash.bytes.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32]).copyMemory(from: $0) }
    }

    /// Advances the chain over one record's canonical bytes.
    func advance(over canonicalRecord: UnsafeRawBufferPointer) {
        precondition(canonicalRecord.count <= scratch.count - 32, "record frame exceeds the chain's buffer")
        UnsafeMutableRawBufferPointer(rebasing: scratch[32..<32 + canonicalRecord.count]).copyMemory(from: canonicalRecord)
        if let sm3 {
            sm3.update(bufferPointer: UnsafeRawBufferPointer(rebasing: scratch[0..<32 + canonicalRecord.count]))
            sm3.finalize(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32]))
            return
        }
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: scratch[0..<32 + canonicalRecord.count]))
        let digest = hasher.finalize()
        digest.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32]).copyMemory(from: $0) }
    }

    /// The current hash as a value.
    var hash: ChainHash { ChainHash(bytes: Array(UnsafeRawBufferPointer(rebasing: scratch[0..<32]))) }

    /// Whether the chain is at `hash`, without building an array.
    func isAt(_ hash: ChainHash) -> Bool {
        UnsafeRawBufferPointer(rebasing: scratch[0..<32]).elementsEqual(hash.bytes)
    }
}
