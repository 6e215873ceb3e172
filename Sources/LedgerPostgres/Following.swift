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
        let connection = try await maker.connect()
        do {
            let channel = tables.channel
            try await connection.listen(on: channel) { notifications in
                guard try await onHead(try await refresh()) else { return }
                var known = try head.nextPosition
                for try await _ in notifications {
                    let fresh = try await refresh()
                    if fresh.nextPosition == known { continue }
                    known = fresh.nextPosition
                    guard try await onHead(fresh) else { return }
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
