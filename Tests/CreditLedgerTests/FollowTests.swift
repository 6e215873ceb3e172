import CreditFacts
import Foundation
import LedgerStorage
import LogTestSupport
import Synchronization
import Testing

@testable import CreditLedger

/// Readers in other processes following a writer: each reader's answers at position N are those
/// of a ledger built from exactly the first N facts, whatever the writer does meanwhile (segments
/// sealed and started, snapshots written and pruned).
@Suite struct FollowTests {
    let directory = TemporaryDirectory()

    /// 600 facts about 300 companies, each with its own recorded time, so that a ledger built from
    /// any prefix answers exactly as the followed ledger did at that position.
    static func facts() -> [Fact] {
        (0..<300).flatMap { n -> [Fact] in
            let registered = Facts.registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01")
            let role = Facts.role("assigned", Codes.enterprise(n), person: Codes.person(n), on: "2021-01-01")
            let second = 1_700_000_000 + 2 * n
            return [Facts.withRecorded(registered, "\(stamp(second))"), Facts.withRecorded(role, "\(stamp(second + 1))")]
        }
    }

    static func stamp(_ seconds: Int) -> String { Timestamp(secondsSinceEpoch: Int64(seconds), offsetMinutes: 480)!.description }

    /// The digest as of `asOf` after each append of `batch` facts, by position.
    static func referenceDigests(_ facts: [Fact], batch: Int, asOf: LegalDate, in directory: String) throws -> [UInt64: String] {
        var configuration = LedgerConfiguration()
        configuration.log.durability = .unsafeNoSync
        let ledger = try Ledger.open(directory: directory, configuration: configuration)
        var digests: [UInt64: String] = [0: try ledger.digest(asOf: asOf)]
        for start in stride(from: 0, to: facts.count, by: batch) {
            try ledger.append(Array(facts[start..<min(start + batch, facts.count)]))
            digests[try ledger.head.recordCount] = try ledger.digest(asOf: asOf)
        }
        try ledger.close()
        return digests
    }

    @Test func readersInOtherProcessesFollowAWriterAndAnswerAsTheFirstNFactsDo() throws {
        let facts = Self.facts()
        let batch = 10
        let asOf = date("2024-06-30")
        let reference = try Self.referenceDigests(facts, batch: batch, asOf: asOf, in: directory.path + "/reference")
        let ledger = directory.path + "/followed"
        // The ledger exists, with its first append, before the readers open it.
        let first = try Ledger.open(directory: ledger)
        try first.append(Array(facts[0..<batch]))
        try first.close()
        let rest = facts[batch...].map { FactJSONCodec.encode($0) }.joined(separator: "\n") + "\n"
        try rest.write(toFile: directory.path + "/rest.jsonl", atomically: true, encoding: .utf8)

        let count = "\(facts.count)"
        let readers = try [
            ChildProcess.start(["follow", ledger, "\(asOf)", count]),
            ChildProcess.start(["follow", ledger, "\(asOf)", count]),
            ChildProcess.start(["catchup", ledger, "\(asOf)", count]),
        ]
        let writer = try ChildProcess.start(["write", ledger, directory.path + "/rest.jsonl", "\(batch)"])
        let written = try writer.finish()
        #expect(written.status == 0, "\(written.stderr)")
        let segments = Int(written.stdout.split(separator: "=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(segments > 2, "the writer should have sealed segments while the readers followed: \(written.stdout)")
        for reader in readers {
            let run = try reader.finish()
            #expect(run.status == 0, "\(run.stderr)")
            let seen = run.stdout.split(separator: "\n").map { $0.split(separator: " ") }
            #expect(seen.count > 2, "a follower should see the log grow: \(run.stdout)")
            print("follower saw \(seen.count) positions; the writer: \(written.stdout.trimmingCharacters(in: .whitespacesAndNewlines))")
            #expect(seen.last?.first == Substring(count))
            for line in seen {
                let position = UInt64(line[0])!
                #expect(reference[position] == String(line[1]), "position \(position) is not the end of an append, or its digest differs")
            }
        }
    }

    @Test func aReadOnlyLedgerCatchesUpOnDemandAndWakesItsSubscribers() async throws {
        let facts = Self.facts()
        let writer = try Ledger.open(directory: directory.path)
        try writer.append(Array(facts[0..<4]))
        let reader = try Ledger.open(directory: directory.path, access: .readOnly)
        try writer.append(Array(facts[4..<10]))
        // Opened before the append: the reader answers from its open until it catches up.
        #expect(try reader.viewsPosition == Position(4))
        #expect(try reader.withView(SubjectRegistry.self) { $0.count } == 2)
        let subscriber = Task { () -> [Position] in
            var seen: [Position] = []
            for try await fact in reader.facts(from: Position(4)) {
                seen.append(fact.position)
                if seen.count == 6 { break }
            }
            return seen
        }
        #expect(try reader.catchUp().nextPosition == Position(10))
        #expect(try reader.viewsPosition == Position(10))
        #expect(try reader.withView(SubjectRegistry.self) { $0.count } == 5)
        #expect(try reader.digest(asOf: date("2024-06-30")) == (try writer.digest(asOf: date("2024-06-30"))))
        #expect(try await subscriber.value == (4..<10).map { Position(UInt64($0)) })
        // Nothing new: the catch-up reads the checkpoint and stays where it is.
        #expect(try reader.catchUp().nextPosition == Position(10))
        try reader.close()
        try writer.close()
    }

    @Test func aReaderDoesNotServeRecordsTheCheckpointHasNotAcknowledged() throws {
        let facts = Self.facts()
        let writer = try Ledger.open(directory: directory.path)
        try writer.append(Array(facts[0..<4]))
        try writer.close()
        // Put the checkpoint back to the state before a second append: that append is on disk
        // whole (its end flag written) but, as far as the checkpoint says, not acknowledged.
        let checkpoint = directory.path + "/log/CHECKPOINT"
        let acknowledged = try Data(contentsOf: URL(fileURLWithPath: checkpoint))
        let again = try Ledger.open(directory: directory.path)
        try again.append(Array(facts[4..<6]))
        try again.close()
        try acknowledged.write(to: URL(fileURLWithPath: checkpoint))
        let reader = try Ledger.open(directory: directory.path, access: .readOnly)
        #expect(try reader.head.nextPosition == Position(4))
        #expect(try reader.catchUp().nextPosition == Position(4))
        try reader.close()
    }
}

/// A running `LedgerFollowChild`.
struct ChildProcess {
    let process: Process
    let stdout: Pipe
    let stderr: Pipe

    static func start(_ arguments: [String]) throws -> ChildProcess {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        var executable: String?
        while folder.path != "/" && executable == nil {
            let candidate = folder.appendingPathComponent("LedgerFollowChild").path
            if FileManager.default.isExecutableFile(atPath: candidate) { executable = candidate }
            folder.deleteLastPathComponent()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(executable))
        process.arguments = arguments
        let child = ChildProcess(process: process, stdout: Pipe(), stderr: Pipe())
        process.standardOutput = child.stdout
        process.standardError = child.stderr
        try process.run()
        return child
    }

    /// Waits for the child to end and returns its status and output.
    func finish() throws -> (status: Int32, stdout: String, stderr: String) {
        // Both pipes are drained at once: a child blocked on a full stderr would never close stdout.
        let errors = Mutex(Data())
        let done = DispatchSemaphore(value: 0)
        let stderr = self.stderr
        DispatchQueue.global().async {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            errors.withLock { $0 = data }
            done.signal()
        }
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        done.wait()
        let err = errors.withLock { $0 }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
    }
}
