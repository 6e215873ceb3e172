import Dispatch
import LedgerStorage
import Synchronization

extension Ledger {
    /// Records applied to the views per step of a catch-up: each step leaves the views at a
    /// consistent prefix of the log, and a long catch-up never holds the views' lock for long.
    static let catchUpPage = 10_000

    /// Catches a read-only ledger up with what the writer (another process) has acknowledged
    /// since it opened or last caught up, and returns the head its views now answer from. A
    /// writer's ledger is always at its head and returns it.
    ///
    /// The log is refreshed first (`FileLog.refresh()`: only records the writer's checkpoint
    /// acknowledges, the new history checked to continue the old), then the new facts are read —
    /// every block checked against the hash chain, as all reads are — and applied to the views in
    /// pages, each under the views' lock, so a query sees the views at the end of a whole page
    /// (a prefix of the log), never in between. Subscribers (``facts(from:)``) are woken. One
    /// catch-up runs at a time.
    ///
    /// On a log other processes append to (PostgreSQL) a writer catches up too: before each of
    /// its appends, and when the log's notifications wake it.
    @discardableResult
    public func catchUp() throws(LedgerError) -> LogHead {
        guard log.isReadOnly || log.isShared else { return try head }
        return try appendLock.withLock { _ throws(LedgerError) -> LogHead in try catchUpLocked() }
    }

    /// ``catchUp()``'s work, with the append lock held.
    @discardableResult
    func catchUpLocked() throws(LedgerError) -> LogHead {
        let head: LogHead
        do throws(LogError) { head = try log.refresh() } catch { throw .log(error) }
        var applied = waiters.withLock { $0.head }
        if applied < head.nextPosition {
            state.withLock { state in
                state.viewsHead = nil
                state.viewsPoint = nil
            }
        }
        while applied < head.nextPosition {
            let end = Position(min(head.nextPosition.rawValue, applied.rawValue + UInt64(Self.catchUpPage)))
            let facts = try readFacts(from: applied, to: end)
            let start = applied
            prepareViewTables(.ahead(facts.count))
            state.withLock { state in
                for fact in facts { state.views.apply(fact) }
                state.lastRecorded = facts.last?.recorded ?? state.lastRecorded
                state.applied = end
                state.factsSinceSnapshot += Int(end.rawValue - start.rawValue)
                if end == head.nextPosition {
                    state.lastRecorded = head.lastRecordedTime
                    state.viewsHead = head
                    state.viewsPoint = ViewsPoint(next: head.nextPosition, lastRecorded: head.lastRecordedTime)
                }
            }
            applied = end
            waiters.withLock { $0.head = end }
            resumeWaiters()
        }
        // A writer of a shared log snapshots the views it caught up like those it appended to.
        if log.isShared && !log.isReadOnly { snapshotInBackgroundIfDue() }
        return head
    }

    /// The log position the live views answer from: for a read-only ledger, how far it has caught
    /// up (the views and this position change together, under the views' lock); for the writer,
    /// the head.
    public var viewsPosition: Position {
        get throws(LedgerError) {
            guard log.isReadOnly || log.isShared else { return try head.nextPosition }
            return state.withLock { $0.applied }
        }
    }

    /// The facts at `start ..< end` some view reads, decoded, in log order.
    private func readFacts(from start: Position, to end: Position) throws(LedgerError) -> [RecordedFact] {
        let reads = state.withLock { $0.views.anyReads }
        var facts: [RecordedFact] = []
        try Replay.forEachFact(log: log, from: start, to: end, reads: reads) { facts.append($0) }
        return facts
    }

    /// Follows the writer: calls ``catchUp()`` every `interval` on a background queue until the
    /// returned follower is stopped or the ledger closes. A failed catch-up (the writer mid-way
    /// through a segment switch, a damaged block) leaves the views where they were; it is kept in
    /// ``LedgerFollower/lastError`` and the next poll tries again. Each poll reads the writer's
    /// checkpoint (one small read) and nothing more when nothing new was acknowledged.
    public func follow(every interval: Duration = .milliseconds(200)) -> LedgerFollower {
        let follower = LedgerFollower(ledger: self, interval: interval)
        follower.schedule()
        return follower
    }
}

/// A read-only ledger following its writer (``Ledger/follow(every:)``).
public final class LedgerFollower: Sendable {
    let ledger: Ledger
    let interval: Duration
    private let state = Mutex<(stopped: Bool, lastError: LedgerError?, polls: Int)>((false, nil, 0))
    private let queue = DispatchQueue(label: "credit-ledger.follow")

    init(ledger: Ledger, interval: Duration) {
        self.ledger = ledger
        self.interval = interval
    }

    /// The error of the last catch-up, nil once one succeeds again.
    public var lastError: LedgerError? { state.withLock { $0.lastError } }

    /// Catch-ups tried so far.
    public var polls: Int { state.withLock { $0.polls } }

    /// Stops following; a catch-up already running finishes.
    public func stop() { state.withLock { $0.stopped = true } }

    func schedule() {
        let (seconds, attoseconds) = interval.components
        let nanoseconds = Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
        queue.asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in poll() }
    }

    private func poll() {
        guard !state.withLock({ $0.stopped }), !ledger.isClosedForSubscribers else { return }
        var failure: LedgerError?
        do throws(LedgerError) { try ledger.catchUp() } catch { failure = error }
        if failure == .log(.closed) { return }
        state.withLock { state in
            state.lastError = failure
            state.polls += 1
        }
        schedule()
    }
}
