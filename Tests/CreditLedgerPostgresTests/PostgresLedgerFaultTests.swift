import CreditFacts
import Foundation
import LedgerStorage
import LogTestSupport
import PostgresTestSupport
import Testing

@testable import CreditLedger
@testable import CreditLedgerPostgres
@testable import LedgerPostgres

/// Faults under a ledger on PostgreSQL, against a real server: each test starts a private
/// cluster of its own, since it stops or restarts the server.
@Suite struct PostgresLedgerFaultTests {
    let directory = TemporaryDirectory()

    static func companies(_ range: Range<Int>) -> [Fact] {
        range.map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") }
    }

    /// The PostgreSQL log under a ledger opened on PostgreSQL.
    static func postgresLog(of ledger: Ledger) -> PostgresLog {
        (ledger.log as! PostgresLedgerLog).log
    }

    @Test func aServerRestartedMidAppendLeavesTheViewsAtTheDurableLogAndTheRetryLandsOnce() throws {
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let location = try PostgresLocation(host: "127.0.0.1", port: cluster.port, user: "postgres", database: "postgres", schema: "restart")
        let ledger = try Ledger.open(postgres: location, stateDirectory: directory.path + "/state")
        try ledger.append(Self.companies(0..<5))
        let asOf = try LegalDate(parsing: "2024-06-30")
        let before = try ledger.digest(asOf: asOf)
        // The server stops after the append's statements and before its commit, and comes back.
        Self.postgresLog(of: ledger).beforeCommit.withLock { hook in
            hook = { _ in
                cluster.stopServer()
                do { try cluster.startServer() } catch { Issue.record("restart failed: \(error)") }
            }
        }
        do {
            try ledger.append(Self.companies(5..<8))
            Issue.record("an append cut off by a server shutdown succeeded")
        } catch {
            guard case .log(.unavailable(_, let reason)) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("nothing was appended"))
        }
        // The views never ran ahead of the durable log.
        #expect(try ledger.viewsPosition == Position(5))
        #expect(try ledger.digest(asOf: asOf) == before)
        Self.postgresLog(of: ledger).beforeCommit.withLock { $0 = nil }
        // The retry of the same facts lands once, right after what was acknowledged.
        let retry = try ledger.append(Self.companies(5..<8))
        #expect(retry.map { receipt -> UInt64? in if case .appended(let position, _) = receipt { position.rawValue } else { nil } } == [5, 6, 7])
        try ledger.close()
        let reopened = try Ledger.open(postgres: location, stateDirectory: directory.path + "/fresh")
        #expect(try reopened.head.recordCount == 8)
        #expect(try reopened.verify().isIntact)
        #expect(try reopened.digest(asOf: asOf) == ledger.digest(asOf: asOf))
        try reopened.close()
    }

    @Test func aServerRestartedBetweenAppendsIsRejoinedByWritersAndFollowers() throws {
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let location = try PostgresLocation(host: "127.0.0.1", port: cluster.port, user: "postgres", database: "postgres", schema: "between")
        let writer = try Ledger.open(postgres: location, stateDirectory: directory.path + "/writer")
        let reader = try Ledger.open(postgres: location, stateDirectory: directory.path + "/reader", access: .readOnly)
        try writer.append(Self.companies(0..<3))
        cluster.stopServer()
        try cluster.startServer()
        // The writer's connections died with the server: the next append opens new ones.
        try writer.append(Self.companies(3..<6))
        #expect(try writer.viewsPosition == Position(6))
        // The reader listens again once the server is back and catches up, unasked.
        let deadline = Date().addingTimeInterval(15)
        while try reader.viewsPosition < Position(6), Date() < deadline { usleep(50_000) }
        #expect(try reader.viewsPosition == Position(6))
        let asOf = try LegalDate(parsing: "2024-06-30")
        #expect(try reader.digest(asOf: asOf) == writer.digest(asOf: asOf))
        try reader.close()
        try writer.close()
    }

    @Test func anAppendOnAStoppedServerFailsCleanlyAndTheViewsStay() throws {
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let location = try PostgresLocation(host: "127.0.0.1", port: cluster.port, user: "postgres", database: "postgres", schema: "stopped")
        let ledger = try Ledger.open(postgres: location, stateDirectory: directory.path + "/state")
        try ledger.append(Self.companies(0..<2))
        cluster.stopServer()
        #expect(throws: LedgerError.self) { try ledger.append(Self.companies(2..<4)) }
        #expect(try ledger.viewsPosition == Position(2))
        #expect(try ledger.head.recordCount == 2)
        try cluster.startServer()
        try ledger.append(Self.companies(2..<4))
        #expect(try ledger.head.recordCount == 4)
        try ledger.close()
    }
}
