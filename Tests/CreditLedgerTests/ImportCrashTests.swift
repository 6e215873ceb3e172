import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// Imports are whole or nothing across real process deaths: a child process imports a file and is
/// killed (SIGKILL) right after each batch is written, right after the commit, and at seeded random
/// moments; the ledger reopened afterwards holds the earlier facts and either the whole import or
/// none of it (all-or-nothing) or whole batches (skipping), with the digest of a ledger built from
/// exactly those facts.
@Suite struct ImportCrashTests {
    let directory = TemporaryDirectory()
    static let batchSize = 100
    static let earlier = 30
    static let imported = 600

    /// Facts with their own recorded times (a backfill), so that two ledgers holding the same facts
    /// have the same digest whatever the clock did.
    static func facts(_ range: Range<Int>) -> [Fact] {
        range.flatMap { n -> [Fact] in
            let company = Codes.enterprise(n)
            return [Facts.registered(company, name: "企业\(n)", on: "2021-01-01"),
                    Facts.role("assigned", company, person: Codes.person(n), on: "2021-01-01"),
                    Facts.penalty(company, decision: "D-\(n)", on: "2022-05-01")]
        }.enumerated().map { index, fact in
            Facts.withRecorded(fact, Timestamp(RecordedTime(microsecondsSinceEpoch: 1_700_000_000_000_000 + Int64(index + range.lowerBound * 3) * 1_000_000)).description)
        }
    }

    static let base = facts(0..<(earlier / 3))
    static let file = facts((earlier / 3)..<((earlier + imported) / 3))

    /// A ledger holding `facts`, closed, in a fresh directory.
    func ledger(holding facts: [Fact], _ name: String) throws -> String {
        let path = directory.path + "/" + name
        let ledger = try Ledger.open(directory: path)
        if !facts.isEmpty { try ledger.append(facts) }
        try ledger.close()
        return path
    }

    func digest(_ path: String) throws -> (records: UInt64, digest: String) {
        let ledger = try Ledger.open(directory: path)
        defer { try? ledger.close() }
        return (try ledger.head.recordCount, try ledger.digest(asOf: date("2023-01-01")))
    }

    func writeInput() throws -> String {
        let path = directory.path + "/input.jsonl"
        try (Self.file.map { FactJSONCodec.encode($0) }.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Runs the import child; returns whether it was killed, and kills it after `delay` if given.
    @discardableResult
    func runChild(_ ledger: String, _ input: String, mode: String, kill point: String, afterMilliseconds delay: Int? = nil) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.child())
        process.arguments = [ledger, input, mode, String(Self.batchSize), point, directory.path + "/rejects-\(UUID()).jsonl"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        if let delay {
            _ = output.fileHandleForReading.availableData  // "started": the ledger is open
            Thread.sleep(forTimeInterval: Double(delay) / 1000)
            kill(process.processIdentifier, SIGKILL)
        }
        _ = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL
    }

    static func child() throws -> String {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("LedgerImportChild").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    func copy(_ source: String, _ name: String) throws -> String {
        let target = directory.path + "/" + name
        try FileManager.default.copyItem(atPath: source, toPath: target)
        return target
    }

    @Test func anAllOrNothingImportKilledAtEveryBatchBoundaryLeavesNothingOfItAndTheEarlierFactsIntact() throws {
        let input = try writeInput()
        let base = try ledger(holding: Self.base, "base")
        let before = try digest(base)
        let batches = Self.imported / Self.batchSize
        for k in 1...batches {
            let crashed = try copy(base, "killed-after-\(k)")
            #expect(try runChild(crashed, input, mode: "all", kill: String(k)), "the child died after batch \(k)")
            let after = try digest(crashed)
            #expect(after.records == UInt64(Self.earlier), "killed after batch \(k) of \(batches): nothing of the import")
            #expect(after.digest == before.digest)
            #expect(try FileLog.verify(directory: crashed + "/log").isIntact)
        }
    }

    @Test func anAllOrNothingImportKilledRightAfterItsCommitHoldsEveryFact() throws {
        let input = try writeInput()
        let crashed = try copy(try ledger(holding: Self.base, "base"), "killed-after-commit")
        #expect(try runChild(crashed, input, mode: "all", kill: "commit"))
        let expected = try digest(try ledger(holding: Self.base + Self.file, "expected"))
        let after = try digest(crashed)
        #expect(after.records == UInt64(Self.earlier + Self.imported))
        #expect(after.digest == expected.digest)
    }

    @Test func anAllOrNothingImportKilledAtRandomMomentsLeavesNothingOrEverything() throws {
        let input = try writeInput()
        let base = try ledger(holding: Self.base, "base")
        let before = try digest(base)
        let whole = try digest(try ledger(holding: Self.base + Self.file, "whole"))
        var generator = SplitMix64(seed: 13)
        var outcomes: Set<UInt64> = []
        for round in 0..<8 {
            let crashed = try copy(base, "random-\(round)")
            let delay = Int.random(in: 0..<400, using: &generator)
            try runChild(crashed, input, mode: "all", kill: "never", afterMilliseconds: delay)
            let after = try digest(crashed)
            outcomes.insert(after.records)
            #expect([before, whole].contains { $0.records == after.records && $0.digest == after.digest },
                    "killed \(delay) ms after start: \(after.records) records")
        }
        #expect(outcomes.isSubset(of: [UInt64(Self.earlier), UInt64(Self.earlier + Self.imported)]))
    }

    @Test func aSkippingImportKilledAfterBatchKHoldsExactlyKWholeBatches() throws {
        let input = try writeInput()
        let base = try ledger(holding: Self.base, "base")
        for k in [1, 3, Self.imported / Self.batchSize] {
            let crashed = try copy(base, "skip-killed-after-\(k)")
            #expect(try runChild(crashed, input, mode: "skip", kill: String(k)))
            let kept = Array(Self.file.prefix(k * Self.batchSize))
            let expected = try digest(try ledger(holding: Self.base + kept, "skip-expected-\(k)"))
            let after = try digest(crashed)
            #expect(after.records == UInt64(Self.earlier + k * Self.batchSize))
            #expect(after.digest == expected.digest)
        }
    }

    @Test func anImportThatFailsSaysHowManyFactsWereAppended() throws {
        // A record the log refuses (larger than its per-record limit) in the third batch: the
        // failure of the append says how many facts of the import the ledger holds.
        var configuration = LedgerConfiguration()
        configuration.log.recordBytesMax = 600
        var lines = Self.file.prefix(250).map { FactJSONCodec.encode($0) }
        let long = String(repeating: "《食品安全法》", count: 60)
        lines.append(FactJSONCodec.encode(Facts.withRecorded(Facts.penalty(Codes.enterprise(900), decision: "D-LONG", on: "2022-05-01")
            .replacingLegalBasis(long), "2024-01-01T00:00:00+08:00")))
        let source = FactSource.bytes(Array(lines.joined(separator: "\n").utf8), name: "big.jsonl")
        for (mode, appended) in [(ImportMode.allOrNothing, 0), (.skipRefused, 200)] {
            let path = directory.path + "/fails-\(mode == .allOrNothing ? "all" : "skip")"
            let ledger = try Ledger.open(directory: path, configuration: configuration)
            var options = ImportOptions(mode: mode)
            options.backfill = true
            options.batchSize = 100
            let rejects = mode == .skipRefused ? try RejectsFile(path: path + ".rejects", inputs: []) : nil
            let error = try #require(throws: ImportError.self) { try ledger.importFacts(from: source, options: options, rejects: rejects) }
            #expect("\(error)".contains("\(appended) fact(s) of this import were appended"), "\(error)")
            #expect(try ledger.head.recordCount == UInt64(appended))
            try ledger.close()
        }
    }
}

extension Fact {
    /// The same penalty with another legal basis.
    func replacingLegalBasis(_ text: String) -> Fact {
        var line = FactJSONCodec.encode(self)
        line = line.replacingOccurrences(of: "《食品安全法》第一百二十四条", with: text)
        var codec = FactJSONCodec()
        return try! codec.decode(line)
    }
}
