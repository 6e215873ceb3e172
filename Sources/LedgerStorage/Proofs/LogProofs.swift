/// The root of a log's Merkle tree at one size: what a checkpoint signs.
public struct TreeHead: Hashable, Sendable {
    /// The tree's hash function.
    public var algorithm: LogHashAlgorithm
    /// The number of records (leaves) the tree covers: positions `0 ..< size`.
    public var size: UInt64
    /// The tree's root hash (RFC 9162 MTH).
    public var root: TreeHash
    /// The recorded time of the last record covered; nil for the empty tree.
    public var lastRecordedTime: RecordedTime?

    /// A tree head from its parts.
    public init(algorithm: LogHashAlgorithm, size: UInt64, root: TreeHash, lastRecordedTime: RecordedTime?) {
        self.algorithm = algorithm
        self.size = size
        self.root = root
        self.lastRecordedTime = lastRecordedTime
    }
}

/// Proof that one record is leaf `record.position` of the tree of `treeSize` records: the
/// record itself and the O(log n) sibling hashes from it to the root.
public struct InclusionProof: Hashable, Sendable {
    /// The tree's hash function.
    public var algorithm: LogHashAlgorithm
    /// The size of the tree the proof is for.
    public var treeSize: UInt64
    /// The record, with its position and recorded time (all three are hashed into the leaf).
    public var record: LogRecord
    /// The sibling hashes, from the leaf upwards (RFC 9162 §2.1.3.1).
    public var hashes: [TreeHash]

    /// A proof from its parts.
    public init(algorithm: LogHashAlgorithm, treeSize: UInt64, record: LogRecord, hashes: [TreeHash]) {
        self.algorithm = algorithm
        self.treeSize = treeSize
        self.record = record
        self.hashes = hashes
    }

    /// The record's leaf hash: H(0x00 ‖ canonical frame).
    public var leafHash: TreeHash {
        record.payload.withUnsafeBytes {
            TreeHasher(algorithm).leaf(position: record.position, recordedTime: record.recordedTime, payload: $0)
        }
    }

    /// Checks the proof against a tree head (of a verified checkpoint): same algorithm, same
    /// size, and the path from the record leads to its root. Throws the reason otherwise.
    public func verify(against head: TreeHead) throws(ProofRefusal) {
        guard head.algorithm == algorithm else {
            throw ProofRefusal("the proof uses \(algorithm), the tree head \(head.algorithm)")
        }
        guard head.size == treeSize else {
            throw ProofRefusal("the proof is for a tree of \(treeSize) records, the tree head covers \(head.size)")
        }
        try MerkleTree.verifyInclusion(leafHash: leafHash, index: record.position.rawValue, size: treeSize,
                                       proof: hashes, root: head.root, algorithm: algorithm)
    }
}

/// Proof that the tree of `oldSize` records is a prefix of the tree of `newSize`: nothing
/// recorded by then was changed or removed since.
public struct ConsistencyProof: Hashable, Sendable {
    /// The tree's hash function.
    public var algorithm: LogHashAlgorithm
    /// The size of the earlier tree.
    public var oldSize: UInt64
    /// The size of the later tree.
    public var newSize: UInt64
    /// The subtree hashes of RFC 9162 §2.1.4.1.
    public var hashes: [TreeHash]

    /// A proof from its parts.
    public init(algorithm: LogHashAlgorithm, oldSize: UInt64, newSize: UInt64, hashes: [TreeHash]) {
        self.algorithm = algorithm
        self.oldSize = oldSize
        self.newSize = newSize
        self.hashes = hashes
    }

    /// Checks the proof between two tree heads (of verified checkpoints). Throws the reason
    /// when the later one does not extend the earlier.
    public func verify(old: TreeHead, new: TreeHead) throws(ProofRefusal) {
        guard old.algorithm == algorithm, new.algorithm == algorithm else {
            throw ProofRefusal("the proof uses \(algorithm), the tree heads \(old.algorithm) and \(new.algorithm)")
        }
        guard old.size == oldSize, new.size == newSize else {
            throw ProofRefusal("the proof is from \(oldSize) to \(newSize) records, the tree heads cover \(old.size) and \(new.size)")
        }
        try MerkleTree.verifyConsistency(oldSize: oldSize, newSize: newSize, oldRoot: old.root, newRoot: new.root,
                                         proof: hashes, algorithm: algorithm)
    }
}

extension FileLog {
    /// The tree head at `size` records (the whole log when nil).
    public func treeHead(size: UInt64? = nil) throws(LogError) -> TreeHead {
        let tree = try currentTree()
        let size = try checkedSize(size, tree: tree)
        let root = try subtreeHash(0..<size, in: tree)
        let last = size == 0 ? nil : try record(at: Position(size - 1)).recordedTime
        return TreeHead(algorithm: tree.algorithm, size: size, root: root, lastRecordedTime: last)
    }

    /// The proof that the record at `position` is in the tree of `treeSize` records (the whole
    /// log when nil).
    public func inclusionProof(position: Position, treeSize: UInt64? = nil) throws(LogError) -> InclusionProof {
        let tree = try currentTree()
        let size = try checkedSize(treeSize, tree: tree)
        guard position.rawValue < size else { throw .positionOutOfRange(requested: position, end: Position(size)) }
        var cache: [Int: [TreeHash]] = [:]
        // One read of the record's chunk gives both the record and the leaves its proof needs.
        var found: LogRecord?
        let chunk = Int(position.rawValue >> UInt64(TreeFile.chunkShift))
        if chunk < tree.chunkCount {
            cache[chunk] = try readChunk(chunk, algorithm: tree.algorithm) { if $0.position == position { found = $0.record } }
        }
        var hashes: [TreeHash] = []
        for range in MerkleTree.inclusionRanges(index: position.rawValue, size: size) {
            hashes.append(try subtreeHash(range, in: tree, cache: &cache))
        }
        let record: LogRecord
        if let found { record = found } else { record = try self.record(at: position) }
        return InclusionProof(algorithm: tree.algorithm, treeSize: size, record: record, hashes: hashes)
    }

    /// The proof that the tree of `old` records is a prefix of the tree of `new` (the whole log
    /// when nil).
    public func consistencyProof(from old: UInt64, to new: UInt64? = nil) throws(LogError) -> ConsistencyProof {
        let tree = try currentTree()
        let newSize = try checkedSize(new, tree: tree)
        guard old <= newSize else { throw .treeSizeOutOfRange(requested: old, size: newSize) }
        var cache: [Int: [TreeHash]] = [:]
        var hashes: [TreeHash] = []
        for range in MerkleTree.consistencyRanges(old: old, new: newSize) {
            hashes.append(try subtreeHash(range, in: tree, cache: &cache))
        }
        return ConsistencyProof(algorithm: tree.algorithm, oldSize: old, newSize: newSize, hashes: hashes)
    }

    private func checkedSize(_ size: UInt64?, tree: LogTree) throws(LogError) -> UInt64 {
        let records = try head.recordCount
        guard let size else { return records }
        guard size <= records else { throw .treeSizeOutOfRange(requested: size, size: records) }
        return size
    }

    private func subtreeHash(_ range: Range<UInt64>, in tree: LogTree) throws(LogError) -> TreeHash {
        var cache: [Int: [TreeHash]] = [:]
        return try subtreeHash(range, in: tree, cache: &cache)
    }

    /// The hash of leaves `range`: complete subtrees of whole chunks from the tree, smaller ones
    /// from the leaf hashes of their chunk (rehashed from its records, and kept in `cache`).
    private func subtreeHash(_ range: Range<UInt64>, in tree: LogTree, cache: inout [Int: [TreeHash]]) throws(LogError) -> TreeHash {
        let hasher = TreeHasher(tree.algorithm)
        let shift = TreeFile.chunkShift
        return try MerkleTree.hash(of: range, hasher: hasher) { (level, index) throws(LogError) -> TreeHash in
            if level >= shift { return tree.levels[level - shift][Int(index)] }
            let first = index << UInt64(level)
            let chunk = Int(first >> UInt64(shift))
            let leaves = try chunkLeaves(chunk, in: tree, cache: &cache)
            let start = Int(first) - chunk << shift
            return TreeGrowth.chunkHash(leaves[start..<start + 1 << level], hasher: hasher)
        }
    }

    private func chunkLeaves(_ chunk: Int, in tree: LogTree, cache: inout [Int: [TreeHash]]) throws(LogError) -> [TreeHash] {
        if chunk == tree.chunkCount { return tree.partial }
        if let kept = cache[chunk] { return kept }
        let leaves = try readChunk(chunk, algorithm: tree.algorithm) { _ in }
        cache[chunk] = leaves
        return leaves
    }

    /// The leaf hashes of a complete chunk, rehashed from its records (each also shown to `visit`).
    private func readChunk(_ chunk: Int, algorithm: LogHashAlgorithm, visit: (LogRecordView) -> Void) throws(LogError) -> [TreeHash] {
        let hasher = TreeHasher(algorithm)
        var leaves: [TreeHash] = []
        leaves.reserveCapacity(LogTree.chunkLeaves)
        let first = UInt64(chunk) << UInt64(TreeFile.chunkShift)
        try scan(from: Position(first), to: Position(first + UInt64(LogTree.chunkLeaves))) { view in
            visit(view)
            leaves.append(hasher.leaf(position: view.position, recordedTime: view.recordedTime, payload: view.payload))
        }
        return leaves
    }
}
