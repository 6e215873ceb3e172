import CreditLedger
import Foundation
import LedgerPostgres
import LedgerStorage
import Synchronization

/// The PostgreSQL log as the ledger engine uses it (``LedgerLog``): each call runs the log's async
/// work on the ``BlockingBridge`` and waits for it. Other processes append to the same log
/// (``isShared``); ``startListening(_:)`` wakes the ledger when they do.
package final class PostgresLedgerLog: LedgerLog {
    let log: PostgresLog
    let bridge: BlockingBridge
    /// The lock on the local state directory (snapshots): one writer process per directory (nil for a reader).
    private let stateLock: StateDirectoryLock?
    private let listener = Mutex<Task<Void, Never>?>(nil)
    /// What broke the last listening connection, until it listens again.
    let listenFailure = ListenFailure()
    /// The log's Merkle tree, built in memory from the records the first time a tree head or
    /// proof is asked for, and grown from where it stopped each time after (64 bytes a record).
    private let tree: Mutex<InMemoryMerkleTree>

    init(log: PostgresLog, bridge: BlockingBridge, stateLock: StateDirectoryLock?) {
        self.log = log
        self.bridge = bridge
        self.stateLock = stateLock
        tree = Mutex(InMemoryMerkleTree(algorithm: log.hashAlgorithm))
        checkpoints = PostgresCheckpoints(log: log, bridge: bridge)
    }

    package var head: LogHead { get throws(LogError) { try log.head } }
    package var isReadOnly: Bool { log.isReadOnly }
    package var isShared: Bool { true }
    package var hashAlgorithm: LogHashAlgorithm { log.hashAlgorithm }
    package var locationDescription: String { log.location.description }
    package var fileLog: FileLog? { nil }
    /// The signed checkpoints, in the table beside the log: every process sharing it finds them.
    package var sharedCheckpoints: (any CheckpointStore)? { checkpoints }
    private let checkpoints: PostgresCheckpoints

    /// Opens the log at `location` to read it (proofs, checkpoints), without a ledger over it: no
    /// state directory, no views. A missing log is an error; nothing of the log is written.
    package static func openForReading(_ location: PostgresLocation) throws(LogError) -> PostgresLedgerLog {
        let bridge = BlockingBridge()
        let log = try bridge.runLog { () async throws(LogError) -> PostgresLog in try await PostgresLog.open(location, readOnly: true) }
        return PostgresLedgerLog(log: log, bridge: bridge, stateLock: nil)
    }

    package func refresh() throws(LogError) -> LogHead {
        try bridge.runLog { [log] () async throws(LogError) -> LogHead in try await log.refresh() }
    }

    package func append(_ entries: [LogEntry], ifHeadIs expected: LogHead?) throws(LogError) -> AppendReceipt? {
        try bridge.runLog { [log] () async throws(LogError) -> AppendReceipt? in
            guard let expected else { return try await log.append(entries) }
            return try await log.append(entries, ifHeadIs: expected)
        }
    }

    package func forEach(from start: Position, to end: Position?, _ body: (LogRecordView) throws -> Void) throws {
        try withoutActuallyEscaping(body) { body in
            // The caller waits for the read to end before it touches anything `body` touches, and
            // takes `body` back before returning (the finished task may still hold the box).
            let lent = Lent(body)
            defer { lent.value = nil }
            try bridge.run { [log] in try await log.forEach(from: start, to: end) { try lent.value!($0) } }
        }
    }

    /// Reads each run of nearby positions with one scan, so a subject's records (often close
    /// together in the log) cost a few row reads, not one per record.
    package func records(at positions: [Position]) throws(LogError) -> [LogRecord] {
        var out: [LogRecord] = []
        out.reserveCapacity(positions.count)
        var index = 0
        while index < positions.count {
            var last = index
            while last + 1 < positions.count, positions[last + 1].rawValue - positions[last].rawValue <= Self.nearbyRecords { last += 1 }
            let wanted = Set(positions[index...last])
            let start = positions[index], end = positions[last].advanced(by: 1)
            var found: [LogRecord] = []
            do {
                try forEach(from: start, to: end) { view in if wanted.contains(view.position) { found.append(view.record) } }
            } catch let error as LogError {
                throw error
            } catch {
                preconditionFailure("collecting records throws nothing of its own: \(error)")
            }
            out += found
            index = last + 1
        }
        return out
    }

    /// Positions at most this far apart are read with one scan.
    static let nearbyRecords: UInt64 = 4_096

    package func record(at position: Position) throws(LogError) -> LogRecord {
        let head = try self.head
        guard position < head.nextPosition else { throw .positionOutOfRange(requested: position, end: head.nextPosition) }
        return try records(at: [position])[0]
    }

    package func endPosition(recordedThrough time: RecordedTime) throws(LogError) -> Position {
        try bridge.runLog { [log] () async throws(LogError) -> Position in try await log.endPosition(recordedThrough: time) }
    }

    package func verifyAll() throws(LogError) -> VerificationReport {
        try bridge.runLog { [log] () async throws(LogError) -> VerificationReport in try await log.verify(nil) }
    }

    package func chainHash(through end: Position) throws(LogError) -> ChainHash? {
        try bridge.runLog { [log] () async throws(LogError) -> ChainHash? in try await log.chainHash(through: end) }
    }

    package func treeHead(size: UInt64?) throws(LogError) -> TreeHead {
        let size = try checkedTreeSize(size)
        let root = try grownTree(to: size).root(size: size)
        let last = size == 0 ? nil : try record(at: Position(size - 1)).recordedTime
        return TreeHead(algorithm: hashAlgorithm, size: size, root: root, lastRecordedTime: last)
    }

    package func inclusionProof(position: Position, treeSize: UInt64?) throws(LogError) -> InclusionProof {
        let size = try checkedTreeSize(treeSize)
        guard position.rawValue < size else { throw .positionOutOfRange(requested: position, end: Position(size)) }
        let hashes = try grownTree(to: size).inclusionProof(index: position.rawValue, size: size)
        return InclusionProof(algorithm: hashAlgorithm, treeSize: size, record: try record(at: position), hashes: hashes)
    }

    package func consistencyProof(from old: UInt64, to new: UInt64?) throws(LogError) -> ConsistencyProof {
        let newSize = try checkedTreeSize(new)
        guard old <= newSize else { throw .treeSizeOutOfRange(requested: old, size: newSize) }
        // RFC 9162's SUBPROOF needs only complete subtrees of the first `newSize` leaves, which
        // the tree keeps for every size it has grown through.
        let hashes = try grownTree(to: newSize).consistencyProof(old: old, new: newSize)
        return ConsistencyProof(algorithm: hashAlgorithm, oldSize: old, newSize: newSize, hashes: hashes)
    }

    private func checkedTreeSize(_ size: UInt64?) throws(LogError) -> UInt64 {
        let records = try head.recordCount
        guard let size else { return records }
        guard size <= records else { throw .treeSizeOutOfRange(requested: size, size: records) }
        return size
    }

    /// The tree, holding at least `size` leaves: the records after its last leaf are read (every
    /// block checked, as all reads are) and hashed as the file log hashes its leaves.
    private func grownTree(to size: UInt64) throws(LogError) -> InMemoryMerkleTree {
        do {
            return try tree.withLock { (tree) throws -> InMemoryMerkleTree in
                if tree.size < size {
                    let hasher = TreeHasher(hashAlgorithm)
                    var grown = tree
                    try forEach(from: Position(tree.size), to: Position(size)) { view in
                        grown.append(leafHash: hasher.leaf(position: view.position, recordedTime: view.recordedTime, payload: view.payload))
                    }
                    tree = grown
                }
                return tree
            }
        } catch let error as LogError {
            throw error
        } catch {
            preconditionFailure("hashing leaves throws nothing of its own: \(error)")
        }
    }

    /// Stops listening, closes the log's connections and releases the state directory.
    package func close() throws(LogError) {
        if let task = listener.withLock({ task in defer { task = nil }; return task }) {
            task.cancel()
            _ = try? bridge.run { await task.value }
        }
        defer { stateLock?.release() }
        try bridge.runLog { [log] () async throws(LogError) in try await log.close() }
    }

    /// Listens for other processes' appends and calls `wake` (which must return at once) when
    /// listening starts and after each notification; after a broken or refused connection, wakes
    /// and listens again a second later (so nothing appended meanwhile is missed, and a reader on
    /// a streaming replica, which refuses LISTEN, catches up every second).
    func startListening(_ wake: @escaping @Sendable () -> Void) {
        let task = bridge.start { [log, listenFailure] in
            while !Task.isCancelled {
                do {
                    try await log.listen { () async -> Bool in
                        listenFailure.set(nil)
                        wake()
                        return !Task.isCancelled
                    }
                } catch {
                    if Task.isCancelled { return }
                    listenFailure.set("\(error)")
                    try? await Task.sleep(for: .seconds(1))
                    // Where LISTEN cannot work (a streaming replica refuses it), this is a poll
                    // every second; elsewhere, a catch-up of what came while the connection was down.
                    if !Task.isCancelled { wake() }
                }
            }
        }
        listener.withLock { $0 = task }
    }
}

/// The signed checkpoints of a PostgreSQL ledger: the `checkpoints` table beside its log
/// (``PostgresLog/storeCheckpoint(_:size:)``). Texts found are kept in memory: a stored
/// checkpoint is never replaced, so a report bound to a size asks the database once.
final class PostgresCheckpoints: CheckpointStore {
    let log: PostgresLog
    let bridge: BlockingBridge
    private let found = Mutex<[UInt64: String]>([:])

    init(log: PostgresLog, bridge: BlockingBridge) {
        self.log = log
        self.bridge = bridge
    }

    var location: String { "\(log.location) table \(log.location.schema).checkpoints" }

    func newestSize() throws -> UInt64? {
        try bridge.runLog { [log] () async throws(LogError) -> UInt64? in try await log.newestCheckpointSize() }
    }

    func text(size: UInt64) throws -> String? {
        if let known = found.withLock({ $0[size] }) { return known }
        let text = try bridge.runLog { [log] () async throws(LogError) -> String? in try await log.checkpoint(size: size) }
        if let text { found.withLock { $0[size] = text } }
        return text
    }

    func write(_ text: String, size: UInt64) throws {
        let kept = try bridge.runLog { [log] () async throws(LogError) -> String in try await log.storeCheckpoint(text, size: size) }
        found.withLock { $0[size] = kept }
    }
}

/// An exclusive `flock` on `DIR/state.lock`: two ledger processes must not share one local state
/// directory (their snapshots would overwrite each other's half-written files).
final class StateDirectoryLock: Sendable {
    private let fd: Mutex<Int32>

    init(directory: String) throws(LogError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "mkdir", path: directory, errno: EACCES)
        }
        let path = directory + "/state.lock"
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            _ = Glibc.close(descriptor)  // never locked: nothing to release or flush
            if code == EWOULDBLOCK { throw .locked(directory: directory, holder: "another ledger process uses this state directory") }
            throw .io(operation: "flock", path: path, errno: code)
        }
        fd = Mutex(descriptor)
    }

    /// Releases the lock (closing the descriptor releases the flock).
    func release() {
        fd.withLock { descriptor in
            if descriptor >= 0 { _ = Glibc.close(descriptor) }
            descriptor = -1
        }
    }

    deinit { release() }
}

/// What broke the last listening connection, until listening works again.
final class ListenFailure: Sendable {
    private let failure = Mutex<String?>(nil)
    func set(_ text: String?) { failure.withLock { $0 = text } }
    var text: String? { failure.withLock { $0 } }
}
