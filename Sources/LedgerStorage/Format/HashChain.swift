import Crypto

/// The running SHA-256 hash chain: after each record, hash = SHA-256(previous hash ‖ canonical
/// record bytes). Holds the 32 bytes inline so advancing allocates nothing.
struct HashChain {
    private(set) var state: SIMD32<UInt8>

    init(_ hash: ChainHash) {
        var state = SIMD32<UInt8>()
        for index in 0..<32 { state[index] = hash.bytes[index] }
        self.state = state
    }

    /// Advances the chain over one record's canonical bytes.
    mutating func advance(over canonicalRecord: UnsafeRawBufferPointer) {
        var hasher = SHA256()
        withUnsafeBytes(of: state) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: canonicalRecord)
        let digest = hasher.finalize()
        digest.withUnsafeBytes { source in
            withUnsafeMutableBytes(of: &state) { $0.copyMemory(from: source) }
        }
    }

    /// The current hash as a value.
    var hash: ChainHash {
        withUnsafeBytes(of: state) { ChainHash(bytes: Array($0)) }
    }

    /// Whether the chain is at `hash`, without building an array.
    func isAt(_ hash: ChainHash) -> Bool {
        withUnsafeBytes(of: state) { $0.elementsEqual(hash.bytes) }
    }
}
