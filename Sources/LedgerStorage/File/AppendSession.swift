import Synchronization

/// An append written in many batches that becomes durable and visible all at once, or never:
/// the shape of an import of any size that must be whole or nothing across crashes and I/O errors.
///
/// ```swift
/// let session = try log.beginAppend()
/// for chunk in chunks { try session.write(chunk) }     // written, not durable, not visible
/// let receipt = try session.commit()                   // one fdatasync: acknowledged and visible
/// ```
///
/// Each ``write(_:)`` encodes its batch into blocks and writes them past the acknowledged end of
/// the log, without syncing, so memory stays bounded by one batch however many records the
/// session holds. None of its blocks carries the "ends an append" flag until ``commit()`` sets
/// it on the last one and syncs: that sync is the commit point. Readers see nothing of the
/// session before it. A crash before it leaves blocks with no end flag after them, which the next
/// writer open rolls back (cuts off, and removes the segments the session created); an error in
/// any call rolls the session back at once and ends it. ``abort()`` (or dropping the session)
/// does the same. A session larger than a segment fills several; they are sealed at commit.
///
/// One session at a time: while it is open, ``FileLog/append(_:)`` and
/// ``FileLog/beginAppend()`` fail with ``LogError/appendInProgress``.
public final class AppendSession: Sendable {
    private let log: FileLog
    /// Nil once the session has ended.
    private let pending: Mutex<PendingAppend?>

    init(log: FileLog, pending: PendingAppend) {
        self.log = log
        self.pending = Mutex(pending)
    }

    deinit { abort() }

    /// The head the log will have if the session commits now (the acknowledged head until
    /// something is written).
    public var pendingHead: LogHead {
        get throws(LogError) {
            try pending.withLock { (state) throws(LogError) -> LogHead in
                guard let state else { throw .sessionEnded }
                return state.head
            }
        }
    }

    /// Encodes and writes a batch (within the log's per-append limits) after what the session
    /// wrote before. Not durable, not visible, not acknowledged until ``commit()``. On any error
    /// the whole session is rolled back and ended.
    @discardableResult
    public func write(_ entries: [LogEntry]) throws(LogError) -> PendingRecords {
        try withPending { (state, manifest) throws(LogError) -> PendingRecords in
            let first = state.head.nextPosition
            return try log.writePending(entries, into: &state, endsAppend: false, manifest: &manifest)
                ?? PendingRecords(firstPosition: first, recordedTimes: [])
        }
    }

    /// Makes everything written durable and visible with one `fdatasync`, and ends the session.
    /// The receipt's positions cover every record of the session; its `recordedTimes` are empty
    /// (each write reported its own). On an error nothing of the session was appended.
    public func commit() throws(LogError) -> AppendReceipt {
        defer { finish() }
        return try withPending { (state, manifest) throws(LogError) -> AppendReceipt in
            try log.commitPending(&state, manifest: &manifest)
        }
    }

    /// Drops everything written and ends the session. Does nothing once it has ended.
    public func abort() {
        pending.withLock { state in
            guard state != nil else { return }
            log.writer.withLock { _ in log.rollBack(&state!) }
        }
        finish()
    }

    /// Runs `body` on the open session under the log's writer lock; a thrown error has already
    /// rolled the session back, so the session ends.
    private func withPending<R: Sendable>(
        _ body: (inout PendingAppend, inout Manifest) throws(LogError) -> R
    ) throws(LogError) -> R {
        let result = pending.withLock { (state) -> Result<R, LogError> in
            guard state != nil else { return .failure(.sessionEnded) }
            return log.writer.withLock { writer -> Result<R, LogError> in
                do throws(LogError) {
                    return .success(try body(&state!, &writer.manifest))
                } catch {
                    return .failure(error)
                }
            }
        }
        if case .failure(let error) = result, error != .sessionEnded { finish() }
        return try result.get()
    }

    /// Marks the session ended and lets other appends in (once).
    private func finish() {
        let wasOpen = pending.withLock { state -> Bool in
            defer { state = nil }
            return state != nil
        }
        if wasOpen { log.endSession() }
    }
}
