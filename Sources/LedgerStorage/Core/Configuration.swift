/// How blocks are compressed. Every codec keeps the same canonical record bytes, so recompressing
/// a block never changes a chain hash.
public enum BlockCompression: Hashable, Sendable {
    /// Store blocks as they are.
    case none
    /// liblz4's fast block compressor (`LZ4_compress_default`).
    case lz4
    /// liblz4's high-compression block compressor (`LZ4_compress_HC`) at a level from 1 to 12.
    case lz4hc(level: Int32)
}

/// Whether an append waits for the disk.
public enum Durability: Hashable, Sendable {
    /// `fdatasync` once per append call before it returns: an acknowledged record survives a crash.
    case fsync
    /// No sync at all. Only for throwaway logs (tests of other layers, benchmarks that say so):
    /// an acknowledged record may be lost on a crash.
    case unsafeNoSync
    /// An append is written (the operating system holds it) and returns without waiting for the
    /// disk; ``FileLog/sync()`` makes every append written before it durable and only then moves
    /// the checkpoint (docs/storage.md, "Deferred durability"). A process that crashes loses
    /// nothing it appended; a machine that crashes (power loss, kernel panic) loses the appends
    /// written since the last completed `sync()`, whole appends only, from the end: the log opens
    /// as it was at some point at or after that sync. Segment seals, the manifest and the
    /// checkpoint stay synced as with ``fsync``. For logs whose writer bounds what a machine
    /// crash may cost by calling `sync()` on a schedule (the query audit log's `written` mode).
    case deferred

    /// Whether seals, the manifest, the checkpoint and a roll-back are synced (every mode but
    /// ``unsafeNoSync``).
    var syncsStructure: Bool { self != .unsafeNoSync }
}

/// The limits and policies of a log. Every limit is checked, with an error naming it.
public struct LogConfiguration: Sendable {
    /// The largest record payload accepted, in bytes.
    public var recordBytesMax: Int = 1_000_000
    /// The largest uncompressed block, in bytes. A block is closed before it would grow past this.
    public var blockRawBytesMax: Int = 1 << 20
    /// The most records one append call may carry.
    public var recordsPerAppendMax: Int = 100_000
    /// The most payload bytes one append call may carry.
    public var appendBytesMax: Int = 64 << 20
    /// The largest segment file, in bytes; a segment is sealed before an append would pass it.
    public var segmentBytesMax: Int = 256 << 20
    /// The most scans that may run at once.
    public var openReadersMax: Int = 64
    /// How blocks are compressed (blocks that do not shrink are stored raw whatever this says).
    public var compression: BlockCompression = .lz4
    /// Whether appends wait for the disk.
    public var durability: Durability = .fsync
    /// Whether reads (scans, ``FileLog/records(at:)``) check every block they serve against the
    /// hash chain (SHA-256 of every record read) on top of its CRCs. On by default: a block
    /// rewritten with valid CRCs is refused, not served. Off only to measure what it costs.
    public var readChecksChain = true
    /// Whether a writer keeps the Merkle tree over the records (the `MERKLE` file, derived and
    /// rebuildable) as it appends. On by default; off only to measure what it costs (proofs
    /// then rebuild the tree from the records).
    public var maintainsMerkleTree = true
    /// The hash function of a log created with this configuration: its chain, its Merkle tree and
    /// the ledger's digests (docs/proofs.md). Recorded in every segment header, so an existing log
    /// is always read with its own; nil (the default) takes the existing log's, or SHA-256 for a
    /// new one. Naming another algorithm than an existing log's is refused.
    public var hashAlgorithm: LogHashAlgorithm?
    /// The file system the log lives on: the real one, or in the tests a simulated one that
    /// injects faults.
    var fileSystem: any FileSystem = PosixFileSystem()
    /// The source of recorded times for records that bring none. It may go back (NTP steps);
    /// the log never does: it takes one microsecond past the previous record instead.
    public var clock: @Sendable () -> RecordedTime = { RecordedTime.now() }

    /// The default limits: 1 MB records, 1 MiB blocks, 100,000 records or 64 MiB per append,
    /// 256 MiB segments, 64 readers, LZ4, fsync.
    public init() {}

    /// The smallest segment that can always hold one maximal append next to its header and seal.
    public var segmentBytesRequired: Int {
        // A block closes only when the next record would not fit, so blocks are at least half full
        // when records are maximal: at most 2 × raw / blockRawBytesMax + 1 blocks, rounded up.
        let rawBytesMax = appendBytesMax + RecordFrame.overhead * recordsPerAppendMax
        let blocksMax = 2 * (rawBytesMax / max(blockRawBytesMax, 1)) + 2
        return SegmentHeader.size + Seal.size + rawBytesMax + BlockHeader.size * blocksMax
    }

    /// Checks that every limit is positive and that the limits fit inside one another.
    public func validate() throws(LogError) {
        func require(_ condition: Bool, _ reason: String) throws(LogError) {
            if !condition { throw .invalidConfiguration(reason) }
        }
        try require(recordBytesMax >= 0, "recordBytesMax must not be negative")
        try require(recordsPerAppendMax > 0, "recordsPerAppendMax must be positive")
        try require(appendBytesMax > 0, "appendBytesMax must be positive")
        try require(openReadersMax > 0, "openReadersMax must be positive")
        try require(blockRawBytesMax <= Int(Int32.max), "blockRawBytesMax must fit liblz4's Int32 sizes")
        try require(
            recordBytesMax + RecordFrame.overhead <= blockRawBytesMax,
            "a maximal record (\(recordBytesMax) bytes + \(RecordFrame.overhead) bytes of framing) "
                + "must fit in one block (blockRawBytesMax \(blockRawBytesMax))")
        try require(
            segmentBytesMax >= segmentBytesRequired,
            "segmentBytesMax \(segmentBytesMax) cannot hold a maximal append; it must be at least "
                + "\(segmentBytesRequired) with these limits")
        if case let .lz4hc(level) = compression {
            try require((1...12).contains(level), "the LZ4-HC level must be 1…12, is \(level)")
        }
    }
}
