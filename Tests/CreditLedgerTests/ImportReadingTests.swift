import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// An import reads and decodes its lines on a thread of its own, batches ahead of the thread that
/// judges and writes them. The failures of either side reach the caller, stop the other side, and
/// leave the ledger holding what the import said it appended.
@Suite struct ImportReadingTests {
    let directory = TemporaryDirectory()

    /// Registrations of `count` companies, one JSON line each.
    static func lines(_ count: Int, from first: Int = 0) -> [String] {
        (first..<(first + count)).map { FactJSONCodec.encode(Facts.registered(Codes.enterprise($0), name: "企业\($0)", on: "2021-01-01")) }
    }

    func write(_ lines: [String], _ name: String) throws -> String {
        let path = directory.path + "/" + name
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aLongFileIsImportedWholeInOrder() throws {
        // Many batches of the reading thread, and a refused line far from the start: the import
        // says which, and appends nothing of the file (all or nothing).
        var lines = Self.lines(9_000)
        lines[7_777] = #"{"id": "broken"#
        let path = try write(lines, "long.jsonl")
        let ledger = try Ledger.open(directory: directory.path + "/ledger")
        let refused = try ledger.importFacts(from: .file(path), options: ImportOptions(mode: .allOrNothing))
        #expect(refused.appended == 0 && refused.lines == 9_000)
        #expect(refused.refused.map(\.line) == [7_778])
        #expect(try ledger.head.recordCount == 0)

        lines[7_777] = Self.lines(1, from: 7_777)[0]
        let whole = try ledger.importFacts(from: .file(try write(lines, "fixed.jsonl")), options: ImportOptions(mode: .allOrNothing))
        #expect(whole.appended == 9_000)
        #expect(try ledger.fact(at: Position(7_777)).fact.subject.description == Codes.enterprise(7_777))
        #expect(try ledger.withView(SubjectRegistry.self) { $0.count } == 9_000)
    }

    @Test func aWriteThatFailsWhileTheReaderIsAheadStopsItAndSaysWhatWasAppended() throws {
        // The log refuses a record (over its per-record limit) in the third batch of 100, while
        // the reading thread is batches ahead, waiting for room: the import fails at once with
        // the count of facts appended before it, and the reader is stopped (this test would hang).
        var configuration = LedgerConfiguration()
        configuration.log.recordBytesMax = 600
        var lines = Self.lines(12_000)
        lines[250] = FactJSONCodec.encode(Facts.registered(Codes.enterprise(250), name: String(repeating: "企", count: 400), on: "2021-01-01"))
        let path = try write(lines, "input.jsonl")
        let ledger = try Ledger.open(directory: directory.path + "/ledger", configuration: configuration)
        var options = ImportOptions(mode: .skipRefused)
        options.batchSize = 100
        let rejects = try RejectsFile(path: directory.path + "/rejects.jsonl", inputs: [])
        let error = try #require(throws: ImportError.self) { try ledger.importFacts(from: .file(path), options: options, rejects: rejects) }
        #expect("\(error)".contains("200 fact(s) of this import were appended"), "\(error)")
        #expect(try ledger.head.recordCount == 200)
        #expect(try ledger.withView(SubjectRegistry.self) { $0.count } == 200)
    }

    @Test func aRejectsFileThatCannotBeWrittenStopsTheImport() throws {
        // Refused lines go to a device that is always full: the import stops when the rejects
        // cannot be written, naming the file and the reason, with the facts of the batches before.
        let bad = (0..<8_000).map { #"{"id": "refused-\#($0)", "padding": ""# + String(repeating: "x", count: 200) }
        let path = try write(Self.lines(150) + bad, "input.jsonl")
        let ledger = try Ledger.open(directory: directory.path + "/ledger")
        var options = ImportOptions(mode: .skipRefused)
        options.batchSize = 100
        let rejects = try RejectsFile(path: "/dev/full", inputs: [])
        let error = try #require(throws: ImportError.self) { try ledger.importFacts(from: .file(path), options: options, rejects: rejects) }
        #expect("\(error)".contains("/dev/full") && "\(error)".contains("No space left on device"), "\(error)")
        #expect("\(error)".contains("100 fact(s) of this import were appended"), "\(error)")
        #expect(try ledger.head.recordCount == 100)
    }

    @Test func aSourceThatCannotBeReadIsRefusedWithItsNameAndNothingIsAppended() throws {
        // Reading /proc/self/mem at offset 0 fails (EIO): the error comes from the reading thread.
        let ledger = try Ledger.open(directory: directory.path + "/ledger")
        let error = try #require(throws: ImportError.self) {
            try ledger.importFacts(from: .file("/proc/self/mem"), options: ImportOptions(mode: .allOrNothing))
        }
        #expect("\(error)".contains("/proc/self/mem") && "\(error)".contains("Input/output error"), "\(error)")
        #expect(try ledger.head.recordCount == 0)
    }
}
