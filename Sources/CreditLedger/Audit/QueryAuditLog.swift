import CreditFacts
import Dispatch
import Foundation
import LedgerStorage
import Synchronization

/// The query audit log of a ledger (`LEDGER/audit/`): every query answered, as an ``AuditEntry``,
/// in an append-only, hash-chained `FileLog` of its own — the same storage engine as the facts,
/// with its own writer lock, checkpoint and `verify`.
///
/// Recording is part of answering: a caller records the entry and releases the answer only once
/// ``record(_:)->AuditRecord`` returned (the entry is durable). Concurrent callers share group commits: while
/// one append is being written, the entries that arrive wait and the next append takes them all
/// (one `fdatasync` for many queries).
///
/// ```swift
/// let audit = try QueryAuditLog.open(ledgerDirectory: "/var/lib/credit")
/// try await audit.record(AuditEntry(principal: "ndrc", role: "query", purpose: "bid check", channel: "http", command: "GET /v1/subjects/{code}"))
/// let seen = try audit.records(AuditFilter(subject: "91350100M000100Y43"))
/// ```
public final class QueryAuditLog: Sendable {
    /// The audit log's directory.
    public let directory: String
    /// When an entry counts as recorded (``AuditCommit``).
    public let commit: AuditCommit
    let log: FileLog
    private let queue = Mutex(GroupCommits())
    /// Where the syncs of the `written` mode run: a serial queue apart from the writes', so that
    /// entries are written while a sync waits for the disk.
    private let syncer = DispatchQueue(label: "credit-ledger.audit-sync")
    /// Where the group commits run: a serial queue of its own, which libdispatch gives a thread
    /// beyond the global pool's width (one per core), so that a drain waiting in `fdatasync`
    /// never holds a thread the queries' own work needs (on Linux the pool grows past a blocked
    /// thread only once a second).
    private let writer = DispatchQueue(label: "credit-ledger.audit")

    /// Entries waiting for the next group commit, and the counts of what was written.
    private struct GroupCommits {
        var waiting: [(entry: AuditEntry, continuation: CheckedContinuation<Result<AuditRecord, QueryAuditError>, Never>)] = []
        var writing = false
        var entries = 0
        var commits = 0
        /// `written` mode: a sync is scheduled and has not yet taken the log's head.
        var syncScheduled = false
        /// `written` mode: syncs completed.
        var syncs = 0
        /// The log was closed (a sync scheduled before has nothing left to do).
        var closed = false
        /// `written` mode: why a scheduled sync failed.
        var syncFailure: String?
    }

    private init(directory: String, log: FileLog, commit: AuditCommit) {
        self.directory = directory
        self.log = log
        self.commit = commit
    }

    /// Where a ledger keeps its audit log.
    public static func directory(ofLedger ledger: String) -> String { ledger + "/audit" }

    /// Whether the ledger in `ledgerDirectory` has an audit log.
    public static func exists(ledgerDirectory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory(ofLedger: ledgerDirectory))
    }

    /// Opens the audit log of the ledger in `ledgerDirectory`. A writer creates it when missing and
    /// takes its lock (``QueryAuditError/held(directory:holder:)`` when another process has it);
    /// a reader takes no lock, writes nothing and needs the log to exist.
    ///
    /// `commit` says when an entry counts as recorded: ``AuditCommit/durable`` (the default) or
    /// ``AuditCommit/written(syncMilliseconds:)``. It is a property of this writer, not of the
    /// files: a log written in either mode is the same log, opened and verified the same way.
    public static func open(ledgerDirectory: String, access: LedgerAccess = .writer, commit: AuditCommit = .durable)
        throws(QueryAuditError) -> QueryAuditLog
    {
        let directory = directory(ofLedger: ledgerDirectory)
        if access == .readOnly && !FileManager.default.fileExists(atPath: directory) { throw .missing(directory: directory) }
        if case .written(let milliseconds) = commit, !AuditCommit.syncMillisecondsRange.contains(milliseconds) {
            throw .cannotRecord(directory: directory, reason: "the written mode's sync interval must be \(AuditCommit.syncMillisecondsRange.lowerBound)…\(AuditCommit.syncMillisecondsRange.upperBound) ms, is \(milliseconds)")
        }
        var configuration = LogConfiguration()
        if case .written = commit { configuration.durability = .deferred }
        do {
            let log = try FileLog.open(directory: directory, configuration: configuration, readOnly: access == .readOnly)
            return QueryAuditLog(directory: directory, log: log, commit: commit)
        } catch .locked(_, let holder) {
            throw .held(directory: directory, holder: holder)
        } catch .io(let operation, let path, let code) {
            throw .cannotRecord(directory: directory, reason: LogError.io(operation: operation, path: path, errno: code).description)
        } catch {
            throw .damaged(directory: directory, reason: error.description)
        }
    }

    /// Records `entries` as one append and returns them as recorded: durable (one group commit)
    /// in the `durable` mode; written, and durable by the next scheduled sync, in the `written` mode.
    @discardableResult
    public func record(_ entries: [AuditEntry]) throws(QueryAuditError) -> [AuditRecord] {
        guard !entries.isEmpty else { return [] }
        let receipt: AppendReceipt
        do { receipt = try log.append(entries.map { LogEntry(payload: $0.encoded()) }) } catch {
            throw .cannotRecord(directory: directory, reason: error.description)
        }
        scheduleSync()
        return entries.indices.map { index in
            AuditRecord(position: receipt.firstPosition.advanced(by: UInt64(index)), recorded: receipt.recordedTimes[index],
                        entry: entries[index])
        }
    }

    /// Records one entry, sharing a group commit with the entries of concurrent callers; returns
    /// once it is recorded as ``commit`` says: durable, or written.
    @discardableResult
    public func record(_ entry: AuditEntry) async throws(QueryAuditError) -> AuditRecord {
        let outcome = await withCheckedContinuation { continuation in
            let start = queue.withLock { queue -> Bool in
                queue.waiting.append((entry, continuation))
                guard !queue.writing else { return false }
                queue.writing = true
                return true
            }
            // The append blocks (write, fdatasync): it runs on the writer's thread, never Swift's pool.
            if start { writer.async { self.drain() } }
        }
        return try outcome.get()
    }

    /// Whether an entry is recorded on the caller's thread (``recordNow(_:)``) rather than
    /// through a group commit: the `written` mode, where recording is one write under the log's
    /// writer lock and a group commit, with no `fdatasync` to share, would buy nothing but two
    /// thread hand-offs.
    public var recordsInline: Bool {
        if case .written = commit { return true }
        return false
    }

    /// Records one entry at once, on the calling thread, as one append (in the `written` mode:
    /// written, and durable by the next scheduled sync). Concurrent callers are ordered by the
    /// log's writer lock, as group commits are. It blocks (a write; in the `durable` mode an
    /// `fdatasync` too): call it off Swift's cooperative pool. Counted as an entry and a commit.
    @discardableResult
    public func recordNow(_ entry: AuditEntry) throws(QueryAuditError) -> AuditRecord {
        let records = try record([entry])
        queue.withLock { queue in
            queue.entries += 1
            queue.commits += 1
        }
        return records[0]
    }

    /// Writes what waits until nothing does. One drain runs at a time.
    private func drain() {
        while true {
            let batch = queue.withLock { queue in
                defer { queue.waiting = [] }
                if queue.waiting.isEmpty { queue.writing = false } else { queue.commits += 1; queue.entries += queue.waiting.count }
                return queue.waiting
            }
            if batch.isEmpty { return }
            do throws(QueryAuditError) {
                let records = try record(batch.map(\.entry))
                for (waiting, record) in zip(batch, records) { waiting.continuation.resume(returning: .success(record)) }
            } catch {
                for waiting in batch { waiting.continuation.resume(returning: .failure(error)) }
            }
        }
    }

    /// `written` mode: makes sure a sync runs within the interval after an entry was written.
    /// The sync takes the log's head when it starts, so an entry written before that is covered
    /// by it and one written after schedules the next.
    private func scheduleSync() {
        guard case .written(let milliseconds) = commit else { return }
        let schedule = queue.withLock { queue -> Bool in
            guard !queue.syncScheduled, !queue.closed else { return false }
            queue.syncScheduled = true
            return true
        }
        guard schedule else { return }
        syncer.asyncAfter(deadline: .now() + .milliseconds(milliseconds)) { self.syncWritten() }
    }

    /// `written` mode: the scheduled sync. A failure poisons the log (``FileLog/sync()``): every
    /// later entry fails to be recorded, so every later query is refused, until the server is
    /// started again.
    private func syncWritten() {
        let closed = queue.withLock { queue -> Bool in
            queue.syncScheduled = false
            return queue.closed
        }
        if closed { return }
        do {
            try log.sync()
            queue.withLock { $0.syncs += 1 }
        } catch .closed {
            // Closed meanwhile: closing synced what was written.
        } catch {
            // The log refuses every later append with this failure (so every later query); the
            // entries written since the last sync may be lost on a machine crash (docs/server.md).
            queue.withLock { $0.syncFailure = error.description }
        }
    }

    /// Makes every entry written so far durable now (the `written` mode's sync, run at once);
    /// in the `durable` mode every recorded entry already is.
    public func sync() throws(QueryAuditError) {
        do { try log.sync() } catch { throw .cannotRecord(directory: directory, reason: error.description) }
        if case .written = commit { queue.withLock { $0.syncs += 1 } }
    }

    /// Entries recorded through ``record(_:)->AuditRecord`` and the group commits (appends, each one
    /// `fdatasync` in the `durable` mode) that recorded them, since the log was opened.
    public var groupCommitCounts: (entries: Int, commits: Int) { queue.withLock { ($0.entries, $0.commits) } }

    /// The syncs the `written` mode ran since the log was opened (each two `fdatasync`s: the
    /// entries', then the checkpoint's); 0 in the `durable` mode.
    public var syncCount: Int { queue.withLock { $0.syncs } }

    /// `written` mode: why a scheduled sync failed, if one did. Every entry after it is refused.
    public var syncFailure: String? { queue.withLock { $0.syncFailure } }

    /// The records `filter` admits, in the order they were recorded. Every block read is checked
    /// against the hash chain; a record that is not an entry is damage.
    public func records(_ filter: AuditFilter = AuditFilter()) throws(QueryAuditError) -> [AuditRecord] {
        var out: [AuditRecord] = []
        let decoder = JSONDecoder()
        do {
            try log.forEach(from: .zero) { view in
                let bytes = Data(view.payload)
                guard let entry = try? decoder.decode(AuditEntry.self, from: bytes) else {
                    throw QueryAuditError.damaged(directory: directory, reason: "record \(view.position) is not an audit entry")
                }
                let record = AuditRecord(position: view.position, recorded: view.recordedTime, entry: entry)
                if filter.admits(record) { out.append(record) }
            }
        } catch let error as QueryAuditError {
            throw error
        } catch {
            throw .damaged(directory: directory, reason: "\(error)")
        }
        return out
    }

    /// The audit log's head: entries held and the chain hash after the last.
    public var head: LogHead {
        get throws(QueryAuditError) {
            do { return try log.head } catch { throw .damaged(directory: directory, reason: error.description) }
        }
    }

    /// Recomputes every checksum and the hash chain of the audit log in `ledgerDirectory`
    /// without opening it for writing; nil when the ledger has none.
    public static func verify(ledgerDirectory: String) throws(LogError) -> VerificationReport? {
        let directory = directory(ofLedger: ledgerDirectory)
        guard FileManager.default.fileExists(atPath: directory) else { return nil }
        return try FileLog.verify(directory: directory)
    }

    /// Releases the log (and its writer lock); in the `written` mode every entry written is made
    /// durable first.
    public func close() throws(QueryAuditError) {
        queue.withLock { $0.closed = true }
        do { try log.close() } catch { throw .cannotRecord(directory: directory, reason: error.description) }
    }
}

/// When a query's audit entry counts as recorded, and so when the query may be answered
/// (docs/server.md, "The query audit log").
public enum AuditCommit: Sendable, Hashable {
    /// The entry is durable (`fdatasync`, shared by concurrent queries) before the answer is
    /// sent. Nothing answered is ever missing from the audit log, whatever crashes. The default.
    case durable
    /// The entry is written to the audit log's file (the operating system holds it) before the
    /// answer is sent, and made durable by a sync at most `syncMilliseconds` after it was
    /// written (plus the sync's own time). A query whose entry cannot be written is refused, as
    /// in the `durable` mode; a sync that fails stops every later query being answered. A process
    /// crash loses nothing; a machine crash (power loss) loses the entries written since the last
    /// sync: answers given in that window with no trace left.
    case written(syncMilliseconds: Int)

    /// The sync intervals the `written` mode accepts, in milliseconds.
    public static let syncMillisecondsRange = 1...1_000
}
