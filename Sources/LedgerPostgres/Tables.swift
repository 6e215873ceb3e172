import LedgerStorage
import PostgresNIO

/// The log's two tables in its schema, and the statements on them. The schema name is a checked
/// plain identifier (``PostgresLocation``), so it is spliced into statements; every value is bound.
struct Tables: Sendable {
    let schema: String

    var groups: String { "\"\(schema)\".log_groups" }
    var head: String { "\"\(schema)\".log_head" }
    /// The channel every append notifies with its new next position.
    var channel: String { "\(schema)_appends" }

    /// How damage in the table is named: the location and the table.
    func groupsName(_ location: PostgresLocation) -> String { "\(location) table \(schema).log_groups" }

    /// Creates the schema and tables when missing, under a transaction-scoped advisory lock so two
    /// processes opening a new log at once do not race on the catalog.
    func create(on connection: PostgresConnection, location: PostgresLocation, blockRawBytesMax: Int,
                algorithm: LogHashAlgorithm) async throws(LogError) {
        let statements: [String] = [
            "BEGIN",
            "SELECT pg_advisory_xact_lock(hashtext('swift-credit-ledger:' || '\(schema)'))",
            "CREATE SCHEMA IF NOT EXISTS \"\(schema)\"",
            """
            CREATE TABLE IF NOT EXISTS \(groups) (
                first_position bigint PRIMARY KEY CHECK (first_position >= 0),
                next_position bigint NOT NULL UNIQUE CHECK (next_position > first_position),
                first_time bigint NOT NULL,
                last_time bigint NOT NULL CHECK (last_time >= first_time),
                chain_hash bytea NOT NULL CHECK (length(chain_hash) = 32),
                blocks bytea NOT NULL
            )
            """,
            // The blocks are LZ4 already: TOAST's own compression would only cost time.
            "ALTER TABLE \(groups) ALTER COLUMN blocks SET STORAGE EXTERNAL",
            "CREATE INDEX IF NOT EXISTS log_groups_last_time ON \(groups) (last_time)",
            """
            CREATE TABLE IF NOT EXISTS \(head) (
                only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
                next_position bigint NOT NULL,
                chain_hash bytea NOT NULL CHECK (length(chain_hash) = 32),
                last_time bigint,
                block_raw_bytes_max integer NOT NULL,
                hash_algorithm text NOT NULL DEFAULT 'sha256' CHECK (hash_algorithm IN ('sha256', 'sm3'))
            )
            """,
            "INSERT INTO \(head) VALUES (true, 0, '\\x\(ChainHash.genesis)', NULL, \(blockRawBytesMax), '\(algorithm.rawValue)') ON CONFLICT DO NOTHING",
            "COMMIT",
        ]
        do {
            // An existing log needs no DDL (ALTER TABLE would take an exclusive lock under running appends).
            let exists = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT to_regclass('\"\(schema)\".log_head') IS NOT NULL"), logger: ConnectionMaker.quiet)
                .collect().first?.decode(Bool.self) ?? false
            let run = exists ? [
                "UPDATE \(head) SET block_raw_bytes_max = \(blockRawBytesMax) WHERE block_raw_bytes_max < \(blockRawBytesMax)",
            ] : statements
            for statement in run { try await connection.query(PostgresQuery(unsafeSQL: statement), logger: ConnectionMaker.quiet) }
        } catch {
            throw .unavailable(log: location.description, reason: "creating the log's tables failed: \(describe(error))")
        }
    }

    /// The head row: the head after the last committed append, and the largest block written.
    func readHead(on connection: PostgresConnection, location: PostgresLocation, forUpdate: Bool = false) async throws(LogError) -> (LogHead, Int) {
        let rows: [(Int64, ByteBuffer, Int64?, Int32)]
        do {
            let sequence = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT next_position, chain_hash, last_time, block_raw_bytes_max FROM \(head)\(forUpdate ? " FOR UPDATE" : "")"),
                logger: ConnectionMaker.quiet)
            rows = try await sequence.collect().map { try $0.decode((Int64, ByteBuffer, Int64?, Int32).self) }
        } catch {
            if let psql = error as? PSQLError, psql.serverInfo?[.sqlState] == "42P01" {
                throw .unavailable(log: location.description, reason: "there is no log in schema \(schema) (its tables are missing)")
            }
            throw .unavailable(log: location.description, reason: "reading the log's head failed: \(describe(error))")
        }
        guard rows.count == 1, let row = rows.first, row.0 >= 0, row.1.readableBytes == 32 else {
            throw .damaged(LogDamage(file: "\(location) table \(schema).log_head", offset: 0, position: nil,
                                     reason: "the head table holds \(rows.count) rows, or a malformed one; it must hold exactly one"))
        }
        let head = LogHead(nextPosition: Position(UInt64(row.0)), chainHash: ChainHash(bytes: Array(buffer: row.1)),
                           lastRecordedTime: row.2.map { RecordedTime(microsecondsSinceEpoch: $0) })
        return (head, Int(row.3))
    }

    /// The log's hash function, from its head row: `hash_algorithm`, or SHA-256 for a log whose
    /// head table predates that column (read through `to_jsonb`, so such a table needs no DDL).
    func readAlgorithm(on connection: PostgresConnection, location: PostgresLocation) async throws(LogError) -> LogHashAlgorithm {
        let names: [String?]
        do {
            names = try await connection.query(
                PostgresQuery(unsafeSQL: "SELECT to_jsonb(h) ->> 'hash_algorithm' FROM \(head) h"), logger: ConnectionMaker.quiet)
                .collect().map { try $0.decode(String?.self) }
        } catch {
            throw .unavailable(log: location.description, reason: "reading the log's hash algorithm failed: \(describe(error))")
        }
        guard let name = names.first ?? nil else { return .sha256 }
        guard let algorithm = LogHashAlgorithm(rawValue: name) else {
            throw .damaged(LogDamage(file: "\(location) table \(schema).log_head", offset: 0, position: nil,
                                     reason: "the head row names hash algorithm \"\(name)\", which this reader does not know"))
        }
        return algorithm
    }

    /// The chain hash stored with the group ending at `end` (genesis for position 0), nil when no
    /// group ends there.
    func chainHash(endingAt end: Position, on connection: PostgresConnection, location: PostgresLocation) async throws(LogError) -> ChainHash? {
        if end == .zero { return .genesis }
        do {
            let rows = try await connection.query(
                "SELECT chain_hash FROM \(unescaped: groups) WHERE next_position = \(Int64(end.rawValue))", logger: ConnectionMaker.quiet)
            let hashes = try await rows.collect().map { try $0.decode(ByteBuffer.self) }
            guard let hash = hashes.first else { return nil }
            guard hash.readableBytes == 32 else {
                throw LogError.damaged(LogDamage(file: groupsName(location), offset: 0, position: end,
                                                 reason: "the group ending at \(end) stores a chain hash of \(hash.readableBytes) bytes"))
            }
            return ChainHash(bytes: Array(buffer: hash))
        } catch let error as LogError {
            throw error
        } catch {
            throw .unavailable(log: location.description, reason: "reading the log failed: \(describe(error))")
        }
    }
}
