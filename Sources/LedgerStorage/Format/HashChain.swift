import Crypto

/// The running SHA-256 hash chain: after each record, hash = SHA-256(previous hash ‖ canonical
/// record bytes).
///
/// Hashing is the cost of verify and a large part of append, so this keeps the previous hash in
/// the first 32 bytes of a scratch buffer, copies each frame right behind it, and hashes the
/// whole in one call: no allocation and one pass into BoringSSL per record.
final class HashChain {
    private let scratch: UnsafeMutableRawBufferPointer

    /// A chain positioned at `hash`, able to take frames up to `frameBytesMax` bytes.
    init(_ hash: ChainHash, frameBytesMax: Int) {
        scratch = .allocate(byteCount: 32 + frameBytesMax, alignment: 16)
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
