import CreditFacts
import CreditLedgerPostgres
import Foundation
import LedgerPostgres
import LedgerStorage
import LogTestSupport
import PostgresTestSupport
import Testing

@testable import CreditLedger

/// The ledger on a PostgreSQL log: several ledger processes (here, several ledgers in one test
/// process, each with its own connections and state directory) sharing one history.
@Suite struct PostgresLedgerTests {
    let directory = TemporaryDirectory()
    let schema = PostgresCluster.uniqueSchema()

    var location: PostgresLocation {
        get throws { try PostgresLocation(host: "127.0.0.1", port: PostgresCluster.shared.port, user: "postgres", database: "postgres", schema: schema) }
    }

    func open(_ name: String, access: LedgerAccess = .writer, at location: PostgresLocation? = nil) throws -> Ledger {
        try Ledger.open(postgres: location ?? self.location, stateDirectory: directory.path + "/" + name, access: access)
    }

    @Test func twoLedgersOnOneLogSeeEachOthersFactsAndAgreeOnDuplicatesAndDigests() throws {
        let first = try open("first")
        let second = try open("second")
        let companies = (0..<20).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-0\(1 + $0 % 9)") }
        let receipts = try first.append(Array(companies[0..<10]))
        #expect(receipts.allSatisfy { if case .appended = $0 { true } else { false } })
        // The second ledger judges against everything appended: the first's facts are duplicates
        // there, before it was woken or not.
        let again = try second.append(Array(companies[5..<15]))
        for (offset, receipt) in again.enumerated() {
            if offset < 5 {
                #expect(receipt == .duplicate(of: Position(UInt64(5 + offset))))
            } else if case .appended(let position, _) = receipt {
                #expect(position == Position(UInt64(5 + offset)))
            } else {
                Issue.record("fact \(offset) should have been appended: \(receipt)")
            }
        }
        // The first catches up (woken by the notification, or here explicitly) and answers alike.
        #expect(try first.catchUp().nextPosition == Position(15))
        #expect(try first.viewsPosition == Position(15))
        let asOf = try LegalDate(parsing: "2024-06-30")
        #expect(try first.digest(asOf: asOf) == second.digest(asOf: asOf))
        #expect(try first.head == second.head)
        try first.close()
        try second.close()
    }

    @Test func twoWritersRacingWithTheSameFactsAppendEachOnceAndAgree() async throws {
        // Two ledgers append the same 120 facts, in batches of 6, at the same time: whichever
        // lands first appends a fact, the other's receipt is a duplicate of it — including when
        // it lost the race for the head after judging, and had to catch up and judge again.
        let first = try open("racer-1")
        let second = try open("racer-2")
        let facts = (0..<120).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") }
        let batches = stride(from: 0, to: facts.count, by: 6).map { Array(facts[$0..<($0 + 6)]) }
        let receipts = try await withThrowingTaskGroup(of: [FactReceipt].self) { group in
            for ledger in [first, second] {
                group.addTask { try batches.flatMap { try ledger.append($0) } }
            }
            return try await group.reduce(into: [[FactReceipt]]()) { $0.append($1) }
        }
        #expect(try first.catchUp().recordCount == 120)
        #expect(try second.catchUp().recordCount == 120)
        // Every fact is in the log once, and both ledgers' receipts name the same position for it.
        var positions: [String: Position] = [:]
        try first.forEachFact { positions[$0.fact.id.text] = $0.position }
        #expect(positions.count == 120)
        for list in receipts {
            for (offset, receipt) in list.enumerated() {
                let position: Position
                switch receipt {
                case .appended(let at, _): position = at
                case .duplicate(let of): position = of
                }
                #expect(positions[facts[offset].id.text] == position)
            }
        }
        let asOf = try LegalDate(parsing: "2024-06-30")
        #expect(try first.digest(asOf: asOf) == second.digest(asOf: asOf))
        print("races lost and judged again: \(first.racesLost.withLock { $0 } + second.racesLost.withLock { $0 })")
        try first.close()
        try second.close()
    }

    @Test func aFollowerIsWokenByAnotherProcessesAppend() throws {
        let writer = try open("writer")
        let reader = try open("reader", access: .readOnly)
        try writer.append([Fixtures.registered(Fixtures.enterprise(1), name: "企业", on: "2021-01-01")])
        // Nothing asks the reader to catch up: the log's notification wakes it.
        let deadline = Date().addingTimeInterval(10)
        while try reader.viewsPosition < Position(1), Date() < deadline { usleep(20_000) }
        #expect(try reader.viewsPosition == Position(1))
        try reader.close()
        try writer.close()
    }

    @Test func aSnapshotIsUsedOnlyOnTheHistoryItSummarises() throws {
        let ledger = try open("state")
        try ledger.append((0..<30).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") })
        let asOf = try LegalDate(parsing: "2024-06-30")
        let digest = try ledger.digest(asOf: asOf)
        try ledger.close()
        let snapshots = try FileManager.default.contentsOfDirectory(atPath: directory.path + "/state/snapshots")
        #expect(snapshots.count == 1)
        let reopened = try open("state")
        #expect(reopened.warnings.allSatisfy { !$0.contains("snapshot") }, "\(reopened.warnings)")
        #expect(try reopened.digest(asOf: asOf) == digest)
        try reopened.close()
        // The same state directory on another log (another schema): the snapshot is not on its
        // history, so it is named and not used.
        var other = try location
        other.schema = schema + "_other"
        let elsewhere = try open("state", at: other)
        #expect(elsewhere.warnings.contains { $0.contains("not used") }, "\(elsewhere.warnings)")
        #expect(try elsewhere.head.recordCount == 0)
        try elsewhere.close()
    }

    @Test func aStateDirectoryServesOneWriterProcess() throws {
        let ledger = try open("shared-state")
        #expect(throws: LedgerError.self) { _ = try open("shared-state") }
        try ledger.close()
        try open("shared-state").close()
    }

    @Test func featuresNotOnPostgreSQLYetAreRefusedByName() throws {
        let ledger = try open("features")
        try ledger.append([Fixtures.registered(Fixtures.enterprise(1), name: "企业", on: "2021-01-01")])
        #expect(ledger.warnings.contains { $0.contains("intake counters") })
        var sm3 = LedgerConfiguration()
        sm3.log.hashAlgorithm = .sm3
        var signing = LedgerConfiguration()
        signing.checkpoints = CheckpointSchedule(key: try signingKey(), origin: "credit-ledger/test")
        for configuration in [sm3, signing] {
            do {
                _ = try Ledger.open(postgres: try location, stateDirectory: directory.path + "/refused", configuration: configuration)
                Issue.record("a feature not on PostgreSQL yet was accepted")
            } catch let error as LedgerError {
                guard case .unsupported(let reason) = error else { Issue.record("unexpected \(error)"); continue }
                #expect(reason.contains("not supported on a PostgreSQL ledger yet"))
            }
        }
        try ledger.close()
    }

    /// A fresh Ed25519 key (`openssl genpkey`).
    func signingKey() throws -> CheckpointSigningKey {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "openssl genpkey -algorithm ed25519 -out '\(directory.path)/platform.pem'"]
        try process.run()
        process.waitUntilExit()
        return try CheckpointSigningKey(pem: String(contentsOfFile: directory.path + "/platform.pem", encoding: .utf8), name: "platform")
    }

    @Test func theMerkleTreeOfAPostgresLedgerIsTheFileLedgersForTheSameRecords() async throws {
        // A file ledger's records, appended to PostgreSQL with their positions and times.
        let file = try Ledger.open(directory: directory.path + "/file")
        try file.append((0..<40).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") })
        let fileHead = try file.treeHead()
        let fileHalf = try file.treeHead(size: 17)
        let fileProof = try file.inclusionProof(position: Position(5), treeSize: 17)
        try file.close()
        let source = try FileLog.open(directory: directory.path + "/file/log", readOnly: true)
        let records = try source.records(from: .zero, limit: 100)
        try source.close()
        let log = try await PostgresLog.open(try location)
        try await log.append(records.map { LogEntry(payload: $0.payload, recordedTime: $0.recordedTime) })
        try await log.close()

        let ledger = try open("tree")
        #expect(try ledger.treeHead() == fileHead)
        #expect(try ledger.treeHead(size: 17) == fileHalf)
        let proof = try ledger.inclusionProof(position: Position(5), treeSize: 17)
        #expect(proof == fileProof)
        #expect(throws: Never.self) { try proof.verify(against: fileHalf) }
        #expect(try ledger.binding(knownAt: nil).head == fileHead)
        #expect(throws: LedgerError.self) { _ = try ledger.treeHead(size: 41) }
        try ledger.close()
    }

    @Test func anUnreachableDatabaseAtOpenIsAClearErrorWithoutThePassword() throws {
        let port = try PostgresCluster.freePort()
        let location = try PostgresLocation(url: "postgres://clerk:sekret-pw@127.0.0.1:\(port)/credit?schema=d_310114", environment: [:])
        do {
            _ = try Ledger.open(postgres: location, stateDirectory: directory.path + "/unreachable")
            Issue.record("opened a ledger on a closed port")
        } catch {
            guard case .log(.unavailable(let log, let reason)) = error else { Issue.record("unexpected \(error)"); return }
            #expect(log == "postgres://clerk@127.0.0.1:\(port)/credit?schema=d_310114")
            #expect(!"\(error)".contains("sekret"))
            #expect(reason.contains("cannot connect"))
        }
        // The state directory is released with the failure: a later open may take it.
        #expect(throws: Never.self) { try StateProbe.lockable(directory.path + "/unreachable") }
    }
}

struct StillLocked: Error {}

/// Whether a state directory's lock can be taken (no ledger holds it).
enum StateProbe {
    static func lockable(_ directory: String) throws {
        let fd = open(directory + "/state.lock", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { _ = close(fd) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { throw StillLocked() }
    }
}

/// Facts written as the interchange lines departments send.
enum Fixtures {
    static func parse(_ line: String) -> Fact {
        var codec = FactJSONCodec()
        do { return try codec.decode(line) } catch { fatalError("test fixture does not parse: \(error)\n\(line)") }
    }

    static func registered(_ subject: String, name: String, on date: String) -> Fact {
        parse(#"{"id":"REG-\#(subject)-\#(date)","type":"subject.registered","subject":"\#(subject)","source":"310114-SCJG","effective":"\#(date)","body":{"name":"\#(name)","kind":"enterprise","region":"310114"}}"#)
    }

    /// A unified social credit code for a Shanghai Jiading enterprise, numbered `n`.
    static func enterprise(_ n: Int) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let digits = Array(String(format: "%08d", n))
        let orgWeights = [3, 7, 9, 10, 5, 8, 4, 2]
        let orgSum = zip(digits, orgWeights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = 11 - orgSum % 11
        let body = "91310114" + String(digits) + (check == 10 ? "X" : check == 11 ? "0" : String(check))
        let sum = zip(body, weights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        return body + String(alphabet[(31 - sum % 31) % 31])
    }
}
