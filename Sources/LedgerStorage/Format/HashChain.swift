/// The running hash chain: after each record, hash = H(previous hash ‖ canonical record bytes),
/// with H the log's algorithm (SHA-256 by default, or SM3).
///
/// Hashing is the cost of verify, of a read that checks the chain, and a large part of append, so
/// this keeps the previous hash in the first 32 bytes of a scratch buffer, copies each frame right
/// behind it, and hashes the whole in one call through the log's ``TreeHasher`` — the one digest
/// context per algorithm the Merkle tree uses (OpenSSL's SHA-256 or SM3), reused for every record:
/// no allocation, no context set up and torn down per record (which cost swift-crypto's
/// `SHA256()` a third as much again as the hashing of a 300-byte record).
final class HashChain {
    private let scratch: UnsafeMutableRawBufferPointer
    private let hasher: TreeHasher

    /// A chain positioned at `hash`, able to take frames up to `frameBytesMax` bytes, hashing
    /// with `algorithm`.
    init(_ hash: ChainHash, frameBytesMax: Int, algorithm: LogHashAlgorithm = .sha256) {
        scratch = .allocate(byteCount: 32 + frameBytesMax, alignment: 16)
        hasher = TreeHasher(algorithm)
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
        let next = hasher.digest(UnsafeRawBufferPointer(rebasing: scratch[0..<32 + canonicalRecord.count]))
        next.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: scratch[0..<32]).copyMemory(from: $0) }
    }

    /// The current hash as a value.
    var hash: ChainHash { ChainHash(bytes: Array(UnsafeRawBufferPointer(rebasing: scratch[0..<32]))) }

    /// Whether the chain is at `hash`, without building an array.
    func isAt(_ hash: ChainHash) -> Bool {
        UnsafeRawBufferPointer(rebasing: scratch[0..<32]).elementsEqual(hash.bytes)
    }
}
