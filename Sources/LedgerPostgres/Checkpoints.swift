import LedgerStorage
import PostgresNIO

// Signed checkpoints of a PostgreSQL log, kept beside it in the same schema (docs/proofs.md,
// "Checkpoints of a PostgreSQL ledger"): every process that opens the log — every host's server,
// every report and proof command — finds the same ones, as it finds the same records.
//
// `checkpoints` holds one row per tree size: the checkpoint's text as signed. A checkpoint is
// never replaced: the first one stored for a size stays (a second signer of the same size adds
// nothing), so what an auditor was handed once is what the table keeps. The table is evidence
// about the log, not part of it: `verify` checks the log's rows alone, and the text is checked
// against the log's tree by whoever stores or serves it.

extension Tables {
    var checkpoints: String { "\"\(schema)\".checkpoints" }

    /// The statement creating the checkpoints table when missing.
    var createCheckpoints: String {
        """
        CREATE TABLE IF NOT EXISTS \(checkpoints) (
            tree_size bigint PRIMARY KEY CHECK (tree_size >= 0),
            body text NOT NULL,
            written_at timestamptz NOT NULL DEFAULT now()
        )
        """
    }
}

extension PostgresLog {
    /// The text of the checkpoint of exactly `size` records stored with the log, nil when there
    /// is none (or no checkpoint was ever stored: a log made before the table existed has none).
    public func checkpoint(size: UInt64) async throws(LogError) -> String? {
        try await checkpointQuery("SELECT body FROM \(tables.checkpoints) WHERE tree_size = \(Int64(clamping: size))") { row in
            try row.decode(String.self)
        }.first
    }

    /// The largest tree size with a stored checkpoint, nil when there is none.
    public func newestCheckpointSize() async throws(LogError) -> UInt64? {
        let sizes = try await checkpointQuery("SELECT max(tree_size) FROM \(tables.checkpoints)") { row in try row.decode(Int64?.self) }
        return sizes.first.flatMap { $0 }.map { UInt64(max($0, 0)) }
    }

    /// Stores `text` as the checkpoint of `size` records, unless one is stored for that size
    /// already; returns the text the table keeps for `size` (the one stored first). The caller
    /// has checked the text against the log's tree. This writes the checkpoints table only (it
    /// is created when missing), never the log's rows, so a process that opened the log to read
    /// may store one.
    @discardableResult
    public func storeCheckpoint(_ text: String, size: UInt64) async throws(LogError) -> String {
        let statements = [
            "BEGIN",
            "SELECT pg_advisory_xact_lock(hashtext('swift-credit-ledger:' || '\(tables.schema)' || ':checkpoints'))",
            tables.createCheckpoints,
            "COMMIT",
        ]
        return try await withReader { (connection) async throws(LogError) -> String in
            do {
                for statement in statements { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: ConnectionMaker.quiet) }
                try await connection.query(
                    "INSERT INTO \(unescaped: tables.checkpoints) (tree_size, body) VALUES (\(Int64(clamping: size)), \(text)) ON CONFLICT (tree_size) DO NOTHING",
                    logger: ConnectionMaker.quiet)
                let kept = try await connection.query(
                    "SELECT body FROM \(unescaped: tables.checkpoints) WHERE tree_size = \(Int64(clamping: size))", logger: ConnectionMaker.quiet)
                    .collect().map { try $0.decode(String.self) }
                guard let stored = kept.first else {
                    throw LogError.unavailable(log: location.description, reason: "the checkpoint of \(size) records was not kept")
                }
                return stored
            } catch let error as LogError {
                throw error
            } catch {
                throw .unavailable(log: location.description, reason: "storing the checkpoint of \(size) records failed: \(describe(error))")
            }
        }
    }

    /// Runs a query on the checkpoints table; a missing table answers no rows.
    private func checkpointQuery<Value>(_ sql: String, _ decode: (PostgresRow) throws -> Value) async throws(LogError) -> [Value] {
        try await withReader { (connection) async throws(LogError) -> [Value] in
            do {
                let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: ConnectionMaker.quiet).collect()
                return try rows.map(decode)
            } catch {
                if let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "42P01" { return [] }
                throw .unavailable(log: location.description, reason: "reading the checkpoints failed: \(describe(error))")
            }
        }
    }
}
