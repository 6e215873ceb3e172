import Foundation
import Synchronization
import Testing
@testable import LedgerPostgres
import LedgerStorage
import LogTestSupport
import PostgresNIO
import PostgresTestSupport

/// The PostgreSQL log's own guarantees: one history for several writers, its rows checked by
/// `verify`, clear errors when the server is out of reach, and appends that land whole or not
/// at all when the connection breaks. Against the test process's cluster, each test in a schema
/// of its own; the tests that stop the server start a cluster of their own.
@Suite struct PostgresLogTests {
    let place = LogPlace(.postgres)

    func open(_ configuration: LogConfiguration = LogConfiguration()) async throws -> PostgresLog {
        try await PostgresLog.open(try place.location, configuration: configuration)
    }

    @Test func writersOnSeparateConnectionsShareOneGapFreeHistory() async throws {
        // Two handles are two writers as far as PostgreSQL can tell: separate connections, each
        // encoding after the head it knows, which is stale whenever the other appended.
        let logs = [try await open(), try await open()]
        let receipts = try await withThrowingTaskGroup(of: AppendReceipt.self) { group in
            for task in 0..<16 {
                group.addTask {
                    try await logs[task % 2].append((0..<25).map { LogEntry(payload: Payloads.text(position: UInt64(task * 100 + $0), length: 50)) })
                }
            }
            var all: [AppendReceipt] = []
            for try await receipt in group { all.append(receipt) }
            return all
        }
        let ranges = receipts.map(\.positions).sorted { $0.lowerBound < $1.lowerBound }
        #expect(ranges.first?.lowerBound == .zero)
        #expect(zip(ranges, ranges.dropFirst()).allSatisfy { $0.upperBound == $1.lowerBound })
        #expect(ranges.last?.upperBound == Position(400))
        let times = receipts.sorted { $0.firstPosition < $1.firstPosition }.flatMap(\.recordedTimes)
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        // Each handle sees the other's appends once it refreshes; both agree on the head.
        let heads = [try await logs[0].refresh(), try await logs[1].refresh()]
        #expect(heads[0] == heads[1])
        #expect(heads[0].nextPosition == Position(400))
        #expect(try await logs[1].verify(nil).isIntact)
        for log in logs { try await log.close() }
    }

    @Test func aFollowerIsWokenByAnotherWritersAppends() async throws {
        let writer = try await open()
        let follower = try await open()
        let started = AsyncStream<Void>.makeStream()
        let following = Task {
            var seen: [Position] = []
            try await follower.follow { head in
                seen.append(head.nextPosition)
                if seen.count == 1 { started.continuation.yield() }
                return head.nextPosition < Position(30)
            }
            return seen
        }
        for await _ in started.stream { break }
        for _ in 0..<3 { try await writer.append((0..<10).map { LogEntry(payload: [UInt8($0)]) }) }
        let seen = try await following.value
        #expect(seen.first == .zero)
        #expect(seen.last == Position(30))
        #expect(zip(seen, seen.dropFirst()).allSatisfy { $0 < $1 })
        #expect(try follower.head == writer.head)
        #expect(try await follower.records(from: Position(20), limit: 10).map(\.payload) == (0..<10).map { [UInt8($0)] })
        try await follower.close()
        try await writer.close()
    }

    @Test func aRowWhoseColumnsWereAlteredIsNamedByVerify() async throws {
        let log = try await open()
        for _ in 0..<3 { try await log.append((0..<10).map { LogEntry(payload: Payloads.bytes(position: UInt64($0), length: 30)) }) }
        try await place.sql("UPDATE \"\(place.schema)\".log_groups SET last_time = last_time + 1 WHERE first_position = 10")
        let report = try await log.verify(nil)
        #expect(report.damage?.position == Position(10))
        #expect(report.damage?.file.contains("log_groups row first_position=10") == true)
        try await log.close()
    }

    @Test func aDeletedRowIsAGapThatVerifyNames() async throws {
        let log = try await open()
        for _ in 0..<3 { try await log.append((0..<10).map { LogEntry(payload: Payloads.bytes(position: UInt64($0), length: 30)) }) }
        try await place.sql("DELETE FROM \"\(place.schema)\".log_groups WHERE first_position = 10")
        let report = try await log.verify(nil)
        #expect(report.damage?.position == Position(10))
        #expect(report.damage?.reason.contains("does not continue") == true)
        try await log.close()
    }

    @Test func anUnreachableServerIsAClearErrorThatNeverEchoesThePassword() async throws {
        let closedPort = try PostgresClusterPort.unused()
        let location = try PostgresLocation(url: "postgres://ledger:sekret-pw@127.0.0.1:\(closedPort)/credit?schema=district", environment: [:])
        #expect(location.description == "postgres://ledger@127.0.0.1:\(closedPort)/credit?schema=district")
        do {
            _ = try await PostgresLog.open(location)
            Issue.record("opening a log on a port nobody listens on succeeded")
        } catch {
            guard case .unavailable(let log, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(log == location.description)
            #expect(reason.contains("cannot connect"))
            #expect(!"\(error)".contains("sekret-pw"))
        }
    }

    @Test func aReaderNeverCreatesTheLog() async throws {
        await #expect(throws: LogError.self) {
            _ = try await PostgresLog.open(try place.location, readOnly: true)
        }
        let writer = try await open()
        try await writer.append([LogEntry(payload: [7])])
        let reader = try await PostgresLog.open(try place.location, readOnly: true)
        #expect(try reader.head.nextPosition == Position(1))
        await #expect(throws: LogError.readOnly) { _ = try await reader.append([LogEntry(payload: [8])]) }
        try await reader.close()
        try await writer.close()
    }

    @Test func locationsParseFromURLsAndTheEnvironment() throws {
        let fromEnvironment = try PostgresLocation(url: "postgres://clerk@db.example:5433/credit", environment: ["PGPASSWORD": "pw1"])
        #expect(fromEnvironment.password == "pw1")
        #expect(fromEnvironment.port == 5433)
        #expect(fromEnvironment.schema == "ledger")
        let directory = TemporaryDirectory()
        try "pw2\n".write(toFile: directory.file("pass"), atomically: true, encoding: .utf8)
        let fromFile = try PostgresLocation(url: "postgresql://clerk@db.example/credit?schema=d_310114", environment: ["PGPASSWORD_FILE": directory.file("pass")])
        #expect(fromFile.password == "pw2")
        #expect(fromFile.schema == "d_310114")
        #expect(throws: LogError.self) { try PostgresLocation(url: "postgres://clerk@db.example/credit?schema=Bad-Name", environment: [:]) }
        #expect(throws: LogError.self) { try PostgresLocation(url: "postgres://db.example/credit", environment: [:]) }
        #expect(throws: LogError.self) { try PostgresLocation(url: "postgres://clerk@db.example", environment: [:]) }
    }

    @Test func aConnectionDroppedBeforeTheCommitAppendsNothingAndSaysSo() async throws {
        let log = try await open()
        let before = try await log.append([LogEntry(payload: [1])])
        log.beforeCommit.withLock { hook in
            hook = { backend in
                do { try await PostgresAdmin.run("SELECT pg_terminate_backend(\(backend))") } catch { Issue.record("terminate failed: \(error)") }
            }
        }
        do {
            _ = try await log.append([LogEntry(payload: [2]), LogEntry(payload: [3])])
            Issue.record("an append whose connection was terminated before its commit succeeded")
        } catch {
            guard case .unavailable(_, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reason.contains("nothing was appended"))
        }
        log.beforeCommit.withLock { $0 = nil }
        #expect(try log.head == before.head)
        #expect(try await log.refresh() == before.head)
        // The next append reconnects and continues the history without a gap.
        let after = try await log.append([LogEntry(payload: [4])])
        #expect(after.firstPosition == Position(1))
        #expect(try await log.verify(nil).isIntact)
        try await log.close()
    }

    @Test func anAppendWhoseCommitReplyIsLostIsFoundLandedAndAcknowledged() async throws {
        // The connection is cut after the server received COMMIT and before its reply came back:
        // the append committed, and the writer finds that out instead of reporting a failure.
        let proxy = try CuttingProxy(targetPort: try PostgresCluster.shared.port)
        defer { proxy.stop() }
        var location = try place.location
        location.port = proxy.port
        let log = try await PostgresLog.open(location)
        try await log.append([LogEntry(payload: [1])])
        proxy.cut(after: "COMMIT")
        let receipt = try await log.append([LogEntry(payload: [2]), LogEntry(payload: [3])])
        #expect(proxy.cuts == 1)
        #expect(receipt.positions == Position(1)..<Position(3))
        let other = try await open()
        #expect(try other.head == receipt.head)
        #expect(try await other.records(from: .zero, limit: 10).map(\.payload) == [[1], [2], [3]])
        // The next append continues on a new connection.
        let next = try await log.append([LogEntry(payload: [4])])
        #expect(next.firstPosition == Position(3))
        #expect(try await other.verify(nil).isIntact)
        try await other.close()
        try await log.close()
    }

    @Test func aServerRestartedMidAppendLosesNothingAcknowledged() async throws {
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let location = try PostgresLocation(host: "127.0.0.1", port: cluster.port, user: "postgres", database: "postgres", schema: "restart")
        let log = try await PostgresLog.open(location)
        let acknowledged = try await log.append((0..<100).map { LogEntry(payload: Payloads.text(position: UInt64($0), length: 80)) })
        // The server stops (fast shutdown: open transactions are rolled back) after the append's
        // statements and before its commit, and comes back at once.
        log.beforeCommit.withLock { hook in
            hook = { _ in
                cluster.stopServer()
                do { try cluster.startServer() } catch { Issue.record("restart failed: \(error)") }
            }
        }
        do {
            _ = try await log.append([LogEntry(payload: [9])])
            Issue.record("an append cut off by a server shutdown succeeded")
        } catch {
            guard case .unavailable(_, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(reason.contains("nothing was appended"))
        }
        log.beforeCommit.withLock { $0 = nil }
        // The retry of the same record lands right after what was acknowledged.
        let retry = try await log.append([LogEntry(payload: [9])])
        #expect(retry.firstPosition == acknowledged.head.nextPosition)
        let reopened = try await PostgresLog.open(location)
        #expect(try reopened.head == retry.head)
        let records = try await reopened.records(from: .zero, limit: 200)
        #expect(records.count == 101)
        #expect(records.prefix(100).map(\.payload) == (0..<UInt64(100)).map { Payloads.text(position: $0, length: 80) })
        #expect(try await reopened.verify(nil).isIntact)
        try await reopened.close()
        try await log.close()
    }

    @Test func aCommitWhoseOutcomeCannotBeCheckedIsReportedInDoubt() async throws {
        // The COMMIT reaches the server (which commits) but its reply is lost, and the database
        // cannot be reached again to check: the writer must not claim either outcome.
        let proxy = try CuttingProxy(targetPort: try PostgresCluster.shared.port)
        var location = try place.location
        location.port = proxy.port
        let log = try await PostgresLog.open(location)
        try await log.append([LogEntry(payload: [1])])
        log.settleAttempts.withLock { $0 = 2 }
        proxy.cut(after: "COMMIT")
        log.beforeCommit.withLock { $0 = { _ in proxy.stop() } }
        do {
            _ = try await log.append([LogEntry(payload: [2]), LogEntry(payload: [3])])
            Issue.record("an append whose commit could not be checked was acknowledged")
        } catch {
            guard case .appendInDoubt(_, let positions, let hash, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(positions == Position(1)..<Position(3))
            #expect(reason.contains("could not be checked"))
            // Checked afterwards, directly: it had landed, with the hash the error named.
            let direct = try await open()
            #expect(try direct.head.nextPosition == Position(3))
            #expect(try direct.head.chainHash == hash)
            try await direct.close()
        }
        log.beforeCommit.withLock { $0 = nil }
        try await log.close()
        proxy.stop()
    }

    @Test func aStoppedServerFailsAppendsCleanlyUntilItIsBack() async throws {
        let cluster = try PostgresCluster.start()
        defer { cluster.stop() }
        let location = try PostgresLocation(host: "127.0.0.1", port: cluster.port, user: "postgres", database: "postgres", schema: "down")
        let log = try await PostgresLog.open(location)
        let first = try await log.append([LogEntry(payload: [1])])
        cluster.stopServer()
        do {
            _ = try await log.append([LogEntry(payload: [2])])
            Issue.record("an append to a stopped server succeeded")
        } catch {
            guard case .unavailable = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
        await #expect(throws: LogError.self) { _ = try await log.records(from: .zero, limit: 1) }
        try cluster.startServer()
        let second = try await log.append([LogEntry(payload: [2])])
        #expect(second.firstPosition == first.head.nextPosition)
        #expect(try await log.records(from: .zero, limit: 5).map(\.payload) == [[1], [2]])
        try await log.close()
    }
}

/// A TCP port on 127.0.0.1 that nothing listens on.
enum PostgresClusterPort {
    static func unused() throws -> Int { try PostgresCluster.freePort() }
}
