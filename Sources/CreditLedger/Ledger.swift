import CreditFacts
import Foundation
import LedgerStorage
import Synchronization

/// Whether a process writes the ledger or only reads it.
public enum LedgerAccess: Sendable, Equatable {
    /// The one writer: takes the log's lock, appends, recovers a torn tail, writes snapshots.
    case writer
    /// A reader beside the writer: no lock, never writes a byte.
    case readOnly
}

/// How a ledger runs: the log's limits, the views it keeps, and when it writes snapshots.
public struct LedgerConfiguration: Sendable {
    /// The log's limits. Blocks are smaller than the log's default (256 KiB) so that reading one
    /// subject's facts at a past instant decodes little.
    public var log: LogConfiguration
    /// The views the ledger keeps live and replays (the ledger's own index comes first, always).
    public var views: [any Projector.Type] = [SubjectRegistry.self, PenaltyPublicity.self, ListRegister.self, CommitmentRegister.self, ConductRecords.self, DataQuality.self, MeasureFeedback.self, CaseRegister.self]
    /// Write a snapshot after this many facts since the last one (and on close).
    public var snapshotEveryFacts: Int = 1_000_000
    /// How many snapshots to keep. One: a damaged newest snapshot is moved aside and the views are
    /// rebuilt from the log, which is always safe, so an older snapshot would only save time in that
    /// rare case while doubling the disk the snapshots take.
    public var snapshotsKept: Int = 1
    /// How much lower than the process's the priority of the thread writing a periodic snapshot in
    /// the background is, as `nice` counts (0…19, more acts as 19; default 0). A server that puts its queries first
    /// (`appends.niceness`) sets it too, so that seconds of encoding and compressing at every
    /// snapshot do not take a core from the queries.
    public var snapshotNiceness: Int = 0
    /// The rules and calendar views judge by; nil takes the national ones bundled with CreditFacts.
    public var context: ViewContext?
    /// Signed checkpoints of the log's Merkle tree written by the writer on its own, every so many
    /// facts and seconds (docs/proofs.md); nil (the default) writes none.
    public var checkpoints: CheckpointSchedule?

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
    let log: any LedgerLog
    let snapshots: SnapshotStore
    /// Serialises appends: validation, the durable write and the view update happen as one step.
    let appendLock = Mutex(())
    /// The live views and what they have seen. Queries read them under this lock.
    let state: Mutex<LiveState>
    /// Subscribers waiting for new facts.
    let waiters = Mutex(Waiters())
    /// Appends on a shared log that found another process's append in their place and were
    /// judged again (a count since open).
    let racesLost = Mutex(0)
    /// Duplicates received and refusals, by source and by the day received on the ledger's clock
    /// (they are not facts, so the log does not hold them): fed by every append and import, read by
    /// the data-quality report and the indicators.
    public let intake: IntakeCounters
    /// Periodic snapshots are written here, one at a time, off the append path.
    let snapshotQueue = DispatchQueue(label: "credit-ledger.snapshots")
    let snapshotBusy = Mutex(false)
    /// Whether a background snapshot holds the views it was given and the live views still share
    /// their tables with it: the next append gives them tables of their own first, off the views'
    /// lock (``prepareForAppend(facts:)``).
    let tablesSharedWithSnapshot = Mutex(false)
    let snapshotFailure = Mutex<LedgerError?>(nil)
    /// Signs checkpoints on ``LedgerConfiguration/checkpoints``'s schedule (a writer with one only).
    let checkpointer: Checkpointer?

    /// What queries and appends share, touched only under ``state``'s lock.
    struct LiveState: Sendable {
        var views: ViewSet
        var lastRecorded: RecordedTime?
        var factsSinceSnapshot = 0
        /// Where a read-only ledger's views stand in the log (moved on by ``Ledger/catchUp()``).
        var applied = Position.zero
        /// The head the views stand at when they stand at a whole append of a shared log (after
        /// an append or a finished catch-up); nil while a catch-up stopped part-way. Snapshots of
        /// a shared log are taken here, since its head can move on before the views do.
        var viewsHead: LogHead?
        /// Exactly what the live views hold — the log's facts before ``ViewsPoint/next``, the last
        /// of them recorded at ``ViewsPoint/lastRecorded`` — whenever the lock is free; nil while
        /// a catch-up or an import's catch-up is part-way (the views are then answered from only
        /// for questions about now). A group commit moves it on with each run of facts applied.
        var viewsPoint: ViewsPoint?
    }

    /// A prefix of the log the live views hold exactly.
    struct ViewsPoint: Sendable, Hashable {
        /// The position after the last fact applied (the number of facts held).
        var next: Position
        /// The recorded time of that fact; nil for none.
        var lastRecorded: RecordedTime?
    }

    /// What opening found wrong with the ledger's derived files (a damaged or unusable snapshot,
    /// missing or damaged intake counters), each naming the file and what was done about it. The
    /// facts are not affected; a command line prints these.
    public let warnings: [String]

    init(directory: String, configuration: LedgerConfiguration, context: ViewContext, log: any LedgerLog, views: ViewSet,
         factsSinceSnapshot: Int, warnings: [String]) throws {
        self.directory = directory
        self.context = context
        self.configuration = configuration
        self.log = log
        intake = IntakeCounters(today: { [clock = configuration.log.clock] in Timestamp(clock()).chinaStandardDate })
        checkpointer = configuration.checkpoints.flatMap { schedule in
            log.isReadOnly ? nil : Checkpointer(schedule: schedule, store: log.sharedCheckpoints ?? CheckpointFiles(ledgerDirectory: directory), log: log)
        }
        self.snapshots = SnapshotStore(directory: directory + "/snapshots", kept: configuration.snapshotsKept)
        let head = try log.head
        self.state = Mutex(LiveState(views: views, lastRecorded: head.lastRecordedTime, factsSinceSnapshot: factsSinceSnapshot,
                                     applied: head.nextPosition, viewsHead: head,
                                     viewsPoint: ViewsPoint(next: head.nextPosition, lastRecorded: head.lastRecordedTime)))
        let intakeWarning: String?
        if log.isShared {
            // The counters file is one process's; several processes share a PostgreSQL log.
            intakeWarning = "intake counters (duplicates and refusals received) are not kept on a PostgreSQL ledger yet: "
                + "the data-quality figures count only what this process received since it opened"
        } else {
            let (counts, warning) = IntakeFile(directory: directory).load(writable: !log.isReadOnly)
            intake.restore(counts)
            intakeWarning = warning
        }
        let today = Timestamp(configuration.log.clock()).chinaStandardDate
        self.warnings = warnings + (intakeWarning.map { [$0] } ?? []) + (context.calendarWarning(today: today).map { [$0] } ?? [])
        self.waiters.withLock { $0.head = head.nextPosition }
    }

    /// Opens the ledger in `directory`: opens the log, loads the newest snapshot that matches the
    /// log and the views' code versions, and replays the facts after it.
    ///
    /// With `.writer` (the default) the ledger is created when missing, takes the log's writer
    /// lock (one writer per ledger), recovers a torn tail and writes snapshots and intake counters.
    /// With `.readOnly` it takes no lock and writes nothing at all — not a snapshot, not the intake
    /// counters, not a repair — so queries run beside a writer in another process; appends are
    /// refused with ``LedgerError/log(_:)`` `.readOnly`, and a missing ledger is an error.
    ///
    /// `progress`, when given, is told how far the replay has come — facts replayed (a snapshot's
    /// count at once) of the log's facts — as it goes, for a server's readiness and metrics.
    public static func open(directory: String, configuration: LedgerConfiguration = LedgerConfiguration(),
                            access: LedgerAccess = .writer,
                            progress: ((_ replayed: UInt64, _ total: UInt64) -> Void)? = nil) throws(LedgerError) -> Ledger
    {
        let log: FileLog
        let isNew = !FileManager.default.fileExists(atPath: directory + "/log")
        do {
            log = try FileLog.open(directory: directory + "/log", configuration: configuration.log, readOnly: access == .readOnly)
        } catch {
            throw .log(error)
        }
        // A new ledger starts with its (empty) intake counters, so that a missing file is
        // always a loss to report.
        if isNew && !log.isReadOnly {
            do { try IntakeFile(directory: directory).save(IntakeCounters.Counts()) } catch {
                throw .log(.invalidConfiguration("\(error)"))
            }
        }
        return try open(log: log, directory: directory, configuration: configuration, progress: progress)
    }

    /// Opens a ledger over an open `log`, keeping its snapshots (and, on a file log, its intake
    /// counters and checkpoints) in `directory`: loads the newest snapshot that lies on the log's
    /// history and replays the facts after it. The ledger owns the log from here on (its
    /// ``close()`` closes it); a failure closes a PostgreSQL log's connections (a file log is
    /// released as before, when it is dropped).
    package static func open(log: any LedgerLog, directory: String, configuration: LedgerConfiguration,
                             progress: ((_ replayed: UInt64, _ total: UInt64) -> Void)?) throws(LedgerError) -> Ledger
    {
        do {
            return try replayed(log: log, directory: directory, configuration: configuration, progress: progress)
        } catch {
            // The open's own failure is the one reported.
            if log.fileLog == nil { do { try log.close() } catch {} }
            throw error
        }
    }

    private static func replayed(log: any LedgerLog, directory: String, configuration: LedgerConfiguration,
                                 progress: ((_ replayed: UInt64, _ total: UInt64) -> Void)?) throws(LedgerError) -> Ledger
    {
        let context: ViewContext
        do { context = try configuration.context ?? ViewContext.national() } catch { throw .rules("\(error)") }
        do {
            let types: [any Projector.Type] = [LedgerIndex.self] + configuration.views
            let store = SnapshotStore(directory: directory + "/snapshots", kept: configuration.snapshotsKept)
            if !log.isReadOnly { removeOrphans(directory, store) }
            var views = ViewSet(types)
            var start = Position.zero
            let (loaded, warnings) = store.loadNewest(matching: types, log: log, writable: !log.isReadOnly)
            if let loaded {
                views = loaded.views
                start = loaded.position
            }
            let head = try log.head
            let total = head.nextPosition.rawValue
            progress?(start.rawValue, total)
            if start == .zero {
                views = try Replay.rebuild(types, log: log, to: head.nextPosition, cores: ProcessInfo.processInfo.activeProcessorCount,
                                           progress: progress.map { report in { report($0, total) } })
            } else {
                try Replay.applyOnTwoThreads(log: log, from: start, to: head.nextPosition, into: &views)
                progress?(total, total)
            }
            return try Ledger(directory: directory, configuration: configuration, context: context, log: log, views: views,
                              factsSinceSnapshot: Int(head.nextPosition.rawValue - start.rawValue), warnings: warnings)
        } catch let error as LedgerError {
            throw error
        } catch let error as LogError {
            throw .log(error)
        } catch {
            throw .log(.invalidConfiguration("\(error)"))
        }
    }

    /// Removes what a writer that died left half-written: temporary snapshot, intake and checkpoint
    /// files and pending imports. Only a writer does this (it holds the log's lock, so no one else is writing).
    private static func removeOrphans(_ directory: String, _ store: SnapshotStore) {
        store.removeOrphans()
        for folder in [directory, CheckpointFiles(ledgerDirectory: directory).directory] {
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".tmp") {
                try? FileManager.default.removeItem(atPath: folder + "/" + name)
            }
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
        if log.isReadOnly { throw .log(.readOnly) }
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
        // The snapshot keeps `views` while it writes them: the next append gives the live views
        // tables of their own first, off the views' lock, rather than copy each on its next fact
        // under it (GrowsAhead). Not here: after an import nothing may come before the snapshot
        // ends, and copying every table would only raise the import's peak memory.
        tablesSharedWithSnapshot.withLock { $0 = true }
        snapshotQueue.async { [self] in
            let failure = ThreadPriority.run(lowered: configuration.snapshotNiceness, name: "snapshot") { [self] () -> LedgerError? in
                do throws(LedgerError) { try writeSnapshot(views, head: head, onEveryCore: false) } catch { return error }
                return nil
            }
            tablesSharedWithSnapshot.withLock { $0 = false }
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
            guard due, let head = log.isShared ? state.viewsHead : try? log.head else { return nil }
            state.factsSinceSnapshot = 0
            return (state.views, head)
        }
    }

    private func writeSnapshot(_ views: ViewSet, head: LogHead, onEveryCore: Bool = true) throws(LedgerError) {
        do {
            try snapshots.write(views, position: head.nextPosition, chainHash: head.chainHash, onEveryCore: onEveryCore)
        } catch {
            throw .snapshot("cannot write a snapshot in \(snapshots.directory): \(error)")
        }
    }

    /// Saves the intake counters atomically next to the log, with their checksum.
    func saveIntake() throws(LedgerError) {
        do {
            try IntakeFile(directory: directory).save(intake.counts)
        } catch {
            throw .snapshot("cannot save the intake counters in \(directory): \(error)")
        }
    }

    /// Writes a snapshot if facts came since the last one, saves the intake counters, signs a
    /// checkpoint when a schedule is set and facts came since the last, and releases the log.
    public func close() throws(LedgerError) {
        var checkpointFailure: LedgerError?
        if !log.isReadOnly {
            try snapshot()
            if !log.isShared { try saveIntake() }
            // The log is released even when the last checkpoint cannot be written; the failure follows.
            do throws(LedgerError) { try checkpointer?.close() } catch { checkpointFailure = error }
        }
        waiters.withLock { $0.closed = true }
        resumeWaiters()
        do { try log.close() } catch { throw .log(error) }
        if let checkpointFailure { throw checkpointFailure }
    }
}
