import LedgerStorage
import PostgresNIO
import Synchronization

/// The log in PostgreSQL: the same records, blocks and hash chain as ``FileLog``, one row per
/// append, shared by ledger processes on several hosts.
///
/// Two tables in the location's schema (docs/postgres.md):
/// - `log_groups`: one row per append — `first_position` (primary key), `next_position`,
///   `first_time`, `last_time`, `chain_hash` (after the row's last record) and `blocks`, the
///   append's blocks exactly as a segment file holds them (headers with CRC-32C and chain hash,
///   LZ4 payloads), so ``verify(_:)`` checks a log from its rows alone;
/// - `log_head`: one row, the head after the last append, locked `FOR UPDATE` by every append.
///
/// Ordering: an append locks the head row, encodes its records after the head it found (the
/// next positions, recorded times after the last one, the chain from its hash), inserts its row,
/// moves the head and commits — one transaction, `synchronous_commit` on — so appends from any
/// number of processes get gap-free, totally ordered positions and strictly increasing times.
/// The commit notifies the channel `<schema>_appends`; followers wake and read on by position.
///
/// ``head`` is what this process knows: it moves with its own appends and with ``refresh()``.
public final class PostgresLog: RecordLog {
    /// Where the log lives (its description never holds the password).
    public let location: PostgresLocation
    /// The limits, compression and clock in force for appends from this process.
    public let configuration: LogConfiguration
    /// Whether this process may append.
    public let isReadOnly: Bool
    /// The hash function of the chain (and of the Merkle tree over the records): chosen when the
    /// log is created (``LogConfiguration/hashAlgorithm``) and kept in its head row.
    public let hashAlgorithm: LogHashAlgorithm

    let maker: ConnectionMaker
    let encoder: BlockGroupEncoder
    let tables: Tables
    /// Serialises this process's appends on the writer connection.
    let writeGate = AsyncGate()
    let state: Mutex<State>
    /// Called with the writer backend's pid after an append's statements and before its COMMIT:
    /// the fault tests break the connection there.
    let beforeCommit = Mutex<(@Sendable (Int32) async -> Void)?>(nil)
    /// How often an append whose commit was cut off tries to find out whether it landed, half a
    /// second apart (about ten seconds: a restarting server takes a moment).
    let settleAttempts = Mutex(20)

    struct State: Sendable {
        var head: LogHead
        var closed = false
        var readers = 0
        /// The writer's connection and its backend's pid, touched only inside `writeGate`.
        var writer: (connection: PostgresConnection, backend: Int32)?
        /// Reader connections not in use.
        var idle: [PostgresConnection] = []
        /// The largest block any writer of this log has written (readers size their buffers by it).
        var blockRawBytesMax: Int
    }

    /// The reader connections kept open between reads.
    static let idleReadersMax = 4

    private init(location: PostgresLocation, configuration: LogConfiguration, readOnly: Bool, head: LogHead, blockRawBytesMax: Int,
                 algorithm: LogHashAlgorithm) {
        self.location = location
        self.configuration = configuration
        self.isReadOnly = readOnly
        self.hashAlgorithm = algorithm
        self.maker = ConnectionMaker(location: location)
        self.encoder = BlockGroupEncoder(configuration: configuration, algorithm: algorithm)
        self.tables = Tables(schema: location.schema)
        self.state = Mutex(State(head: head, blockRawBytesMax: max(blockRawBytesMax, configuration.blockRawBytesMax)))
    }

    deinit {
        // A log released without close(): its connections are closed without waiting (no one is
        // left to hear how that went); each stays alive until its close has completed.
        let leftovers = state.withLock { state in state.idle + [state.writer?.connection].compactMap { $0 } }
        for connection in leftovers {
            connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
        }
    }

    /// Opens the log at `location`, creating its schema and tables when missing (unless
    /// `readOnly`: a reader never writes, and a missing log is an error then).
    ///
    /// An unreachable server or a refused login fails with ``LogError/unavailable(log:reason:)``.
    public static func open(
        _ location: PostgresLocation, configuration: LogConfiguration = LogConfiguration(), readOnly: Bool = false
    ) async throws(LogError) -> PostgresLog {
        try configuration.validate()
        let maker = ConnectionMaker(location: location)
        let connection = try await maker.connect()
        let tables = Tables(schema: location.schema)
        let opened: (LogHead, Int)
        let algorithm: LogHashAlgorithm
        do throws(LogError) {
            if !readOnly {
                try await tables.create(on: connection, location: location, blockRawBytesMax: configuration.blockRawBytesMax,
                                        algorithm: configuration.hashAlgorithm ?? .sha256)
            }
            opened = try await tables.readHead(on: connection, location: location)
            algorithm = try await tables.readAlgorithm(on: connection, location: location)
            // As on a file log: the algorithm is chosen when the log is created, never after.
            if let asked = configuration.hashAlgorithm, asked != algorithm {
                throw LogError.invalidConfiguration("the log at \(location) hashes with \(algorithm); hashAlgorithm \(asked) can only be chosen when a log is created")
            }
        } catch {
            await closeAfterFailure(connection)
            throw error
        }
        let log = PostgresLog(location: location, configuration: configuration, readOnly: readOnly, head: opened.0, blockRawBytesMax: opened.1,
                              algorithm: algorithm)
        log.state.withLock { $0.idle.append(connection) }
        return log
    }

    /// The head after the last append this process knows of (its own, or one ``refresh()`` read).
    public var head: LogHead {
        get throws(LogError) {
            try state.withLock { (state) throws(LogError) -> LogHead in
                if state.closed { throw .closed }
                return state.head
            }
        }
    }

    /// Moves the head on to the last append committed by any process and returns it. The history
    /// must continue the one this process saw: the chain hash at its old head is checked.
    @discardableResult
    public func refresh() async throws(LogError) -> LogHead {
        let known = try head
        let (fresh, blockMax) = try await withReader { (connection) async throws(LogError) -> (LogHead, Int) in
            let fresh = try await tables.readHead(on: connection, location: location)
            guard fresh.0.nextPosition > known.nextPosition || fresh.0.chainHash == known.chainHash,
                  fresh.0.nextPosition >= known.nextPosition else {
                throw .damaged(LogDamage(file: "\(location) table \(location.schema).log_head", offset: 0, position: fresh.0.nextPosition, reason:
                    "the head row now says \(fresh.0), but this process already saw \(known): the history was cut back or rewritten"))
            }
            if fresh.0.nextPosition > known.nextPosition, known.nextPosition > .zero {
                let hash = try await tables.chainHash(endingAt: known.nextPosition, on: connection, location: location)
                guard hash == known.chainHash else {
                    throw .damaged(LogDamage(file: tables.groupsName(location), offset: 0, position: known.nextPosition, reason:
                        "the chain hash at this process's head \(known.nextPosition) is now \(hash.map { "\($0)" } ?? "missing"), not \(known.chainHash): the history was rewritten"))
                }
            }
            return fresh
        }
        return try advance(to: fresh, blockRawBytesMax: blockMax)
    }

    /// Publishes a head no older than the one known (another task may have published a newer one).
    func advance(to fresh: LogHead, blockRawBytesMax: Int? = nil) throws(LogError) -> LogHead {
        try state.withLock { (state) throws(LogError) -> LogHead in
            if state.closed { throw .closed }
            if fresh.nextPosition > state.head.nextPosition { state.head = fresh }
            if let blockRawBytesMax { state.blockRawBytesMax = max(state.blockRawBytesMax, blockRawBytesMax) }
            return state.head
        }
    }

    /// Closes the log's connections; later calls fail with ``LogError/closed``. A failure to close
    /// a connection is reported after all have been closed.
    public func close() async throws(LogError) {
        let connections = state.withLock { state -> [PostgresConnection] in
            state.closed = true
            defer { state.idle = [] }
            return state.idle
        }
        // The writer connection is closed by the gate's holder, after any append in flight.
        let writer = await writeGate.withGate { () -> PostgresConnection? in
            state.withLock { state in defer { state.writer = nil }; return state.writer?.connection }
        }
        var failure: LogError?
        for connection in connections + [writer].compactMap({ $0 }) {
            do { try await closeChecked(connection, location) } catch { failure = failure ?? error }
        }
        if let failure { throw failure }
    }

    // MARK: - Connections

    /// Runs `body` on a reader connection: an idle one, or a new one. A connection whose work
    /// failed is closed, not reused. At most ``LogConfiguration/openReadersMax`` at once.
    func withReader<Result>(_ body: (PostgresConnection) async throws(LogError) -> Result) async throws(LogError) -> Result {
        let reused = try state.withLock { (state) throws(LogError) -> PostgresConnection? in
            if state.closed { throw .closed }
            guard state.readers < configuration.openReadersMax else { throw .tooManyReaders(limit: configuration.openReadersMax) }
            state.readers += 1
            // Connections the server closed meanwhile (a restart) are dropped, not reused.
            state.idle.removeAll { $0.isClosed }
            return state.idle.popLast()
        }
        let connection: PostgresConnection
        if let reused {
            connection = reused
        } else {
            do {
                connection = try await maker.connect()
            } catch {
                state.withLock { $0.readers -= 1 }
                throw error
            }
        }
        do {
            let result = try await body(connection)
            let keep = state.withLock { state -> Bool in
                state.readers -= 1
                guard !state.closed, state.idle.count < Self.idleReadersMax else { return false }
                state.idle.append(connection)
                return true
            }
            if !keep { try await closeChecked(connection, location) }
            return result
        } catch {
            state.withLock { $0.readers -= 1 }
            await closeAfterFailure(connection)
            throw error
        }
    }
}
