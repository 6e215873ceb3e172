import CreditFacts
import Foundation
import LedgerStorage
import Synchronization
import Testing
@testable import CreditLedger

/// Subscriptions, appends racing queries, and digests computed by other processes.
@Suite struct EngineTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()

    @Test func aSubscriberCatchesUpFromTheLogAndThenReceivesNewFactsLive() async throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        for n in 0..<3 { try ledger.append(Facts.company(n)) }
        let received = try await withThrowingTaskGroup(of: [Position].self) { group in
            group.addTask {
                var positions: [Position] = []
                for try await fact in ledger.facts(from: Position(2)) {
                    positions.append(fact.position)
                    if positions.count == 8 { break }
                }
                return positions
            }
            group.addTask {
                for n in 3..<6 {
                    try await Task.sleep(for: .milliseconds(20))
                    try ledger.append(Facts.company(n))
                }
                return []
            }
            var all: [[Position]] = []
            for try await result in group { all.append(result) }
            return all.first { !$0.isEmpty } ?? []
        }
        #expect(received == (2..<10).map { Position(UInt64($0)) })
    }

    @Test func aSubscriptionEndsWhenTheLedgerCloses() async throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        try ledger.append(Facts.company(0))
        let task = Task {
            var count = 0
            for try await _ in ledger.facts() { count += 1 }
            return count
        }
        try await Task.sleep(for: .milliseconds(50))
        try ledger.close()
        #expect(try await task.value == 2)
    }

    @Test func appendsRacingQueriesNeverShowAHalfAppliedAppend() async throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        let done = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for n in 0..<200 { try ledger.append(Facts.company(n)) }
                done.value.store(true, ordering: .releasing)
            }
            for _ in 0..<2 {
                group.addTask {
                    while !done.value.load(ordering: .acquiring) {
                        // Every append registers a company and its legal representative together.
                        let (subjects, holders) = try ledger.withView(SubjectRegistry.self) { registry in
                            (registry.count, (0..<200).reduce(0) { sum, n in
                                sum + registry.holders(of: .legalRepresentative, in: subject(Codes.enterprise(n)), on: date("2022-01-01")).count
                            })
                        }
                        #expect(subjects == holders)
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try ledger.withView(SubjectRegistry.self) { $0.count } == 200)
    }

    @Test func anotherProcessComputesTheSameDigestWithAndWithoutASnapshot() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        for n in 0..<50 { try ledger.append(Facts.company(n)) }
        let here = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.close()

        let withSnapshot = try runChild(directory.path, "2023-01-01")
        try FileManager.default.removeItem(atPath: directory.path + "/snapshots")
        let withoutSnapshot = try runChild(directory.path, "2023-01-01")
        #expect(withSnapshot == here)
        #expect(withoutSnapshot == here)
    }

    func runChild(_ arguments: String...) throws -> String {
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent()
        var child: String?
        while folder.path != "/" && child == nil {
            let candidate = folder.appendingPathComponent("LedgerDigestChild").path
            if FileManager.default.isExecutableFile(atPath: candidate) { child = candidate }
            folder.deleteLastPathComponent()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(child))
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A flag several tasks share.
final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
