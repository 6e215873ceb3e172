import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// A ledger with a ``CheckpointSchedule`` signs checkpoints by itself into `DIR/checkpoints/`:
/// once enough facts came, and on close; a checkpoint that cannot be written is an error to
/// report, never a lost fact.
@Suite struct CheckpointScheduleTests {
    let directory = TemporaryDirectory()

    /// An Ed25519 key made by the openssl command line.
    func key() throws -> CheckpointSigningKey {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "openssl genpkey -algorithm ed25519 -out '\(directory.path)/platform.pem'"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return try CheckpointSigningKey(pem: String(contentsOfFile: directory.path + "/platform.pem", encoding: .utf8), name: "platform")
    }

    func configuration(_ key: CheckpointSigningKey) -> LedgerConfiguration {
        var configuration = LedgerConfiguration()
        configuration.log.durability = .unsafeNoSync
        // An hour: in these tests only the count and closing sign.
        configuration.checkpoints = CheckpointSchedule(key: key, origin: "example.gov.cn/test", everyFacts: 4, everySeconds: 3600)
        return configuration
    }

    func registrations(_ range: Range<Int>) -> [Fact] {
        range.map { Facts.registered(Codes.enterprise($0), name: "企业\($0)", on: "2021-01-01") }
    }

    @Test func aLedgerSignsACheckpointEveryNFactsAndOnClose() throws {
        let key = try key()
        let ledger = try Ledger.open(directory: directory.path + "/L", configuration: configuration(key))
        _ = try ledger.append(registrations(0..<3))
        _ = try ledger.append(registrations(3..<5))   // 5 facts: past the count of 4
        _ = try ledger.append(registrations(5..<6))   // 6: fewer than 4 since the last
        try ledger.close()                             // signs 6
        #expect(ledger.lastCheckpointError == nil)
        let files = ledger.checkpointFiles
        #expect(files.sizes() == [5, 6])
        #expect(FileManager.default.fileExists(atPath: directory.path + "/L/checkpoints/00000000000000000005.txt"))

        let reader = try Ledger.open(directory: directory.path + "/L", access: .readOnly)
        defer { try? reader.close() }
        for size in files.sizes() {
            let (checkpoint, _) = try TreeCheckpoint.verify(try #require(files.text(size: size)), trusting: [TrustedKey(key.publicKey)])
            #expect(checkpoint.head == (try reader.treeHead(size: size)))
        }
        // Reopened, the schedule counts from the newest checkpoint on disk: nothing new, nothing signed.
        let reopened = try Ledger.open(directory: directory.path + "/L", configuration: configuration(key))
        try reopened.close()
        #expect(files.sizes() == [5, 6])
    }

    @Test func aCheckpointThatCannotBeWrittenIsReportedAndClosingFailsWithIt() throws {
        let key = try key()
        try FileManager.default.createDirectory(atPath: directory.path + "/L", withIntermediateDirectories: true)
        // A plain file where the checkpoints' directory belongs.
        #expect(FileManager.default.createFile(atPath: directory.path + "/L/checkpoints", contents: Data("x".utf8)))
        let ledger = try Ledger.open(directory: directory.path + "/L", configuration: configuration(key))
        let receipts = try ledger.append(registrations(0..<5))
        #expect(receipts.count == 5)
        #expect(throws: LedgerError.self) { try ledger.close() }
        guard case .checkpoint(let reason)? = ledger.lastCheckpointError else {
            Issue.record("no checkpoint error: \(String(describing: ledger.lastCheckpointError))")
            return
        }
        #expect(reason.contains("cannot write the checkpoint of 5 facts"))
        // The facts are safe.
        let reader = try Ledger.open(directory: directory.path + "/L", access: .readOnly)
        #expect(try reader.head.recordCount == 5)
        try reader.close()
    }

    @Test func aCheckpointHalfWrittenByAWriterThatDiedIsRemovedByTheNextWriterAndNeverRead() throws {
        let key = try key()
        let ledger = try Ledger.open(directory: directory.path + "/L", configuration: configuration(key))
        _ = try ledger.append(registrations(0..<5))
        try ledger.close()
        // What a writer killed while writing checkpoint 7 leaves behind.
        let orphan = CheckpointFiles(ledgerDirectory: directory.path + "/L").path(size: 7) + ".tmp"
        try Data("half a checkpoint".utf8).write(to: URL(fileURLWithPath: orphan))
        let reader = try Ledger.open(directory: directory.path + "/L", access: .readOnly)
        #expect(FileManager.default.fileExists(atPath: orphan))   // readers never write (nor delete)
        try reader.close()
        let writer = try Ledger.open(directory: directory.path + "/L", configuration: configuration(key))
        #expect(!FileManager.default.fileExists(atPath: orphan))
        #expect(writer.checkpointFiles.sizes() == [5])
        try writer.close()
    }
}
