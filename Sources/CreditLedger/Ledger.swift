import CreditFacts
import Foundation
import LedgerStorage
import Synchronization

/// How a ledger runs: the log's limits, the views it keeps, and when it writes snapshots.
public struct LedgerConfiguration: Sendable {
    /// The log's limits. Blocks are smaller than the log's default (256 KiB) so that reading one
    /// subject's facts at a past instant decodes little.
    public var log: LogConfiguration
    /// The views the ledger keeps live and replays (the ledger's own index comes first, always).
    public var views: [any Projector.Type] = [SubjectRegistry.self, PenaltyPublicity.self, ListRegister.self, CommitmentRegister.self, ConductRecords.self, DataQuality.self, MeasureFeedback.self]
    /// Write a snapshot after this many facts since the last one (and on close).
    public var snapshotEveryFacts: Int = 1_000_000
    /// How many snapshots to keep.
    public var snapshotsKept: Int = 2
    /// The rules and calendar views judge by; nil takes the national ones bundled with CreditFacts.
    public var context: ViewContext?

    /// The defaults.
    public init() {
        log = LogConfiguration()
        log.blockRawBytesMax = 256 << 10
        log.recordBytesMax = 200_000
        log.appendBytesMax = 32 << 20
    }
}

/// A district's public credit ledger: records credit facts in a durable, hash-chained log and
/// answers questions about any valid-time date (`asOf`) as known at any instant (`knownAt`).
///
/// ```swift
/// let ledger = try Ledger.open(directory: "/var/lib/credit")
/// let receipts = try ledger.append(facts)                       // validated, durable, idempotent
/// let profile = try ledger.withView(SubjectRegistry.self) { $0.profile(code, asOf: date) }
/// let then = try ledger.subjectView(SubjectRegistry.self, subject: code, knownAt: instant)
/// for try await fact in ledger.facts(from: .zero) { push(fact) }  // catch up, then live
/// ```
public final class Ledger: Sendable {
    /// The ledger's directory (the log is in `log/`, snapshots in `snapshots/`).
    public let directory: String
    /// How it runs.
    public let configuration: LedgerConfiguration
    /// The rules and calendar the views judge by.
    public let context: ViewContext
    let log: FileLog
    let snapshots: SnapshotStore
    /// Serialises appends: validation, the durable write and the view update happen as one step.
    let appendLock = Mutex(())
    /// The live views and what they have seen. Queries read them under this lock.
    let state: Mutex<LiveState>
    /// Subscribers waiting for new facts.
    let waiters = Mutex(Waiters())
    /// Duplicates received and refusals, by source, since the ledger opened (they are not facts,
    /// so the log does not hold them): fed by every append and import, read by the data-quality
    /// report.
    public let intake = IntakeCounters()
    /// Periodic snapshots are written here, one at a time, off the append path.
    let snapshotQueue = DispatchQueue(label: "credit-ledger.snapshots")
    let snapshotBusy = Mutex(false)
    let snapshotFailure = Mutex<LedgerError?>(nil)

    /// What queries and appends share, touched only under ``state``'s lock.
    struct LiveState: Sendable {
        var views: ViewSet
        var lastRecorded: RecordedTime?
        var factsSinceSnapshot = 0
    }

    init(directory: String, configuration: LedgerConfiguration, context: ViewContext, log: FileLog, views: ViewSet,
         factsSinceSnapshot: Int) throws {
        self.directory = directory
        self.context = context
        self.configuration = configuration
        self.log = log
        self.snapshots = SnapshotStore(directory: directory + "/snapshots", kept: configuration.snapshotsKept)
        let head = try log.head
        self.state = Mutex(LiveState(views: views, lastRecorded: head.lastRecordedTime, factsSinceSnapshot: factsSinceSnapshot))
        if let bytes = try? SnapshotStore.readWhole(directory + "/" + Self.intakeFile),
           let counts = try? IntakeCounters.Counts(decoding: bytes) {
            intake.restore(counts)
        }
        self.waiters.withLock { $0.head = head.nextPosition }
    }

    /// Opens the ledger in `directory`, creating it when missing: opens the log (recovering a torn
    /// tail), loads the newest snapshot that matches the log and the views' code versions, and
    /// replays the facts after it.
    public static func open(directory: String, configuration: LedgerConfiguration = LedgerConfiguration()) throws(LedgerError)
        -> Ledger
    {
        let context: ViewContext
        do { context = try configuration.context ?? ViewContext.national() } catch { throw .rules("\(error)") }
        do {
            let log = try FileLog.open(directory: directory + "/log", configuration: configuration.log)
            let types: [any Projector.Type] = [LedgerIndex.self] + configuration.views
            let store = SnapshotStore(directory: directory + "/snapshots", kept: configuration.snapshotsKept)
            var views = ViewSet(types)
            var start = Position.zero
            if let loaded = store.loadNewest(matching: types, log: log) {
                views = loaded.views
                start = loaded.position
            }
            let head = try log.head
            if start == .zero {
                views = try Replay.rebuild(types, log: log, to: head.nextPosition, cores: ProcessInfo.processInfo.activeProcessorCount)
            } else {
                try Replay.apply(log: log, from: start, to: head.nextPosition, into: &views)
            }
            return try Ledger(directory: directory, configuration: configuration, context: context, log: log, views: views,
                              factsSinceSnapshot: Int(head.nextPosition.rawValue - start.rawValue))
        } catch let error as LedgerError {
            throw error
        } catch let error as LogError {
            throw .log(error)
        } catch {
            throw .log(.invalidConfiguration("\(error)"))
        }
    }

    /// The log's head: how many facts the ledger holds and the hash that identifies its history.
    public var head: LogHead {
        get throws(LedgerError) {
            do { return try log.head } catch { throw .log(error) }
        }
    }

    /// Writes a snapshot of every view at the current head, if any fact came since the last one,
    /// after any snapshot already being written in the background.
    public func snapshot() throws(LedgerError) {
        snapshotQueue.sync {}
        try appendLock.withLock { _ throws(LedgerError) in
            guard let (views, head) = takeSnapshotState(force: true) else { return }
            try writeSnapshot(views, head: head)
        }
    }

    /// Starts a periodic snapshot on the background queue when enough facts came since the last
    /// one. Called with the append lock held, so the views and head taken belong together. The
    /// append that triggers it returns at once; a failure is kept in ``lastSnapshotError``.
    func snapshotInBackgroundIfDue() {
        guard snapshotBusy.withLock({ !$0 }), let (views, head) = takeSnapshotState(force: false) else { return }
        snapshotBusy.withLock { $0 = true }
        snapshotQueue.async { [self] in
            var failure: LedgerError?
            do throws(LedgerError) { try writeSnapshot(views, head: head) } catch let thrown { failure = thrown }
            snapshotBusy.withLock { $0 = false }
            if let failure { snapshotFailure.withLock { $0 = failure } }
        }
    }

    /// The error of the last background snapshot that failed, if any (the facts are safe; the
    /// next open replays more).
    public var lastSnapshotError: LedgerError? { snapshotFailure.withLock { $0 } }

    private func takeSnapshotState(force: Bool) -> (ViewSet, LogHead)? {
        state.withLock { state -> (ViewSet, LogHead)? in
            let due = force ? state.factsSinceSnapshot > 0 : state.factsSinceSnapshot >= configuration.snapshotEveryFacts
            guard due, let head = try? log.head else { return nil }
            state.factsSinceSnapshot = 0
            return (state.views, head)
        }
    }

    private func writeSnapshot(_ views: ViewSet, head: LogHead) throws(LedgerError) {
        do {
            try snapshots.write(views, position: head.nextPosition, chainHash: head.chainHash)
        } catch {
            throw .snapshot("cannot write a snapshot in \(snapshots.directory): \(error)")
        }
    }

    /// Where the intake counters (duplicates and refusals, which are not facts) are kept.
    static let intakeFile = "intake.counts"

    /// Saves the intake counters atomically next to the log.
    func saveIntake() throws(LedgerError) {
        do {
            try SnapshotStore.writeAtomically(intake.counts.encoded(), to: directory + "/" + Self.intakeFile)
        } catch {
            throw .snapshot("cannot save the intake counters in \(directory): \(error)")
        }
    }

    /// Writes a snapshot if facts came since the last one, saves the intake counters, and
    /// releases the log.
    public func close() throws(LedgerError) {
        try snapshot()
        try saveIntake()
        waiters.withLock { $0.closed = true }
        resumeWaiters()
        do { try log.close() } catch { throw .log(error) }
    }
}
