/// RFC 9162 (Certificate Transparency 2.0) Merkle tree arithmetic: tree heads, inclusion proofs
/// and consistency proofs over any source of complete-subtree hashes, and the verifiers, which
/// need nothing but the proof, the sizes, the leaf and the roots.
///
/// A tree of n leaves splits at k, the largest power of two below n: MTH(D[0:n]) =
/// H(0x01 ‖ MTH(D[0:k]) ‖ MTH(D[k:n])). Every left part of a split is a complete subtree of 2^j
/// leaves starting at a multiple of 2^j; only the right edge is ragged. So a source need only
/// give complete ("perfect") subtrees; the ragged right edge is folded here.
public enum MerkleTree {
    /// The ranges of leaves whose subtree hashes make the inclusion proof of leaf `index` in a
    /// tree of `size` leaves (RFC 9162 §2.1.3.1), from the leaf's sibling upwards.
    public static func inclusionRanges(index: UInt64, size: UInt64) -> [Range<UInt64>] {
        precondition(index < size, "leaf \(index) is not in a tree of \(size)")
        var ranges: [Range<UInt64>] = []
        var lo: UInt64 = 0, hi = size
        while hi - lo > 1 {
            let k = splitPoint(hi - lo)
            if index - lo < k {
                ranges.append(lo + k..<hi)
                hi = lo + k
            } else {
                ranges.append(lo..<lo + k)
                lo += k
            }
        }
        return ranges.reversed()
    }

    /// The ranges of leaves whose subtree hashes make the consistency proof from a tree of
    /// `old` leaves to one of `new` (RFC 9162 §2.1.4.1, SUBPROOF), in proof order. Empty when
    /// `old` is 0 or equals `new`.
    public static func consistencyRanges(old: UInt64, new: UInt64) -> [Range<UInt64>] {
        precondition(old <= new, "a tree of \(old) leaves cannot be a prefix of one of \(new)")
        guard old > 0, old < new else { return [] }
        var ranges: [Range<UInt64>] = []
        var lo: UInt64 = 0, hi = new, m = old
        var complete = true
        while true {
            let n = hi - lo
            if m == n {
                if !complete { ranges.append(lo..<hi) }
                break
            }
            let k = splitPoint(n)
            if m <= k {
                ranges.append(lo + k..<hi)
                hi = lo + k
            } else {
                ranges.append(lo..<lo + k)
                lo += k
                m -= k
                complete = false
            }
        }
        return ranges.reversed()
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func splitPoint(_ n: UInt64) -> UInt64 {
        precondition(n >= 2)
        return UInt64(1) << (63 - (n - 1).leadingZeroBitCount)
    }

    /// The hash of the leaves `range` (MTH of RFC 9162 §2.1.1), from the complete subtrees
    /// `perfect(level, index)` gives: the hash of leaves `index·2^level ..< (index+1)·2^level`.
    /// The range must start at a multiple of the largest power of two not above its size, as
    /// every range of a proof does. An empty range hashes to H() (the empty tree).
    public static func hash<E: Error>(
        of range: Range<UInt64>, hasher: TreeHasher, perfect: (_ level: Int, _ index: UInt64) throws(E) -> TreeHash
    ) throws(E) -> TreeHash {
        let size = range.upperBound - range.lowerBound
        if size == 0 { return hasher.digest([]) }
        if size & (size - 1) == 0 {
            let level = size.trailingZeroBitCount
            precondition(range.lowerBound % size == 0, "subtree \(range) is not aligned")
            return try perfect(level, range.lowerBound >> level)
        }
        let k = splitPoint(size)
        let left = try hash(of: range.lowerBound..<range.lowerBound + k, hasher: hasher, perfect: perfect)
        let right = try hash(of: range.lowerBound + k..<range.upperBound, hasher: hasher, perfect: perfect)
        return hasher.node(left, right)
    }
}

/// Why a proof or a checkpoint was refused: what does not hold, in words an auditor can act on.
public struct ProofRefusal: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String

    /// A refusal for `reason`.
    public init(_ reason: String) { self.reason = reason }

    public var description: String { reason }
}

extension MerkleTree {
    /// Checks that `proof` shows the leaf hashing to `leafHash` at `index` in the tree of `size`
    /// leaves whose root is `root` (RFC 9162 §2.1.3.2). Throws the reason when it does not.
    public static func verifyInclusion(
        leafHash: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash], root: TreeHash, algorithm: LogHashAlgorithm
    ) throws(ProofRefusal) {
        guard index < size else {
            throw ProofRefusal("leaf \(index) is not in a tree of \(size) leaves")
        }
        let expected = inclusionRanges(index: index, size: size).count
        guard proof.count == expected else {
            throw ProofRefusal("the proof has \(proof.count) hashes; an inclusion proof for leaf \(index) in a tree of \(size) has \(expected) (truncated, padded or for another size)")
        }
        let hasher = TreeHasher(algorithm)
        var fn = index, sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn > 0 else { throw ProofRefusal("the proof is longer than the path from leaf \(index) to the root") }
            if fn & 1 == 1 || fn == sn {
                r = hasher.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = hasher.node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw ProofRefusal("the proof is shorter than the path from leaf \(index) to the root") }
        guard r == root else {
            throw ProofRefusal("the proof leads to root \(r), not to the tree head's root \(root): a wrong sibling, a swapped order, another record or another tree")
        }
    }

    /// Checks that `proof` shows the tree of `oldSize` leaves with root `oldRoot` is a prefix of
    /// the tree of `newSize` leaves with root `newRoot` (RFC 9162 §2.1.4.2): nothing recorded up
    /// to `oldSize` was changed or removed. Throws the reason when it does not.
    public static func verifyConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: TreeHash, newRoot: TreeHash, proof: [TreeHash],
        algorithm: LogHashAlgorithm
    ) throws(ProofRefusal) {
        guard oldSize <= newSize else {
            throw ProofRefusal("the old tree (\(oldSize) leaves) is larger than the new one (\(newSize)): a log never shrinks")
        }
        let expected = consistencyRanges(old: oldSize, new: newSize).count
        guard proof.count == expected else {
            throw ProofRefusal("the proof has \(proof.count) hashes; a consistency proof from \(oldSize) to \(newSize) leaves has \(expected) (truncated, padded or for other sizes)")
        }
        if oldSize == newSize {
            guard oldRoot == newRoot else {
                throw ProofRefusal("two trees of \(oldSize) leaves with different roots (\(oldRoot), \(newRoot)): the history was rewritten")
            }
            return
        }
        if oldSize == 0 { return }
        try foldConsistency(oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof,
                            hasher: TreeHasher(algorithm))
    }

    private static func foldConsistency(
        oldSize: UInt64, newSize: UInt64, oldRoot: TreeHash, newRoot: TreeHash, proof: [TreeHash], hasher: TreeHasher
    ) throws(ProofRefusal) {
        var path = proof[...]
        // A power-of-two old tree is itself a node of the new one: its root starts the fold.
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: path.startIndex) }
        var fn = oldSize - 1, sn = newSize - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        var fr = path.removeFirst()
        var sr = fr
        for c in path {
            guard sn > 0 else { throw ProofRefusal("the proof is longer than the paths it should join") }
            if fn & 1 == 1 || fn == sn {
                fr = hasher.node(c, fr)
                sr = hasher.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = hasher.node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw ProofRefusal("the proof is shorter than the paths it should join") }
        guard fr == oldRoot else {
            throw ProofRefusal("the proof does not lead to the old root \(oldRoot) (it gives \(fr)): the old tree is not a prefix of the new one, or the proof is forged")
        }
        guard sr == newRoot else {
            throw ProofRefusal("the proof does not lead to the new root \(newRoot) (it gives \(sr)): the new tree does not extend the old one, or the proof is forged")
        }
    }
}

/// A Merkle tree held in memory: every leaf hash and every complete subtree above them. For
/// tests, small logs and other backends; ``FileLog`` keeps its tree on disk.
public struct InMemoryMerkleTree: Sendable {
    /// The hash function.
    public let algorithm: LogHashAlgorithm
    /// `levels[l][i]`: the hash of the complete subtree of leaves `i·2^l ..< (i+1)·2^l`.
    private var levels: [[TreeHash]] = [[]]

    /// An empty tree.
    public init(algorithm: LogHashAlgorithm) { self.algorithm = algorithm }

    /// The number of leaves.
    public var size: UInt64 { UInt64(levels[0].count) }

    /// Appends a leaf by its record bytes (hashed as H(0x00 ‖ record)).
    public mutating func append(record: [UInt8]) {
        append(leafHash: TreeHasher(algorithm).leaf(record))
    }

    /// Appends a leaf by its hash.
    public mutating func append(leafHash: TreeHash) {
        MerkleLevels.append(leafHash, to: &levels, hasher: TreeHasher(algorithm))
    }

    /// The root of the first `size` leaves (all when nil).
    public func root(size: UInt64? = nil) -> TreeHash {
        let hasher = TreeHasher(algorithm)
        return MerkleTree.hash(of: 0..<(size ?? self.size), hasher: hasher) { level, index in levels[level][Int(index)] }
    }

    /// The inclusion proof of leaf `index` in the tree of the first `size` leaves.
    public func inclusionProof(index: UInt64, size: UInt64) -> [TreeHash] {
        precondition(size <= self.size)
        return hashes(MerkleTree.inclusionRanges(index: index, size: size))
    }

    /// The consistency proof from the first `old` leaves to the first `new`.
    public func consistencyProof(old: UInt64, new: UInt64) -> [TreeHash] {
        precondition(new <= size)
        return hashes(MerkleTree.consistencyRanges(old: old, new: new))
    }

    private func hashes(_ ranges: [Range<UInt64>]) -> [TreeHash] {
        let hasher = TreeHasher(algorithm)
        return ranges.map { range in
            MerkleTree.hash(of: range, hasher: hasher) { level, index in levels[level][Int(index)] }
        }
    }
}

/// Complete-subtree hashes by level, grown one bottom-level hash at a time.
enum MerkleLevels {
    /// Appends `hash` to the bottom level and the parents it completes to the levels above.
    static func append(_ hash: TreeHash, to levels: inout [[TreeHash]], hasher: TreeHasher) {
        levels[0].append(hash)
        var level = 0
        while levels[level].count % 2 == 0 {
            let count = levels[level].count
            let parent = hasher.node(levels[level][count - 2], levels[level][count - 1])
            level += 1
            if levels.count == level { levels.append([]) }
            levels[level].append(parent)
        }
    }
}
