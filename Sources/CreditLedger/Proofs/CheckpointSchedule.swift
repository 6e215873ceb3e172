import Dispatch
import Foundation
import LedgerStorage
import Synchronization

/// When a writer signs checkpoints of its Merkle tree by itself (docs/proofs.md): after every
/// ``everyFacts`` facts, and every ``everySeconds`` seconds when facts came since the last one,
/// each one written to `DIR/checkpoints/` as ``CheckpointFiles`` names it. Closing the ledger
/// signs one more if facts came since the last.
public struct CheckpointSchedule: Sendable {
    /// The default count of facts between two checkpoints.
    public static let defaultEveryFacts = 10_000
    /// The default time between two checkpoints while facts come, in seconds (ten minutes).
    public static let defaultEverySeconds = 600.0

    /// The key that signs.
    public var key: CheckpointSigningKey
    /// The origin line naming the ledger (one stable name per ledger).
    public var origin: String
    /// Sign once this many facts came since the last checkpoint.
    public var everyFacts: Int
    /// Sign this many seconds after the last checkpoint when facts came since.
    public var everySeconds: Double

    /// A schedule signing with `key` for the ledger named `origin`.
    public init(key: CheckpointSigningKey, origin: String, everyFacts: Int = Self.defaultEveryFacts,
                everySeconds: Double = Self.defaultEverySeconds) {
        self.key = key
        self.origin = origin
        self.everyFacts = everyFacts
        self.everySeconds = everySeconds
    }
}

/// Where a ledger keeps its signed checkpoints, one per tree size: files in `DIR/checkpoints/` for
/// a ledger directory (``CheckpointFiles``), a table beside the log for a PostgreSQL ledger, so
/// that every process sharing that log finds the same ones (docs/proofs.md).
public protocol CheckpointStore: Sendable {
    /// Where they are, for messages.
    var location: String { get }
    /// The largest tree size with a checkpoint, nil when there is none.
    func newestSize() throws -> UInt64?
    /// The text of the checkpoint of exactly `size` facts, if one was kept.
    func text(size: UInt64) throws -> String?
    /// Keeps `text` as the checkpoint of `size` facts. A store shared by several processes keeps
    /// the first text written for a size (``text(size:)`` then gives that one).
    func write(_ text: String, size: UInt64) throws
}

/// The signed checkpoints a ledger keeps in `DIR/checkpoints/`: one file per tree size, named by
/// the size in twenty zero-padded digits (`00000000000000010000.txt`, as snapshots are named), so
/// that names sort as sizes do.
public struct CheckpointFiles: CheckpointStore {
    /// The directory holding them.
    public let directory: String

    /// The checkpoints of the ledger in `ledgerDirectory`.
    public init(ledgerDirectory: String) {
        directory = ledgerDirectory + "/checkpoints"
    }

    /// The file of the checkpoint of `size` facts.
    public func path(size: UInt64) -> String {
        let digits = String(size)
        return directory + "/" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".txt"
    }

    public var location: String { directory }

    public func newestSize() -> UInt64? { sizes().last }

    /// The sizes that have a checkpoint file, ascending.
    public func sizes() -> [UInt64] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { $0.hasSuffix(".txt") ? UInt64($0.dropLast(4)) : nil }.sorted()
    }

    /// The text of the checkpoint of exactly `size` facts, if one was written.
    public func text(size: UInt64) -> String? {
        try? String(contentsOfFile: path(size: size), encoding: .utf8)
    }

    /// Writes `text` as the checkpoint of `size` facts: synced, renamed into place, the directory synced.
    public func write(_ text: String, size: UInt64) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try SnapshotStore.writeAtomically(Array(text.utf8), to: path(size: size))
    }
}

/// Signs checkpoints on a ``CheckpointSchedule`` for a writer's log, on a queue of its own: an
/// append only compares two numbers and never waits for a signature.
final class Checkpointer: Sendable {
    let schedule: CheckpointSchedule
    let files: any CheckpointStore
    private let log: any LedgerLog
    private let queue = DispatchQueue(label: "credit-ledger.checkpoints")
    private struct State {
        /// The size of the last checkpoint written, or found on disk.
        var writtenSize: UInt64
        /// The size of the last checkpoint asked for (written or being written).
        var askedSize: UInt64
        var closed = false
        var failure: LedgerError?
    }
    private let state: Mutex<State>

    init(schedule: CheckpointSchedule, store: any CheckpointStore, log: any LedgerLog) {
        self.schedule = schedule
        files = store
        self.log = log
        // Counting starts from the newest checkpoint kept (by any process, on a shared log). When
        // the store cannot be read now, from nothing: the first checkpoint then comes early.
        let found = (try? store.newestSize()) ?? 0
        state = Mutex(State(writtenSize: found, askedSize: found))
        scheduleTick()
    }

    /// Called after facts were appended (with the append lock held): signs in the background
    /// once ``CheckpointSchedule/everyFacts`` facts came since the last checkpoint.
    func appended(recordCount: UInt64) {
        let due = state.withLock { state -> Bool in
            guard !state.closed, recordCount >= state.askedSize + UInt64(max(1, schedule.everyFacts)) else { return false }
            state.askedSize = recordCount
            return true
        }
        if due { queue.async { self.record(self.sign(size: recordCount), size: recordCount) } }
    }

    /// The failure of the last checkpoint that could not be written, if any.
    var lastError: LedgerError? { state.withLock { $0.failure } }

    /// Stops the timer and signs the head if facts came since the last checkpoint; waits for a
    /// checkpoint being written. Throws why the last one failed.
    func close() throws(LedgerError) {
        state.withLock { $0.closed = true }
        queue.sync {}
        let size: UInt64
        do { size = try log.head.recordCount } catch { throw .log(error) }
        if state.withLock({ size > $0.writtenSize }) {
            let result = sign(size: size)
            record(result, size: size)
            try result.get()
        }
    }

    private func scheduleTick() {
        queue.asyncAfter(deadline: .now() + max(0.01, schedule.everySeconds)) { [weak self] in self?.tick() }
    }

    /// The timer: signs the head if facts came since the last checkpoint, then waits again.
    private func tick() {
        guard let size = try? log.head.recordCount else { return scheduleTick() }
        let due = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            guard size > state.writtenSize, size > state.askedSize else { return false }
            state.askedSize = size
            return true
        }
        if due { record(sign(size: size), size: size) }
        if !state.withLock({ $0.closed }) { scheduleTick() }
    }

    /// Keeps what signing `size` came to: on success the size signed; on failure the error, and
    /// the schedule falls back to the last size written, so the next append or tick tries again.
    private func record(_ result: Result<Void, LedgerError>, size: UInt64) {
        state.withLock { state in
            switch result {
            case .success: state.writtenSize = max(state.writtenSize, size)
            case .failure(let error):
                state.failure = error
                state.askedSize = state.writtenSize
            }
        }
    }

    /// Signs and writes the checkpoint of the first `size` facts.
    private func sign(size: UInt64) -> Result<Void, LedgerError> {
        do {
            let head = try log.treeHead(size: size)
            let text = try TreeCheckpoint(origin: schedule.origin, head: head).signed(by: schedule.key)
            try files.write(text, size: size)
            return .success(())
        } catch let error as LogError {
            return .failure(.log(error))
        } catch {
            return .failure(.checkpoint("cannot write the checkpoint of \(size) facts in \(files.location): \(error)"))
        }
    }
}

extension Ledger {
    /// The head of the log's Merkle tree at `size` facts (the whole ledger when nil): what a
    /// checkpoint signs and what a report is bound to.
    public func treeHead(size: UInt64? = nil) throws(LedgerError) -> TreeHead {
        do { return try log.treeHead(size: size) } catch { throw .log(error) }
    }

    /// The proof that the fact at `position` is in the tree of `treeSize` facts (the whole
    /// ledger when nil).
    public func inclusionProof(position: Position, treeSize: UInt64? = nil) throws(LedgerError) -> InclusionProof {
        do { return try log.inclusionProof(position: position, treeSize: treeSize) } catch { throw .log(error) }
    }

    /// The signed checkpoints kept in `DIR/checkpoints/` (a ledger directory's).
    public var checkpointFiles: CheckpointFiles { CheckpointFiles(ledgerDirectory: directory) }

    /// Where this ledger keeps its signed checkpoints: `DIR/checkpoints/`, or on a PostgreSQL
    /// ledger the table beside its log, shared by every process.
    public var checkpoints: any CheckpointStore { log.sharedCheckpoints ?? checkpointFiles }

    /// The proof that the tree of `old` facts is a prefix of the tree of `new` (the whole ledger
    /// when nil).
    public func consistencyProof(from old: UInt64, to new: UInt64? = nil) throws(LedgerError) -> ConsistencyProof {
        do { return try log.consistencyProof(from: old, to: new) } catch { throw .log(error) }
    }

    /// Keeps a signed checkpoint of this ledger in ``checkpoints`` after checking it is one: it
    /// parses, its size is within the ledger, and its root and hash are the ledger's tree at that
    /// size (its signature is the auditor's to check). Returns the text kept for its size — on a
    /// shared log, the one another process kept first, if one did.
    @discardableResult
    public func keepCheckpoint(_ text: String) throws(LedgerError) -> String {
        let checkpoint = try CheckpointMatch.require(text, log: log)
        do {
            try checkpoints.write(text, size: checkpoint.head.size)
            let kept = try checkpoints.text(size: checkpoint.head.size) ?? text
            // A shared store keeps the first text of a size: another process's signature of the
            // same head is as good, but one that does not sign this ledger's head must go.
            if kept != text, case .failure(let mismatch) = try CheckpointMatch.check(kept, log: log) {
                throw LedgerError.checkpoint("\(checkpoints.location) already holds a checkpoint of \(checkpoint.head.size) facts that is not this ledger's (\(mismatch)); it was not written by this ledger: remove it, then keep this one")
            }
            return kept
        } catch let error as LedgerError {
            throw error
        } catch let error as LogError {
            throw .log(error)
        } catch {
            throw .checkpoint("cannot keep the checkpoint of \(checkpoint.head.size) facts in \(checkpoints.location): \(error)")
        }
    }

    /// Why the last scheduled checkpoint could not be written, if one could not (the facts are
    /// safe; the next one is tried on schedule).
    public var lastCheckpointError: LedgerError? { checkpointer?.lastError }
}

/// Checks that a checkpoint's text is of a log: parsed, its size within the log, its root and
/// hash the log's tree at that size.
package enum CheckpointMatch {
    /// What is wrong with a checkpoint for this log.
    package enum Mismatch: Error, CustomStringConvertible {
        case malformed(String)
        case beyondLog(size: UInt64, records: UInt64)
        case otherRoot(size: UInt64, checkpoint: TreeHead, log: TreeHead)

        package var description: String {
            switch self {
            case .malformed(let reason): return "the checkpoint is malformed: \(reason)"
            case .beyondLog(let size, let records): return "the checkpoint covers \(size) facts, more than the ledger holds (\(records))"
            case .otherRoot(let size, let checkpoint, let log):
                return "the checkpoint does not match this ledger: its root at tree size \(size) is \(checkpoint.algorithm) \(checkpoint.root), the ledger's is \(log.algorithm) \(log.root) (the history was rewritten, or the checkpoint is of another ledger)"
            }
        }
    }

    /// The checkpoint `text` if it is of `log`, else the mismatch.
    package static func check(_ text: String, log: any LedgerLog) throws(LogError) -> Result<TreeCheckpoint, Mismatch> {
        let checkpoint: TreeCheckpoint
        do { checkpoint = try TreeCheckpoint.parseUnverified(text) } catch { return .failure(.malformed("\(error)")) }
        let records = try log.head.recordCount
        guard checkpoint.head.size <= records else { return .failure(.beyondLog(size: checkpoint.head.size, records: records)) }
        let head = try log.treeHead(size: checkpoint.head.size)
        guard head.root == checkpoint.head.root, head.algorithm == checkpoint.head.algorithm else {
            return .failure(.otherRoot(size: checkpoint.head.size, checkpoint: checkpoint.head, log: head))
        }
        return .success(checkpoint)
    }

    /// The checkpoint `text` if it is of `log`, else ``LedgerError/checkpoint(_:)`` saying why.
    static func require(_ text: String, log: any LedgerLog) throws(LedgerError) -> TreeCheckpoint {
        let result: Result<TreeCheckpoint, Mismatch>
        do { result = try check(text, log: log) } catch { throw .log(error) }
        switch result {
        case .success(let checkpoint): return checkpoint
        case .failure(let mismatch): throw .checkpoint("refused: \(mismatch)")
        }
    }
}
