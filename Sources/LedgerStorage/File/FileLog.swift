import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The embedded log: a directory of segment files of LZ4-compressed, CRC-checked, hash-chained
/// blocks, with one writer process (enforced by a lock file) and any number of readers.
///
/// ```swift
/// let log = try FileLog.open(directory: "ledger/log")
/// let receipt = try log.append([LogEntry(payload: Array("hello".utf8))])
/// try log.forEach(from: .zero) { record in print(record.position, record.payload.count) }
/// ```
public final class FileLog: RecordLog {
    /// The log's directory.
    public let directory: String
    /// The limits and policies in force.
    public let configuration: LogConfiguration
    /// Whether the log was opened without the writer lock.
    public let isReadOnly: Bool

    private let lockFile: SystemFile?
    private let checkpointFile: SystemFile?
    private let encoder: BlockEncoder
    /// Serialises appends. Held across the write and the sync; readers never take it.
    let writer: Mutex<Manifest>
    /// What readers see. Held only to copy or publish a snapshot.
    let shared: Mutex<Shared>

    struct Shared: Sendable {
        var snapshot: LogSnapshot
        var readers = 0
        var closed = false
        var failure: String?
    }

    private init(directory: String, configuration: LogConfiguration, readOnly: Bool, lockFile: SystemFile?,
                 checkpointFile: SystemFile?, opened: LogOpener.Result) {
        self.directory = directory
        self.configuration = configuration
        self.isReadOnly = readOnly
        self.lockFile = lockFile
        self.checkpointFile = checkpointFile
        self.encoder = BlockEncoder(blockRawBytesMax: configuration.blockRawBytesMax, compression: configuration.compression)
        self.writer = Mutex(opened.manifest)
        self.shared = Mutex(Shared(snapshot: LogSnapshot(segments: opened.segments, head: opened.head)))
    }

    /// Opens the log in `directory`, creating it when missing (unless `readOnly`).
    ///
    /// A writer takes the directory's lock file (`flock`); a second writer, in this process or
    /// another, fails with ``LogError/locked(directory:holder:)``. Opening recovers a torn tail
    /// and refuses damage anywhere else with ``LogError/damaged(_:)``.
    public static func open(
        directory: String, configuration: LogConfiguration = LogConfiguration(), readOnly: Bool = false
    ) throws(LogError) -> FileLog {
        try configuration.validate()
        if readOnly {
            let opened = try LogOpener(directory: directory, configuration: configuration, writable: false).open()
            return FileLog(directory: directory, configuration: configuration, readOnly: true, lockFile: nil,
                           checkpointFile: nil, opened: opened)
        }
        try Directory.create(directory)
        let lock = try takeLock(directory)
        var opened = try LogOpener(directory: directory, configuration: configuration, writable: true).open()
        if opened.segments.last?.seal != nil || opened.segments.isEmpty {
            opened.segments.append(try startSegment(in: directory, after: opened.head))
        }
        if opened.manifestNeedsWrite {
            try Directory.writeAtomically(
                opened.manifest.encoded(), to: directory + "/" + LogFiles.manifest, in: directory, durable: true)
        }
        let checkpoint = try SystemFile.open(directory + "/" + LogFiles.checkpoint, writable: true, create: true)
        let log = FileLog(directory: directory, configuration: configuration, readOnly: false, lockFile: lock,
                          checkpointFile: checkpoint, opened: opened)
        log.writeCheckpoint(opened.segments.last!, head: opened.head)
        return log
    }

    private static func takeLock(_ directory: String) throws(LogError) -> SystemFile {
        let path = directory + "/" + LogFiles.lock
        let lock = try SystemFile.open(path, writable: true, create: true)
        guard try lock.tryLockExclusive() else {
            let holder = String(decoding: (try? lock.read(count: 200, at: 0)) ?? [], as: UTF8.self)
            throw .locked(directory: directory, holder: holder.isEmpty ? "another writer" : holder)
        }
        try lock.truncate(to: 0)
        try lock.write(Array("writer pid \(getpid())".utf8), at: 0)
        return lock
    }

    /// Creates the next segment file with its header, durably (file and directory synced).
    private static func startSegment(in directory: String, after head: LogHead) throws(LogError) -> SegmentState {
        let header = SegmentHeader(
            firstPosition: head.nextPosition, previousChainHash: head.chainHash,
            previousRecordedTime: head.lastRecordedTime?.microsecondsSinceEpoch ?? Int64.min)
        let path = directory + "/" + LogFiles.segmentName(head.nextPosition)
        if Directory.exists(path) { _ = unlink(path) }  // only an empty file from a torn start reaches here
        let file = try SystemFile.open(path, writable: true, create: true, exclusive: true)
        try file.write(header.encoded(), at: 0)
        try file.syncData()
        try Directory.sync(directory)
        return SegmentState(file: file, header: header, blocks: [], seal: nil, dataEnd: Int64(SegmentHeader.size))
    }

    // MARK: - State

    /// The state after the last durable record.
    public var head: LogHead {
        get throws(LogError) { try snapshot().head }
    }

    func snapshot() throws(LogError) -> LogSnapshot {
        try shared.withLock { (state) throws(LogError) -> LogSnapshot in
            if state.closed { throw .closed }
            return state.snapshot
        }
    }

    /// The number of segment files, sealed ones and the active one.
    public var segmentCount: Int {
        get throws(LogError) { try snapshot().segments.count }
    }

    /// Releases the writer lock. Reads already running finish on the files they hold.
    public func close() throws(LogError) {
        shared.withLock { $0.closed = true }
        lockFile?.unlock()
    }

    // MARK: - Append

    /// Appends the entries as one group commit: one write, one `fdatasync`, and only then the
    /// new head is published and the call returns. All entries are appended or none.
    ///
    /// Each entry gets the next position and a recorded time: its own when it brings one (which
    /// must be after the previous record's), otherwise the clock's, moved on by a microsecond
    /// when the clock has not advanced past the previous record.
    @discardableResult
    public func append(_ entries: [LogEntry]) throws(LogError) -> AppendReceipt {
        if isReadOnly { throw .readOnly }
        try checkLimits(entries)
        return try writer.withLock { (manifest) throws(LogError) -> AppendReceipt in
            let current = try writableSnapshot()
            guard !entries.isEmpty else {
                return AppendReceipt(firstPosition: current.head.nextPosition, recordedTimes: [], head: current.head)
            }
            let times = try assignTimes(entries, after: current.head.lastRecordedTime)
            let batch = encoder.encode(entries, times: times, after: current.head)
            var active = current.segments[current.segments.count - 1]
            if !active.blocks.isEmpty && active.dataEnd + Int64(batch.bytes.count) + Int64(Seal.size)
                > Int64(configuration.segmentBytesMax) {
                active = try sealAndStartNext(active, head: current.head, manifest: &manifest)
            }
            try writeDurably(batch, to: active)
            for block in batch.blocks {
                active.blocks.append(BlockRef(offset: active.dataEnd + Int64(block.offset), header: block.header))
            }
            active.dataEnd += Int64(batch.bytes.count)
            writeCheckpoint(active, head: batch.head)
            let published = active
            shared.withLock { state in
                state.snapshot.segments[state.snapshot.segments.count - 1] = published
                state.snapshot.head = batch.head
            }
            return AppendReceipt(firstPosition: current.head.nextPosition, recordedTimes: batch.recordedTimes, head: batch.head)
        }
    }

    private func writableSnapshot() throws(LogError) -> LogSnapshot {
        try shared.withLock { (state) throws(LogError) -> LogSnapshot in
            if state.closed { throw .closed }
            if let failure = state.failure { throw .writerFailed(failure) }
            return state.snapshot
        }
    }

    private func checkLimits(_ entries: [LogEntry]) throws(LogError) {
        guard entries.count <= configuration.recordsPerAppendMax else {
            throw .tooManyRecords(count: entries.count, limit: configuration.recordsPerAppendMax)
        }
        var total = 0
        for (index, entry) in entries.enumerated() {
            guard entry.payload.count <= configuration.recordBytesMax else {
                throw .recordTooLarge(index: index, bytes: entry.payload.count, limit: configuration.recordBytesMax)
            }
            total += entry.payload.count
        }
        guard total <= configuration.appendBytesMax else {
            throw .appendTooLarge(bytes: total, limit: configuration.appendBytesMax)
        }
    }

    private func assignTimes(_ entries: [LogEntry], after last: RecordedTime?) throws(LogError) -> [Int64] {
        var previous = last?.microsecondsSinceEpoch ?? Int64.min
        var times: [Int64] = []
        times.reserveCapacity(entries.count)
        var now: Int64?
        for (index, entry) in entries.enumerated() {
            let time: Int64
            if let given = entry.recordedTime {
                guard given.microsecondsSinceEpoch > previous else {
                    throw .recordedTimeNotIncreasing(
                        index: index, given: given, previous: RecordedTime(microsecondsSinceEpoch: previous))
                }
                time = given.microsecondsSinceEpoch
            } else {
                if now == nil { now = configuration.clock().microsecondsSinceEpoch }
                time = max(now!, previous + 1)
            }
            times.append(time)
            previous = time
        }
        return times
    }

    /// Writes a batch at the end of the active segment and syncs it. A failed write is cut back
    /// off (nothing was acknowledged); a failed sync poisons the writer, because after a failed
    /// `fdatasync` the kernel may have dropped the dirty pages and the file cannot be trusted.
    private func writeDurably(_ batch: EncodedBatch, to active: SegmentState) throws(LogError) {
        assertWellFormed(batch, after: active)
        do {
            try active.file.write(batch.bytes, at: active.dataEnd)
        } catch {
            do { try active.file.truncate(to: active.dataEnd) } catch { poison("\(error)") }
            throw error
        }
        guard configuration.durability == .fsync else { return }
        do { try active.file.syncData() } catch {
            poison("\(error)")
            throw error
        }
    }

    /// Checks before writing what reads will check after reading: every block header decodes
    /// to what was meant, continues the positions, and its CRC covers its payload. On in release
    /// builds; a failure here is a bug in this library, never bad input.
    private func assertWellFormed(_ batch: EncodedBatch, after active: SegmentState) {
        var position = active.nextPosition
        batch.bytes.withUnsafeBytes { bytes in
            for (offset, header) in batch.blocks {
                precondition((try? BlockHeader.decode(bytes, at: offset).get()) == header, "block header does not round-trip")
                precondition(header.firstPosition == position, "block does not continue the log's positions")
                let payload = UnsafeRawBufferPointer(
                    rebasing: bytes[offset + BlockHeader.size..<offset + BlockHeader.size + Int(header.storedLength)])
                precondition(CRC32C.checksum(payload) == header.payloadCRC, "block CRC does not cover its payload")
                position = header.nextPosition
            }
        }
        precondition(position == batch.head.nextPosition, "batch positions do not reach the new head")
    }

    private func poison(_ reason: String) {
        shared.withLock { $0.failure = reason }
    }

    /// Records how far the active segment is acknowledged. Advisory: no sync, and a failure
    /// only makes recovery more lenient about the tail, so it is not reported.
    private func writeCheckpoint(_ active: SegmentState, head: LogHead) {
        let checkpoint = Checkpoint(
            segmentFirstPosition: active.firstPosition, acknowledgedLength: UInt64(active.dataEnd),
            nextPosition: head.nextPosition)
        try? checkpointFile?.write(checkpoint.encoded(), at: 0)
    }

    /// Seals the full active segment (seal written and synced, manifest rewritten durably, block
    /// index saved) and starts the next one.
    private func sealAndStartNext(_ active: SegmentState, head: LogHead, manifest: inout Manifest) throws(LogError)
        -> SegmentState
    {
        let seal = Seal(
            blockCount: UInt32(active.blocks.count), firstPosition: active.firstPosition,
            recordCount: head.nextPosition.rawValue - active.firstPosition.rawValue,
            lastRecordedTime: head.lastRecordedTime!.microsecondsSinceEpoch, chainHash: head.chainHash,
            dataEnd: UInt64(active.dataEnd))
        do {
            try active.file.write(seal.encoded(), at: active.dataEnd)
            if configuration.durability == .fsync { try active.file.syncData() }
        } catch {
            poison("\(error)")
            throw error
        }
        var sealed = active
        sealed.seal = seal
        manifest.entries.append(ManifestEntry(seal: seal, fileLength: UInt64(active.dataEnd) + UInt64(Seal.size)))
        try Directory.writeAtomically(
            manifest.encoded(), to: directory + "/" + LogFiles.manifest, in: directory,
            durable: configuration.durability == .fsync)
        try? Directory.writeAtomically(
            SegmentIndexFile.encode(active.blocks), to: directory + "/" + LogFiles.indexName(active.firstPosition),
            in: directory, durable: false)
        let next = try Self.startSegment(in: directory, after: head)
        writeCheckpoint(next, head: head)
        shared.withLock { state in
            state.snapshot.segments[state.snapshot.segments.count - 1] = sealed
            state.snapshot.segments.append(next)
        }
        return next
    }
}
