import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The embedded log: a directory of segment files of LZ4-compressed, CRC-checked, hash-chained
/// blocks, with one writer process (enforced by `flock` on the directory) and any number of readers.
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
    /// The file system the log lives on.
    var fs: any FileSystem { configuration.fileSystem }
    /// Whether the log was opened without the writer lock.
    public let isReadOnly: Bool
    /// Derived files found damaged or missing (block indexes when the log opened, the Merkle
    /// tree file when it was loaded): rebuilt, never trusted.
    public var derivedDamage: [LogDamage] { openDamage + treeDamage.withLock { $0 } }
    /// Derived files found damaged or missing when the log opened.
    let openDamage: [LogDamage]
    /// Problems found in the Merkle tree file (`MERKLE`) when it was loaded.
    let treeDamage = Mutex<[LogDamage]>([])
    /// The Merkle tree over the records: kept up to date by a writer that maintains it, built
    /// from the file and the records on first use otherwise. Published before the head it covers.
    let tree = Mutex<LogTree?>(nil)
    /// The Merkle tree file, open for writing, while this writer maintains the tree.
    let treeFile = Mutex<(any LogFile)?>(nil)
    /// Whether this writer keeps the tree up to date as it appends.
    let maintainsTree = Mutex(false)

    /// The hash function of the chain, the Merkle tree and the ledger's digests: chosen when
    /// the log was created (``LogConfiguration/hashAlgorithm``), recorded in every segment header.
    public let hashAlgorithm: LogHashAlgorithm

    let lockFile: (any WriterLockHandle)?
    let checkpointFile: (any LogFile)?
    let encoder: BlockEncoder
    /// Serialises appends. Held across each write and sync; readers never take it.
    let writer: Mutex<WriterState>
    /// The checkpoint slot the next checkpoint write goes to (never the newest intact copy), and
    /// the last checkpoint written. Held across each checkpoint's write and sync: ``sync()``
    /// writes checkpoints outside the writer lock.
    let checkpointSlot: Mutex<CheckpointWriter>

    /// Where the next checkpoint goes and what the last one said.
    struct CheckpointWriter: Sendable {
        var slot: Int
        var last: Checkpoint?
    }
    /// What readers see. Held only to copy or publish a snapshot.
    let shared: Mutex<Shared>

    /// What only the writer touches.
    struct WriterState: Sendable {
        var manifest: Manifest
        /// An ``AppendSession`` is open: plain appends and other sessions are refused until it ends.
        var sessionOpen = false
    }

    struct Shared: Sendable {
        var snapshot: LogSnapshot
        var readers = 0
        var closed = false
        var failure: String?
    }

    private init(directory: String, configuration: LogConfiguration, readOnly: Bool, lockFile: (any WriterLockHandle)?,
                 checkpointFile: (any LogFile)?, opened: LogOpener.Result) {
        self.directory = directory
        self.configuration = configuration
        self.isReadOnly = readOnly
        self.openDamage = opened.derivedDamage
        self.checkpointSlot = Mutex(CheckpointWriter(
            slot: ((opened.newestCheckpointCopy ?? 1) + 1) % CheckpointFile.copyOffsets.count, last: nil))
        self.lockFile = lockFile
        self.checkpointFile = checkpointFile
        let algorithm = opened.segments.first?.header.hashAlgorithm ?? configuration.hashAlgorithm ?? .sha256
        self.hashAlgorithm = algorithm
        self.encoder = BlockEncoder(
            blockRawBytesMax: configuration.blockRawBytesMax, compression: configuration.compression,
            keepsFrames: !readOnly && configuration.maintainsMerkleTree, hashAlgorithm: algorithm)
        self.writer = Mutex(WriterState(manifest: opened.manifest))
        self.shared = Mutex(Shared(snapshot: LogSnapshot(segments: opened.segments, head: opened.head)))
    }

    /// Opens the log in `directory`, creating it when missing (unless `readOnly`).
    ///
    /// A writer takes the lock on the directory itself (`flock`); a second writer, in this process
    /// or another, fails with ``LogError/locked(directory:holder:)``. Opening recovers a torn tail
    /// and refuses damage anywhere else with ``LogError/damaged(_:)``.
    public static func open(
        directory: String, configuration: LogConfiguration = LogConfiguration(), readOnly: Bool = false
    ) throws(LogError) -> FileLog {
        try configuration.validate()
        let fs = configuration.fileSystem
        if readOnly {
            var opened = try LogOpener(directory: directory, configuration: configuration, writable: false).open()
            try checkHashAlgorithm(opened.segments, directory: directory, asked: configuration.hashAlgorithm)
            (opened.segments, opened.head) = try acknowledgedPrefix(of: opened)
            return FileLog(directory: directory, configuration: configuration, readOnly: true, lockFile: nil,
                           checkpointFile: nil, opened: opened)
        }
        try fs.createDirectory(directory)
        let lock = try fs.lockWriter(directory)
        var opened = try LogOpener(directory: directory, configuration: configuration, writable: true).open()
        try checkHashAlgorithm(opened.segments, directory: directory, asked: configuration.hashAlgorithm)
        if opened.segments.last?.seal != nil || opened.segments.isEmpty {
            let algorithm = opened.segments.first?.header.hashAlgorithm ?? configuration.hashAlgorithm ?? .sha256
            opened.segments.append(try startSegment(in: directory, fileSystem: fs, after: opened.head, algorithm: algorithm))
        }
        if opened.manifestNeedsWrite {
            try fs.writeAtomically(
                opened.manifest.encoded(), to: directory + "/" + LogFiles.manifest, in: directory, durable: true)
        }
        let checkpointPath = directory + "/" + LogFiles.checkpoint
        let checkpointIsNew = !fs.exists(checkpointPath)
        let checkpoint = try fs.open(checkpointPath, writable: true, create: true, exclusive: false)
        let log = FileLog(directory: directory, configuration: configuration, readOnly: false, lockFile: lock,
                          checkpointFile: checkpoint, opened: opened)
        try log.finishSeals()
        let active = try log.snapshot().segments.last!
        // Appends kept past the checkpoint may still be only in the page cache (a deferred writer
        // that died before its sync): durable first, then acknowledged by the checkpoint.
        if configuration.durability.syncsStructure { try active.file.syncData() }
        try log.writeCheckpoint(active, head: opened.head)
        if checkpointIsNew { try fs.syncDirectory(directory) }
        if configuration.maintainsMerkleTree { log.startTreeMaintenance() }
        return log
    }

    /// Refuses a log whose segments name different hash algorithms (damage), or whose algorithm
    /// is not the one `asked` for (a configuration that may only choose it for a new log).
    static func checkHashAlgorithm(_ segments: [SegmentState], directory: String, asked: LogHashAlgorithm?) throws(LogError) {
        guard let first = segments.first?.header.hashAlgorithm else { return }
        if let other = segments.first(where: { $0.header.hashAlgorithm != first }) {
            throw .damaged(LogDamage(file: directory + "/" + LogFiles.segmentName(other.firstPosition), offset: 0, position: other.firstPosition,
                                     reason: "the segment header names hash algorithm \(other.header.hashAlgorithm), the log's first segment \(first)"))
        }
        if let asked, asked != first {
            throw .invalidConfiguration("the log in \(directory) hashes with \(first); hashAlgorithm \(asked) can only be chosen when a log is created")
        }
    }

    /// Creates the next segment file with its header, durably (file and directory synced).
    static func startSegment(in directory: String, fileSystem fs: any FileSystem, after head: LogHead,
                             algorithm: LogHashAlgorithm) throws(LogError) -> SegmentState {
        let header = SegmentHeader(
            firstPosition: head.nextPosition, previousChainHash: head.chainHash,
            previousRecordedTime: head.lastRecordedTime?.microsecondsSinceEpoch ?? Int64.min, hashAlgorithm: algorithm)
        let path = directory + "/" + LogFiles.segmentName(head.nextPosition)
        if fs.exists(path) {
            // Only a file whose creation was torn (no whole header) may be replaced.
            let existing = try fs.open(path, writable: false)
            guard try existing.length() <= Int64(SegmentHeader.size) else {
                throw .damaged(LogDamage(file: path, offset: 0, position: head.nextPosition,
                                         reason: "a segment file already exists where the next segment would start"))
            }
            try fs.remove(path)
        }
        let file = try fs.open(path, writable: true, create: true, exclusive: true)
        try file.write(header.encoded(), at: 0)
        try file.syncData()
        try fs.syncDirectory(directory)
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

    /// Releases the writer lock. Reads already running finish on the files they hold. A log
    /// whose durability is ``Durability/deferred`` is synced first (``sync()``); if that fails
    /// the log is closed all the same and the error thrown: the appends since the last sync may
    /// not be durable.
    public func close() throws(LogError) {
        var failure: LogError?
        if !isReadOnly && configuration.durability == .deferred {
            do { try sync() } catch .closed { return } catch { failure = error }
        }
        shared.withLock { $0.closed = true }
        lockFile?.unlock()
        if let failure { throw failure }
    }

}
