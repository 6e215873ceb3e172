import Crypto
import CreditFacts
import Foundation
import LedgerStorage

extension Ledger {
    /// Runs `body` on the view of type `V` as known at `knownAt` (now when nil).
    ///
    /// Now — or an instant the live views stand at exactly (``readLive(knownAt:_:)``) — is served
    /// by the live view, under the ledger's lock (keep `body` short). A past instant replays the
    /// facts recorded up to it, found through the log's recorded-time index, into a fresh view.
    public func withView<V: Projector, R>(
        _ type: V.Type, knownAt: RecordedTime? = nil, _ body: (V) throws -> R
    ) throws -> R {
        let read = try readLive(knownAt: knownAt) { state -> R in
            guard let view = state.views.view(type) else { throw LedgerError.unknownView(type.name) }
            return try body(view)
        }
        switch read {
        case .answered(let answer): return answer
        case .past(let end):
            let views = try Replay.rebuild([type], log: log, to: end, cores: ProcessInfo.processInfo.activeProcessorCount)
            return try body(views.view(type)!)
        }
    }

    /// The view of type `V` built from `subject`'s facts alone, as known at `knownAt`: replays only
    /// that subject's positions (from the per-subject index), so its cost does not grow with the
    /// ledger. Right for views whose answers about a subject depend on that subject's facts only.
    public func subjectView<V: Projector>(_ type: V.Type, subject: SubjectCode, knownAt: RecordedTime? = nil) throws -> V {
        let positions = try positions(of: [subject], knownAt: knownAt)
        var view = V()
        let records: [LogRecord]
        do { records = try log.records(at: positions) } catch { throw LedgerError.log(error) }
        for record in records {
            let fact = try record.payload.withUnsafeBytes { raw in
                try Replay.decode(LogRecordView(position: record.position, recordedTime: record.recordedTime, payload: raw))
            }
            if V.factTypes.contains(fact.fact.type) { view.apply(fact) }
        }
        return view
    }

    /// The log positions of the facts about `subjects` known at `knownAt` (now when nil), sorted.
    func positions(of subjects: [SubjectCode], knownAt: RecordedTime?) throws -> [Position] {
        switch try readLive(knownAt: knownAt, { Self.positions(of: subjects, in: $0.views, before: nil) }) {
        case .answered(let positions): return positions
        case .past(let end): return state.withLock { Self.positions(of: subjects, in: $0.views, before: end) }
        }
    }

    /// The positions of the facts about `subjects` the ledger's index in `views` holds before
    /// `end` (all when nil), sorted.
    static func positions(of subjects: [SubjectCode], in views: ViewSet, before end: Position?) -> [Position] {
        let index = views.view(LedgerIndex.self)!
        var all: [Position] = []
        for subject in Set(subjects) {
            let held = index.positions[subject] ?? []
            if let end { all.append(contentsOf: held.filter { $0 < end }) } else { all.append(contentsOf: held) }
        }
        return subjects.count > 1 ? all.sorted() : all
    }

    /// Runs `body` on every view of the ledger (not its own index) as known at `knownAt` (now when
    /// nil): for queries that combine views (grades, penetration, measures). Now is served by the
    /// live views under the ledger's lock (keep `body` short); a past instant replays the facts
    /// recorded up to it into fresh views.
    public func withViews<R>(knownAt: RecordedTime? = nil, _ body: (ViewSet) throws -> R) throws -> R {
        switch try readLive(knownAt: knownAt, { try body($0.views) }) {
        case .answered(let answer): return answer
        case .past(let end):
            let types = state.withLock { $0.views.types }.filter { $0 != LedgerIndex.self }
            let views = try Replay.rebuild(types, log: log, to: end, cores: ProcessInfo.processInfo.activeProcessorCount)
            return try body(views)
        }
    }

    /// Every view of the ledger (not its own index) built from the facts of `subjects` alone, as
    /// known at `knownAt`: replays only those subjects' positions, in log order. Right for a
    /// question about a few subjects at a past instant (a subject and the organisations a person
    /// is linked to), whose cost must not grow with the ledger.
    public func subjectViews(_ subjects: [SubjectCode], knownAt: RecordedTime? = nil) throws -> ViewSet {
        try replayedViews(at: try positions(of: subjects, knownAt: knownAt))
    }

    /// Every view of the ledger (not its own index) built from the facts at `positions` (sorted).
    func replayedViews(at positions: [Position]) throws -> ViewSet {
        var views = ViewSet(state.withLock { $0.views.types }.filter { $0 != LedgerIndex.self })
        let records: [LogRecord]
        do { records = try log.records(at: positions) } catch { throw LedgerError.log(error) }
        for record in records {
            views.apply(try record.payload.withUnsafeBytes { raw in
                try Replay.decode(LogRecordView(position: record.position, recordedTime: record.recordedTime, payload: raw))
            })
        }
        return views
    }

    /// The fact at `position`.
    public func fact(at position: Position) throws -> RecordedFact {
        let record: LogRecord
        do { record = try log.record(at: position) } catch { throw LedgerError.log(error) }
        return try record.payload.withUnsafeBytes { raw in
            try Replay.decode(LogRecordView(position: record.position, recordedTime: record.recordedTime, payload: raw))
        }
    }

    /// Recomputes every checksum and the hash chain of the ledger's log (see `FileLog.verify`).
    public func verify() throws -> VerificationReport {
        do { return try log.verifyAll() } catch { throw LedgerError.log(error) }
    }

    /// What a read of the live views found (``readLive(knownAt:_:)``).
    enum LiveRead<R> {
        /// The live views held exactly the facts known at the instant asked: the answer from them.
        case answered(R)
        /// They did not: those facts end at this log position (the caller replays them).
        case past(end: Position)
    }

    /// Runs `body` on the live state, under the views' lock, when the live views hold exactly the
    /// facts known at `knownAt` — every fact recorded through it; for nil (now), whatever they
    /// hold. Otherwise runs nothing and returns the log position those facts end at.
    ///
    /// The views are compared with what they hold (``LiveState/viewsPoint``), not with the log's
    /// head: the log publishes a group commit before the views apply it, and the views apply it
    /// in runs. A question bound to the history the views stand at (``binding(knownAt:)`` pins
    /// the recorded time of their last fact) is thus answered live while appends go on, rather
    /// than by replaying the log — and never from views that have moved past it, since the
    /// decision and the answer are taken in the same hold of the lock.
    func readLive<R>(knownAt: RecordedTime?, _ body: (LiveState) throws -> R) throws -> LiveRead<R> {
        // Now, or the instant of the last fact the views hold: decided without the log (recorded
        // times strictly increase, so the log's next fact is later).
        if let answer = try state.withLock({ state throws -> Held<R>? in
            guard Self.holdsExactly(knownAt, end: nil, state) else { return nil }
            return Held(value: try body(state))
        }) {
            return .answered(answer.value)
        }
        let end = try logEnd(knownAt!)
        if let answer = try state.withLock({ state throws -> Held<R>? in
            guard Self.holdsExactly(knownAt, end: end, state) else { return nil }
            return Held(value: try body(state))
        }) {
            return .answered(answer.value)
        }
        return .past(end: end)
    }

    /// A value computed under the lock (a wrapper, so that an optional answer is not taken for none).
    private struct Held<R> {
        var value: R
    }

    /// Whether the views, as `state` has them, hold exactly the facts known at `knownAt`: for
    /// nil, yes; for an instant, when they stand at `end` (where the log's facts recorded through
    /// it end), or — `end` not looked up — when it is the recorded time of their last fact.
    static func holdsExactly(_ knownAt: RecordedTime?, end: Position?, _ state: LiveState) -> Bool {
        guard let knownAt else { return true }
        guard let point = state.viewsPoint else { return false }
        if let end { return point.next == end }
        return point.lastRecorded == knownAt
    }

    /// The log position the facts recorded through `knownAt` end at.
    func logEnd(_ knownAt: RecordedTime) throws -> Position {
        do {
            let head = try log.head
            guard let last = head.lastRecordedTime, knownAt < last else { return head.nextPosition }
            return try log.endPosition(recordedThrough: knownAt)
        } catch {
            throw LedgerError.log(error)
        }
    }

    /// The log position everything known at `knownAt` ends at, or nil when the live views hold
    /// exactly that (so they answer) at the moment of asking.
    func pastEnd(_ knownAt: RecordedTime?) throws -> Position? {
        switch try readLive(knownAt: knownAt, { _ in () }) {
        case .answered: nil
        case .past(let end): end
        }
    }

    /// A hash over what every view shows as of `asOf`, as known at `knownAt` (now when nil):
    /// each view's name, code version and canonical encoding, in view order, hashed with the
    /// ledger's algorithm (SHA-256, or SM3 for a ledger created with it). The same log gives the
    /// same digest in any process, after any restart, with or without snapshots.
    public func digest(asOf date: LegalDate, knownAt: RecordedTime? = nil) throws -> String {
        let context = self.context, algorithm = hashAlgorithm
        switch try readLive(knownAt: knownAt, { Self.digest(of: $0.views, asOf: date, context: context, algorithm: algorithm) }) {
        case .answered(let digest): return digest
        case .past(let end):
            let views = try Replay.rebuild(
                state.withLock { $0.views.types }.filter { $0 != LedgerIndex.self }, log: log, to: end,
                cores: ProcessInfo.processInfo.activeProcessorCount)
            return Self.digest(of: views, asOf: date, context: context, algorithm: algorithm)
        }
    }

    /// The hash function of the ledger's chain, Merkle tree and digests, chosen when it was created.
    public var hashAlgorithm: LogHashAlgorithm { log.hashAlgorithm }

    /// The digest of a set of views (as rebuilt by `rebuild(cores:includingIndex:)`) under `context`.
    public static func digest(of views: ViewSet, asOf date: LegalDate, context: ViewContext,
                              algorithm: LogHashAlgorithm = .sha256) -> String {
        var sha256 = SHA256()
        let sm3 = algorithm == .sm3 ? SM3() : nil
        // Only views that show something as of a date take part (the ledger's own index does not),
        // so a replay of the views alone proves the same digest.
        for case let view as any DigestContent in views.views {
            var encoder = CanonicalEncoder()
            encoder.write(type(of: view).name)
            encoder.write(type(of: view).codeVersion)
            view.encodeDigest(asOf: date, context: context, into: &encoder)
            if let sm3 { sm3.update(encoder.bytes) } else { sha256.update(data: encoder.bytes) }
        }
        let bytes = sm3?.finalize() ?? Array(sha256.finalize())
        return bytes.map { String($0, radix: 16).leftPadded(2) }.joined()
    }

    /// Rebuilds every view from the log alone (no snapshot) and returns them with the count of
    /// facts replayed: the operation behind `credit-ledger replay`, whose digest must equal the
    /// live one. Uses every core when every view is partitioned by subject. The ledger's own
    /// bookkeeping (idempotency keys, references, positions), which shows nothing in digests, is
    /// included only when `includingIndex` is set, as opening a ledger without a snapshot does.
    /// `progress`, when given, is told how many facts have been replayed after each chunk.
    public func rebuild(cores: Int = ProcessInfo.processInfo.activeProcessorCount, includingIndex: Bool = false,
                        progress: ((_ replayed: UInt64) -> Void)? = nil) throws
        -> (views: ViewSet, facts: UInt64)
    {
        let head = try self.head
        let types = state.withLock { $0.views.types }.filter { includingIndex || $0 != LedgerIndex.self }
        let views = try Replay.rebuild(types, log: log, to: head.nextPosition, cores: cores, progress: progress)
        return (views, head.recordCount)
    }
}

extension Ledger {
    /// Rebuilds the views of `configuration` from the log in `directory` alone, without opening the
    /// ledger's live views or snapshots: read-only, no lock, nothing written. For `replay`, whose
    /// rebuilt views are then compared with the live ones — built this way first and dropped
    /// before the ledger is opened, the two sets are never in memory at once. Returns the views
    /// (not the ledger's own index), the facts replayed, the recorded time of the last one and the
    /// log's hash algorithm (which its digests use).
    /// `progress`, when given, is told how many of how many facts have been replayed after each chunk.
    public static func rebuild(directory: String, configuration: LedgerConfiguration = LedgerConfiguration(),
                               cores: Int = ProcessInfo.processInfo.activeProcessorCount,
                               progress: ((_ replayed: UInt64, _ total: UInt64) -> Void)? = nil) throws(LedgerError)
        -> (views: ViewSet, facts: UInt64, lastRecorded: RecordedTime?, algorithm: LogHashAlgorithm)
    {
        let log: FileLog
        do { log = try FileLog.open(directory: directory + "/log", configuration: configuration.log, readOnly: true) } catch {
            throw .log(error)
        }
        let head: LogHead
        let views: ViewSet
        do throws(LedgerError) {
            do { head = try log.head } catch { throw LedgerError.log(error) }
            let total = head.recordCount
            views = try Replay.rebuild(configuration.views, log: log, to: head.nextPosition, cores: cores,
                                       progress: progress.map { report in { report($0, total) } })
        } catch {
            // The rebuild's own failure is the one reported; the read-only log has nothing to flush.
            do { try log.close() } catch {}
            throw error
        }
        do { try log.close() } catch { throw .log(error) }
        return (views, head.recordCount, head.lastRecordedTime, log.hashAlgorithm)
    }

    /// ``rebuild(directory:configuration:cores:progress:)`` over a log already open (a PostgreSQL
    /// ledger's, read-only), up to its head when called; the caller closes it.
    package static func rebuild(log: any LedgerLog, configuration: LedgerConfiguration = LedgerConfiguration(),
                                cores: Int = ProcessInfo.processInfo.activeProcessorCount,
                                progress: ((_ replayed: UInt64, _ total: UInt64) -> Void)? = nil) throws(LedgerError)
        -> (views: ViewSet, facts: UInt64, lastRecorded: RecordedTime?, algorithm: LogHashAlgorithm)
    {
        let head: LogHead
        do { head = try log.head } catch { throw .log(error) }
        let total = head.recordCount
        let views = try Replay.rebuild(configuration.views, log: log, to: head.nextPosition, cores: cores,
                                       progress: progress.map { report in { report($0, total) } })
        return (views, head.recordCount, head.lastRecordedTime, log.hashAlgorithm)
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

extension Ledger {
    /// Calls `body` with every fact in log order (export, audits), up to (not including) `limit`
    /// when given, else up to the head.
    public func forEachFact(upTo limit: Position? = nil, _ body: (RecordedFact) throws -> Void) throws {
        let end = try limit ?? head.nextPosition
        do {
            try log.forEach(from: .zero, to: end) { record in try body(try Replay.decode(record)) }
        } catch let error as LogError {
            throw LedgerError.log(error)
        }
    }
}
