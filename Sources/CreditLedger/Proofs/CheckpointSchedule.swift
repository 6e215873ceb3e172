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

/// The signed checkpoints a ledger keeps in `DIR/checkpoints/`: one file per tree size, named by
/// the size in twenty zero-padded digits (`00000000000000010000.txt`, as snapshots are named), so
/// that names sort as sizes do.
public struct CheckpointFiles: Sendable {
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
    let files: CheckpointFiles
    private let log: FileLog
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

    init(schedule: CheckpointSchedule, ledgerDirectory: String, log: FileLog) {
        self.schedule = schedule
        files = CheckpointFiles(ledgerDirectory: ledgerDirectory)
        self.log = log
        let found = files.sizes().last ?? 0
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
            return .failure(.checkpoint("cannot write the checkpoint of \(size) facts in \(files.directory): \(error)"))
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

    /// The signed checkpoints kept in `DIR/checkpoints/`.
    public var checkpointFiles: CheckpointFiles { CheckpointFiles(ledgerDirectory: directory) }

    /// Why the last scheduled checkpoint could not be written, if one could not (the facts are
    /// safe; the next one is tried on schedule).
    public var lastCheckpointError: LedgerError? { checkpointer?.lastError }
}
