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

    @Test func theIntakeCountersAreSaidToBeThisProcesssOwn() throws {
        let ledger = try open("features")
        try ledger.append([Fixtures.registered(Fixtures.enterprise(1), name: "企业", on: "2021-01-01")])
        #expect(ledger.warnings.contains { $0.contains("intake counters") })
        try ledger.close()
    }

    @Test func anSM3LedgerOnPostgresKeepsItsAlgorithmAndHashesAsAnSM3FileLedger() async throws {
        var sm3 = LedgerConfiguration()
        sm3.log.hashAlgorithm = .sm3
        let ledger = try Ledger.open(postgres: try location, stateDirectory: directory.path + "/sm3", configuration: sm3)
        try ledger.append((0..<30).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") })
        let head = try ledger.treeHead()
        #expect(head.algorithm == .sm3)
        let digest = try ledger.digest(asOf: try LegalDate(parsing: "2024-06-30"))
        try ledger.close()

        // Reopened without naming it (another process): still SM3, the same tree and digest.
        let again = try open("sm3-reader", access: .readOnly)
        #expect(try again.treeHead() == head)
        #expect(try again.digest(asOf: try LegalDate(parsing: "2024-06-30")) == digest)
        try again.close()
        // Naming the other algorithm is refused: it is chosen when the log is created.
        var sha = LedgerConfiguration()
        sha.log.hashAlgorithm = .sha256
        do {
            _ = try Ledger.open(postgres: try location, stateDirectory: directory.path + "/sha", configuration: sha)
            Issue.record("an SM3 log was opened as SHA-256")
        } catch let error as LedgerError {
            guard case .log(.invalidConfiguration(let reason)) = error else { Issue.record("unexpected \(error)"); return }
            #expect(reason.contains("hashes with sm3"), "\(reason)")
        }

        // Its rows verify (the chain recomputed with SM3), and the same records in an SM3 file
        // log give the same chain and the same tree.
        let log = try await PostgresLog.open(try location, readOnly: true)
        #expect(log.hashAlgorithm == .sm3)
        let report = try await log.verify(nil)
        #expect(report.isIntact, "\(report)")
        let records = try await log.records(from: .zero, limit: 100)
        try await log.close()
        var fileSM3 = LogConfiguration()
        fileSM3.hashAlgorithm = .sm3
        let file = try FileLog.open(directory: directory.path + "/sm3-file", configuration: fileSM3)
        try file.append(records.map { LogEntry(payload: $0.payload, recordedTime: $0.recordedTime) })
        #expect(try file.head.chainHash == report.chainHash)
        #expect(try file.treeHead() == head)
        try file.close()
    }

    @Test func checkpointsSignedByOneProcessAreFoundByEveryOtherAndProveTheHistory() throws {
        // One writer signs on schedule (every 5 facts, and on close) into the table beside the log.
        let key = try signingKey()
        var signing = LedgerConfiguration()
        signing.checkpoints = CheckpointSchedule(key: key, origin: "example.gov.cn/district-7", everyFacts: 5, everySeconds: 3_600)
        let writer = try Ledger.open(postgres: try location, stateDirectory: directory.path + "/signer", configuration: signing)
        let facts = (0..<14).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") }
        for batch in stride(from: 0, to: 12, by: 3) { try writer.append(Array(facts[batch..<batch + 3])) }
        try writer.close()

        // Another process (another state directory), a reader, finds them and binds its answers to them.
        let reader = try open("auditor", access: .readOnly)
        let trusted = [TrustedKey(key.publicKey)]
        #expect(try reader.checkpoints.newestSize() == 12)
        let early = try #require(try reader.checkpoints.text(size: 6))
        let late = try #require(try reader.checkpoints.text(size: 12))
        let (old, _) = try TreeCheckpoint.verify(early, trusting: trusted)
        let (new, signer) = try TreeCheckpoint.verify(late, trusting: trusted)
        #expect(signer == "platform")
        #expect(old.head == (try reader.treeHead(size: 6)))
        #expect(new.head == (try reader.treeHead()))
        let binding = try reader.binding(knownAt: nil)
        #expect(binding.head.size == 12)
        #expect(binding.checkpoint == late)
        // Inclusion and consistency proofs under the signed heads verify.
        try reader.inclusionProof(position: Position(4), treeSize: 12).verify(against: new.head)
        let extension_ = try reader.consistencyProof(from: 6, to: 12)
        try extension_.verify(old: old.head, new: new.head)
        #expect(throws: ProofRefusal.self) { try reader.consistencyProof(from: 5, to: 12).verify(old: old.head, new: new.head) }
        #expect(throws: LedgerError.self) { _ = try reader.consistencyProof(from: 6, to: 13) }
        try reader.close()

        // A writer reopened counts from the newest checkpoint in the table, not from nothing.
        let again = try Ledger.open(postgres: try location, stateDirectory: directory.path + "/signer", configuration: signing)
        try again.append(Array(facts[12..<14]))
        try again.close()
        let after = try open("after", access: .readOnly)
        #expect(try after.checkpoints.text(size: 14) != nil)
        try after.close()
    }

    /// Why keeping `text` was refused (``LedgerError/checkpoint(_:)``), or nil when it was kept.
    func keepRefusal(_ ledger: Ledger, _ text: String) -> String? {
        do {
            try ledger.keepCheckpoint(text)
            return nil
        } catch {
            if case .checkpoint(let reason) = error { return reason }
            return "unexpected \(error)"
        }
    }

    @Test func aForgedOrOversizedCheckpointIsNeitherKeptNorHandedOut() async throws {
        let key = try signingKey()
        let ledger = try open("forged")
        try ledger.append((0..<8).map { Fixtures.registered(Fixtures.enterprise($0), name: "企业\($0)", on: "2021-01-01") })
        let head = try ledger.treeHead()
        // More facts than the log holds: refused, by name.
        var beyond = head
        beyond.size = 9
        let oversized = keepRefusal(ledger, try TreeCheckpoint(origin: "example.gov.cn/district-7", head: beyond).signed(by: key))
        #expect(oversized?.contains("covers 9 facts, more than the ledger holds (8)") == true, "\(oversized ?? "kept")")
        // Validly signed over another root (a rewritten history, or another ledger): refused.
        var other = head
        other.root = try #require(TreeHash(hex: String(repeating: "ab", count: 32)))
        let forged = try TreeCheckpoint(origin: "example.gov.cn/district-7", head: other).signed(by: key)
        let otherRoot = keepRefusal(ledger, forged)
        #expect(otherRoot?.contains("does not match this ledger") == true, "\(otherRoot ?? "kept")")
        #expect(try ledger.checkpoints.newestSize() == nil)

        // One written into the table behind the ledger's back is never handed out with an answer.
        let log = try await PostgresLog.open(try location, readOnly: true)
        try await log.storeCheckpoint(forged, size: head.size)
        try await log.close()
        #expect(try ledger.checkpoints.text(size: 8) == forged)
        #expect(try ledger.binding(knownAt: nil).checkpoint == nil)

        // The table keeps the first text for a size: keeping the true one now says what is in its way.
        let genuine = try TreeCheckpoint(origin: "example.gov.cn/district-7", head: head).signed(by: key)
        let blocked = keepRefusal(ledger, genuine)
        #expect(blocked?.contains("already holds a checkpoint of 8 facts that is not this ledger's") == true, "\(blocked ?? "kept")")
        #expect(try ledger.binding(knownAt: nil).checkpoint == nil)
        try ledger.append([Fixtures.registered(Fixtures.enterprise(9), name: "企业9", on: "2021-01-01")])
        let nine = try TreeCheckpoint(origin: "example.gov.cn/district-7", head: try ledger.treeHead()).signed(by: key)
        #expect(keepRefusal(ledger, nine) == nil)
        #expect(try ledger.binding(knownAt: nil).checkpoint == nine)
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
        var fileExtensions: [Pair: ConsistencyProof] = [:]
        for old in [0, 1, 5, 16, 17, 33, 40] as [UInt64] {
            for new in [17, 32, 39, 40] as [UInt64] where new >= old { fileExtensions[Pair(old, new)] = try file.consistencyProof(from: old, to: new) }
        }
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
        // Consistency proofs, from the tree kept in memory, are the file log's (which reads its
        // chunk hashes from MERKLE and rehashes partial chunks) for every pair of sizes.
        for (old, new) in fileExtensions.keys.sorted(by: { ($0.old, $0.new) < ($1.old, $1.new) }).map({ ($0.old, $0.new) }) {
            #expect(try ledger.consistencyProof(from: old, to: new) == fileExtensions[Pair(old, new)], "\(old) → \(new)")
        }
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

/// Two tree sizes.
struct Pair: Hashable {
    var old: UInt64, new: UInt64
    init(_ old: UInt64, _ new: UInt64) { self.old = old; self.new = new }
}

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
