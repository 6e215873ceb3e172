import LedgerStorage
import PostgresNIO

extension PostgresLog {
    /// Follows the appends of every process: listens on the log's channel (`<schema>_appends`,
    /// notified by each append's transaction as it commits), and after every wake-up moves the
    /// head on with ``refresh()`` and calls `onHead` with it. The first call comes once listening
    /// has started, so no append committed after the call began is missed; notifications that
    /// arrive together are folded into one refresh. Returns when `onHead` returns false or the
    /// task is cancelled; throws when the connection breaks (the caller reconnects by calling again).
    public func follow(_ onHead: (LogHead) async throws -> Bool) async throws {
        var known: Position?
        try await listen { () async throws -> Bool in
            let fresh = try await refresh()
            if fresh.nextPosition == known { return true }
            known = fresh.nextPosition
            return try await onHead(fresh)
        }
    }

    /// Listens on the log's channel and calls `onWake` once listening has started and after every
    /// notification (notifications that arrive together may be folded into one call), without
    /// reading anything: for a caller that catches up on its own (a ledger, whose views and head
    /// must move together). Returns when `onWake` returns false or the task is cancelled; throws
    /// when the connection breaks (the caller listens again, and catches up once it has).
    public func listen(_ onWake: () async throws -> Bool) async throws {
        let connection = try await maker.connect()
        do {
            let channel = tables.channel
            try await connection.listen(on: channel) { notifications in
                guard try await onWake() else { return }
                for try await _ in notifications {
                    guard try await onWake() else { return }
                }
            }
        } catch {
            await closeAfterFailure(connection)
            if let error = error as? LogError { throw error }
            if error is CancellationError { return }
            throw LogError.unavailable(log: location.description, reason: "following the log failed: \(describe(error))")
        }
        try await closeChecked(connection, location)
    }
}
