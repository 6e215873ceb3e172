import LedgerStorage
import PostgresNIO

extension PostgresLog {
    /// Appends the entries as one group commit: one transaction that locks the head row,
    /// inserts one row holding the entries' blocks, moves the head and notifies followers; the
    /// call returns once PostgreSQL has committed it durably (`synchronous_commit`). All entries
    /// are appended or none.
    ///
    /// Positions and recorded times continue the head found under the lock, whichever process
    /// appended last. When the connection breaks while the commit is under way, the outcome is
    /// checked on a new connection once the head row can be locked again (any transaction still
    /// holding it has ended): the receipt is returned when the row landed, ``LogError/unavailable(log:reason:)``
    /// says it did not, and ``LogError/appendInDoubt(log:positions:chainHash:reason:)`` when it
    /// could not be checked.
    @discardableResult
    public func append(_ entries: [LogEntry]) async throws(LogError) -> AppendReceipt {
        try await append(entries, expecting: nil)!
    }

    /// Appends the entries as ``append(_:)`` does, but only when the log's head, read under the
    /// head row's lock, is still `expected`: nil when another process appended since (the
    /// transaction is rolled back, nothing is appended). A ledger judges facts against views that
    /// stand at `expected`; appending after records those views have not seen could break its
    /// rules (a duplicate appended twice), so it catches up and judges again instead.
    public func append(_ entries: [LogEntry], ifHeadIs expected: LogHead) async throws(LogError) -> AppendReceipt? {
        try await append(entries, expecting: expected)
    }

    private func append(_ entries: [LogEntry], expecting expected: LogHead?) async throws(LogError) -> AppendReceipt? {
        if isReadOnly { throw .readOnly }
        let current = try head
        let known = expected ?? current
        guard !entries.isEmpty else { return AppendReceipt(firstPosition: known.nextPosition, recordedTimes: [], head: known) }
        // Encoded outside the database's lock on the head this process knows; encoded again under
        // the lock only when another process appended meanwhile.
        let early = try encoder.encode(entries, after: known)
        let committed = try await writeGate.withGate { () async throws(LogError) -> EncodedGroup? in
            try await commit(entries, encoded: early, after: known, onlyAfter: expected != nil)
        }
        guard let group = committed else { return nil }
        let published = try advance(to: group.head)
        precondition(published.nextPosition >= group.head.nextPosition, "the head went back after an append")
        return AppendReceipt(firstPosition: Position(group.head.nextPosition.rawValue - UInt64(entries.count)),
                             recordedTimes: group.recordedTimes, head: group.head)
    }

    /// One append's transaction on the writer connection. Runs inside the write gate. With
    /// `onlyAfter`, nil (rolled back) when the head found under the lock is not `known`.
    private func commit(_ entries: [LogEntry], encoded early: EncodedGroup, after known: LogHead,
                        onlyAfter: Bool) async throws(LogError) -> EncodedGroup? {
        let (connection, backend) = try await writerConnection()
        var group = early
        var stage = "beginning the transaction"
        do {
            try await connection.query("BEGIN", logger: ConnectionMaker.quiet)
            stage = "locking the head row"
            let (current, _) = try await tables.readHead(on: connection, location: location, forUpdate: true)
            if current != known {
                if onlyAfter {
                    try await connection.query("ROLLBACK", logger: ConnectionMaker.quiet)
                    _ = try advance(to: current)
                    return nil
                }
                group = try encoder.encode(entries, after: current)
            }
            let first = Int64(current.nextPosition.rawValue)
            stage = "inserting the append's row"
            try await connection.query("""
                INSERT INTO \(unescaped: tables.groups) (first_position, next_position, first_time, last_time, chain_hash, blocks)
                VALUES (\(first), \(Int64(group.head.nextPosition.rawValue)), \(group.recordedTimes[0].microsecondsSinceEpoch),
                        \(group.head.lastRecordedTime!.microsecondsSinceEpoch), \(ByteBuffer(bytes: group.head.chainHash.bytes)),
                        \(ByteBuffer(bytes: group.bytes)))
                """, logger: ConnectionMaker.quiet)
            stage = "moving the head"
            try await connection.query("""
                UPDATE \(unescaped: tables.head) SET next_position = \(Int64(group.head.nextPosition.rawValue)),
                    chain_hash = \(ByteBuffer(bytes: group.head.chainHash.bytes)), last_time = \(group.head.lastRecordedTime!.microsecondsSinceEpoch)
                """, logger: ConnectionMaker.quiet)
            stage = "notifying followers"
            try await connection.query("SELECT pg_notify(\(tables.channel), \(String(group.head.nextPosition.rawValue)))", logger: ConnectionMaker.quiet)
        } catch {
            // Nothing is committed: a transaction ends with its connection or its rollback.
            await abandon(connection, rollingBack: error is LogError || isServerRefusal(error))
            if let error = error as? LogError { throw error }
            throw .unavailable(log: location.description, reason: "\(stage) failed, nothing was appended: \(describe(error))")
        }
        if let hook = beforeCommit.withLock({ $0 }) { await hook(backend) }
        // A connection the server already closed never sent the COMMIT: nothing was committed.
        // (postgres-nio may never answer a statement written to a closed connection.)
        if connection.isClosed {
            await abandon(connection, rollingBack: false)
            throw .unavailable(log: location.description, reason: "the connection closed before the commit, nothing was appended")
        }
        do {
            try await connection.query("COMMIT", logger: ConnectionMaker.quiet)
            return group
        } catch {
            await abandon(connection, rollingBack: false)
            if isServerRefusal(error) {
                throw .unavailable(log: location.description, reason: "the server refused the commit, nothing was appended: \(describe(error))")
            }
            return try await settle(group, after: describe(error))
        }
    }

    /// The writer connection and its backend's pid, opened when missing.
    private func writerConnection() async throws(LogError) -> (PostgresConnection, Int32) {
        if let writer = try state.withLock({ (state) throws(LogError) -> (PostgresConnection, Int32)? in
            if state.closed { throw .closed }
            return state.writer
        }) {
            if !writer.0.isClosed { return writer }
            state.withLock { $0.writer = nil }
            await closeAfterFailure(writer.0)
        }
        let connection = try await maker.connect()
        let backend: Int32
        do {
            let rows = try await connection.query("SELECT pg_backend_pid()", logger: ConnectionMaker.quiet).collect()
            backend = try rows.first?.decode(Int32.self) ?? 0
        } catch {
            await closeAfterFailure(connection)
            throw .unavailable(log: location.description, reason: "the new writer connection failed: \(describe(error))")
        }
        state.withLock { $0.writer = (connection, backend) }
        return (connection, backend)
    }

    /// Drops the writer connection after a failure (rolling back first when it still works), so
    /// the next append starts on a fresh one.
    private func abandon(_ connection: PostgresConnection, rollingBack: Bool) async {
        if rollingBack {
            do {
                try await connection.query("ROLLBACK", logger: ConnectionMaker.quiet)
                return
            } catch {
                // The connection is broken after all: dropped below.
            }
        }
        state.withLock { $0.writer = nil }
        await closeAfterFailure(connection)
    }

    /// Finds out on a new connection whether an append whose commit was cut off landed. The head
    /// row is locked first, which waits for any transaction still holding it (the cut-off one, if
    /// its backend still runs) to end; then the append's row is looked for by its first position
    /// and chain hash. Tries ``settleAttempts`` times, half a second apart (a restarting server takes a moment).
    private func settle(_ group: EncodedGroup, after failure: String) async throws(LogError) -> EncodedGroup {
        let first = Position(group.head.nextPosition.rawValue - UInt64(group.recordedTimes.count))
        var lastProblem = failure
        for attempt in 0..<settleAttempts.withLock({ $0 }) {
            if attempt > 0 { try? await Task.sleep(for: .milliseconds(500)) }
            let connection: PostgresConnection
            do { connection = try await maker.connect() } catch {
                lastProblem = "\(error)"
                continue
            }
            let stored: ChainHash?
            do {
                try await connection.query("BEGIN", logger: ConnectionMaker.quiet)
                try await connection.query("SET LOCAL lock_timeout = '10s'", logger: ConnectionMaker.quiet)
                try await connection.query("SELECT 1 FROM \(unescaped: tables.head) FOR UPDATE", logger: ConnectionMaker.quiet)
                let rows = try await connection.query(
                    "SELECT chain_hash FROM \(unescaped: tables.groups) WHERE first_position = \(Int64(first.rawValue))",
                    logger: ConnectionMaker.quiet).collect()
                stored = try rows.first.map { ChainHash(bytes: Array(buffer: try $0.decode(ByteBuffer.self))) }
                try await connection.query("ROLLBACK", logger: ConnectionMaker.quiet)
            } catch {
                await closeAfterFailure(connection)
                lastProblem = describe(error)
                continue
            }
            try await closeChecked(connection, location)
            if stored == group.head.chainHash { return group }
            throw .unavailable(log: location.description, reason:
                "the connection broke while committing (\(failure)); checked afterwards: the append did not land, nothing was appended")
        }
        throw .appendInDoubt(log: location.description, positions: first..<group.head.nextPosition, chainHash: group.head.chainHash,
                             reason: "the connection broke while committing (\(failure)) and the outcome could not be checked: \(lastProblem)")
    }
}
