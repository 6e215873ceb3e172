/// The `MERKLE` file next to a log's segments: the hash of every complete chunk of
/// 2^``chunkShift`` records, in order. Derived state: written after the log's own data on each
/// commit, never synced, never needed for recovery; missing, short or damaged, it is rebuilt
/// from the records (and the rebuild is reported as derived damage).
///
/// Layout (little-endian): a 16-byte header — `CLMT`, format version (u16), hash algorithm (u8:
/// 0 SHA-256, 1 SM3), chunk shift (u8), reserved (u32, zero), CRC-32C of the 12 bytes before —
/// then one 36-byte entry per chunk: the hash, and the CRC-32C of the hash followed by the
/// chunk's index (u64), so an entry moved to another place fails its check.
enum TreeFile {
    static let name = "MERKLE"
    static let magic = Array("CLMT".utf8)
    static let version: UInt16 = 1
    static let headerSize = 16
    static let entrySize = 36
    /// 64 records a chunk: proofs rehash at most 64 records, and the file holds half a byte per record.
    static let chunkShift = 6

    static func algorithmCode(_ algorithm: LogHashAlgorithm) -> UInt8 { algorithm == .sha256 ? 0 : 1 }

    static func header(_ algorithm: LogHashAlgorithm) -> [UInt8] {
        var writer = ByteWriter(capacity: headerSize)
        writer.raw(magic)
        writer.u16(version)
        writer.u8(algorithmCode(algorithm))
        writer.u8(UInt8(chunkShift))
        writer.u32(0)
        writer.crcOfAll()
        return writer.bytes
    }

    static func offset(ofChunk index: Int) -> Int64 { Int64(headerSize + index * entrySize) }

    /// The entries of chunks `first…`, ready to write at ``offset(ofChunk:)`` of `first`.
    static func entries(_ hashes: ArraySlice<TreeHash>, first: Int) -> [UInt8] {
        var writer = ByteWriter(capacity: hashes.count * entrySize)
        for (offset, hash) in hashes.enumerated() {
            let bytes = hash.bytes
            writer.raw(bytes)
            writer.u32(entryCRC(bytes, index: first + offset))
        }
        return writer.bytes
    }

    private static func entryCRC(_ hash: [UInt8], index: Int) -> UInt32 {
        var indexBytes = ByteWriter(capacity: 8)
        indexBytes.u64(UInt64(index))
        let crc = CRC32C.checksum(hash)
        return indexBytes.bytes.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
    }

    /// What a file holds: the intact entries from the start (at most `limit`), and why reading
    /// stopped early, when it did.
    struct Contents {
        var chunks: [TreeHash] = []
        var problem: (offset: Int64, reason: String)?
    }

    /// Decodes a file's bytes for a tree of `algorithm`, keeping at most `limit` entries.
    static func decode(_ bytes: [UInt8], algorithm: LogHashAlgorithm, limit: Int) -> Contents {
        var contents = Contents()
        guard bytes.count >= headerSize else {
            contents.problem = (0, "the header is cut short (\(bytes.count) bytes)")
            return contents
        }
        guard Array(bytes[0..<headerSize]) == header(algorithm) else {
            contents.problem = (0, "the header is damaged or names another hash algorithm or chunk size")
            return contents
        }
        let available = (bytes.count - headerSize) / entrySize
        for index in 0..<min(available, limit) {
            let start = headerSize + index * entrySize
            let hash = Array(bytes[start..<start + 32])
            let stored = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: start + 32, as: UInt32.self)) }
            guard stored == entryCRC(hash, index: index) else {
                contents.problem = (Int64(start), "the entry of chunk \(index) fails its CRC-32C")
                return contents
            }
            contents.chunks.append(TreeHash(bytes: hash))
        }
        if available < limit {
            contents.problem = (Int64(headerSize + available * entrySize),
                                "it holds \(available) of the \(limit) chunk hashes the log's records make")
        }
        return contents
    }
}

/// A log's Merkle tree as the log keeps it: the hash of every complete chunk of 64 records and
/// every complete subtree above them, and the leaf hashes of the incomplete last chunk. Leaf
/// hashes inside complete chunks are not kept: a proof rehashes the records of one chunk.
struct LogTree: Sendable {
    let algorithm: LogHashAlgorithm
    /// `levels[l][i]`: the hash of the complete subtree of chunks `i·2^l ..< (i+1)·2^l`.
    var levels: [[TreeHash]] = [[]]
    /// The leaf hashes of the records after the last complete chunk (fewer than a chunk).
    var partial: [TreeHash] = []

    static let chunkLeaves = 1 << TreeFile.chunkShift

    /// The number of leaves (records) the tree covers.
    var size: UInt64 { UInt64(levels[0].count) << UInt64(TreeFile.chunkShift) + UInt64(partial.count) }

    var chunkCount: Int { levels[0].count }

    /// Adds complete chunks' hashes, building the subtrees they complete.
    mutating func append(chunks: [TreeHash], hasher: TreeHasher) {
        for chunk in chunks { MerkleLevels.append(chunk, to: &levels, hasher: hasher) }
    }
}

/// The tree's growth during one append: leaf hashes folded into chunks as batches are written,
/// kept apart from the published tree until the append commits (a roll-back just drops it).
struct TreeGrowth: Sendable {
    /// The leaf hashes after the last complete chunk.
    var partial: [TreeHash]
    /// Chunks completed by this append, in order.
    var chunks: [TreeHash] = []

    /// Folds a batch's leaf hashes in.
    mutating func add(_ leaves: [TreeHash], hasher: TreeHasher) {
        for leaf in leaves { add(leaf, hasher: hasher) }
    }

    /// Folds in the leaf hashes of blocks of canonical record frames (as the encoder frames them).
    mutating func add(frames blocks: [[UInt8]], hasher: TreeHasher) {
        for block in blocks {
            block.withUnsafeBytes { frames in
                var offset = 0
                while offset < frames.count {
                    let length = Int(UInt32(littleEndian: frames.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)))
                    let end = offset + RecordFrame.overhead + length
                    add(hasher.leaf(UnsafeRawBufferPointer(rebasing: frames[offset..<end])), hasher: hasher)
                    offset = end
                }
            }
        }
    }

    /// Folds in one leaf hash (without the array a batch would allocate: scans call this per record).
    mutating func add(_ leaf: TreeHash, hasher: TreeHasher) {
        partial.append(leaf)
        if partial.count == LogTree.chunkLeaves {
            chunks.append(Self.chunkHash(partial[...], hasher: hasher))
            partial.removeAll(keepingCapacity: true)
        }
    }

    /// The root of a complete chunk of leaf hashes (a power of two of them), folded in place.
    static func chunkHash(_ leaves: ArraySlice<TreeHash>, hasher: TreeHasher) -> TreeHash {
        precondition(!leaves.isEmpty && leaves.count & (leaves.count - 1) == 0)
        return withUnsafeTemporaryAllocation(of: TreeHash.self, capacity: leaves.count) { level in
            _ = level.initialize(from: leaves)
            var count = leaves.count
            while count > 1 {
                for index in 0..<count / 2 { level[index] = hasher.node(level[2 * index], level[2 * index + 1]) }
                count /= 2
            }
            return level[0]
        }
    }
}

extension TreeHasher {
    /// The leaf hash of a stored record: H(0x00 ‖ canonical frame), where the frame is position
    /// (u64) ‖ recorded time (i64 µs) ‖ payload length (u32), little-endian, ‖ payload — the
    /// same bytes the hash chain covers, so a proof binds the record's place and time too.
    public func leaf(position: Position, recordedTime: RecordedTime, payload: UnsafeRawBufferPointer) -> TreeHash {
        var prefix = ByteWriter(capacity: 1 + RecordFrame.overhead)
        prefix.u8(0)
        prefix.u64(position.rawValue)
        prefix.i64(recordedTime.microsecondsSinceEpoch)
        prefix.u32(UInt32(payload.count))
        return prefix.bytes.withUnsafeBytes { digest([$0, payload]) }
    }
}
