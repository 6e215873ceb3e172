import Foundation
import Testing
@testable import LedgerPostgres
@testable import LedgerStorage
import LogTestSupport
import PostgresNIO
import PostgresTestSupport

/// The backends every ``RecordLog`` test runs on.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    /// Segment files in a temporary directory.
    case file
    /// A schema of its own in the test process's PostgreSQL cluster.
    case postgres

    var testDescription: String { rawValue }
}

/// A place for one test's logs on one backend: a temporary directory, or a fresh schema. Every
/// ``open(_:)`` opens the same log (a second handle, as another process would).
final class LogPlace: Sendable {
    let backend: Backend
    let directory = TemporaryDirectory("log-backend")
    let schema = PostgresCluster.uniqueSchema("conformance")

    init(_ backend: Backend) { self.backend = backend }

    /// The PostgreSQL location of this place's log (the shared cluster's database `postgres`).
    var location: PostgresLocation {
        get throws {
            try PostgresLocation(host: "127.0.0.1", port: PostgresCluster.shared.port, user: "postgres", database: "postgres", schema: schema)
        }
    }

    /// Opens (creating when missing) this place's log.
    func open(_ configuration: LogConfiguration = LogConfiguration()) async throws -> any RecordLog {
        switch backend {
        case .file: return try FileLog.open(directory: directory.path + "/log", configuration: configuration)
        case .postgres: return try await PostgresLog.open(try location, configuration: configuration)
        }
    }

    /// Flips one bit in the stored payload of the first block of the append that starts at
    /// `firstPosition` (a segment file's bytes, or a row's `blocks` column), behind the log's back.
    func damagePayload(ofAppendAt firstPosition: Position) async throws {
        switch backend {
        case .file:
            // Find the block header for the position by walking the segment's headers.
            let segment = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/log")
                .filter { $0.hasSuffix(LogFiles.segmentSuffix) }.sorted().first!
            let path = directory.path + "/log/" + segment
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
            var offset = SegmentHeader.size
            while offset + BlockHeader.size <= bytes.count {
                let header = try bytes.withUnsafeBytes { try BlockHeader.decode($0, at: offset).get() }
                if header.firstPosition == firstPosition { break }
                offset += BlockHeader.size + Int(header.storedLength)
            }
            try Tamper.flipBit(path, at: Int64(offset + BlockHeader.size + 3))
        case .postgres:
            try await sql("UPDATE \"\(schema)\".log_groups SET blocks = set_byte(blocks, \(BlockHeader.size + 3), get_byte(blocks, \(BlockHeader.size + 3)) # 1) WHERE first_position = \(firstPosition.rawValue)")
        }
    }

    /// Runs a statement on the shared cluster, as an administrator behind the log's back.
    func sql(_ statement: String) async throws {
        try await PostgresAdmin.run(statement)
    }
}

/// Statements run on the shared cluster outside any log (tampering, terminating backends).
enum PostgresAdmin {
    static func run(_ statement: String, port: Int? = nil) async throws {
        let connection = try await connect(port: port)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: statement), logger: ConnectionMaker.quiet)
        } catch {
            try await connection.close()
            throw error
        }
        try await connection.close()
    }

    static func connect(port: Int? = nil) async throws -> PostgresConnection {
        let configuration = PostgresConnection.Configuration(
            host: "127.0.0.1", port: try port ?? PostgresCluster.shared.port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: ConnectionMaker.quiet)
    }
}

/// File-level tampering for corruption tests.
enum Tamper {
    static func flipBit(_ path: String, at offset: Int64, bit: UInt8 = 0) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: UInt64(offset))
        var byte = try handle.read(upToCount: 1)!
        byte[0] ^= 1 << bit
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: byte)
        try handle.close()
    }
}
