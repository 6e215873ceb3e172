import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// An append session is whole or nothing: invisible until commit, rolled back by abort, by an
/// error, and by the next open after a crash, across segments; earlier acknowledged records
/// are never touched.
@Suite struct AppendSessionTests {
    let directory = TemporaryDirectory()

    func entries(from first: UInt64, count: Int, length: Int = 100) -> [LogEntry] {
        (0..<UInt64(count)).map { LogEntry(payload: Payloads.bytes(position: first + $0, length: length)) }
    }

    @Test func aSessionIsInvisibleUntilCommitThenVisibleWhole() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendRandom(10)
        let session = try log.beginAppend()
        let batch = try session.write(entries(from: 10, count: 50))
        try session.write(entries(from: 60, count: 50))
        #expect(batch.positions == Position(10)..<Position(60))
        #expect(try log.head.nextPosition == Position(10), "nothing of the session is visible before commit")
        #expect(try log.allRecords().count == 10)
        let reader = try FileLog.open(directory: directory.path, configuration: smallConfiguration(), readOnly: true)
        #expect(try reader.head.nextPosition == Position(10), "another process sees nothing either")

        let receipt = try session.commit()
        #expect(receipt.positions == Position(10)..<Position(110))
        #expect(try log.head == receipt.head)
        #expect(try log.allRecords().map(\.payload) == (0..<110).map { Payloads.bytes(position: $0, length: 100) })
        #expect(try log.verify().isIntact)
        try log.close()
        let reopened = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        #expect(try reopened.head == receipt.head)
    }

    @Test func anAbortedSessionLeavesTheLogAsItWasAndTakesAppendsAgain() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendRandom(10)
        let head = try log.head
        let segment = try segmentFiles(directory.path)[0]
        let length = try Tamper.length(segment)
        let session = try log.beginAppend()
        for batch in 0..<3 { try session.write(entries(from: 10 + UInt64(batch) * 100, count: 100)) }
        session.abort()
        #expect(try log.head == head)
        #expect(try Tamper.length(segment) == length, "the session's bytes are cut off")
        #expect(try segmentFiles(directory.path).count == 1, "segments the session created are removed")
        #expect(throws: LogError.sessionEnded) { try session.write(entries(from: 10, count: 1)) }
        try log.appendRandom(5)
        #expect(try log.head.nextPosition == Position(15))
        #expect(try log.verify().isIntact)
    }

    @Test func aSessionDroppedWithoutCommitIsAborted() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendRandom(3)
        do {
            let session = try log.beginAppend()
            try session.write(entries(from: 3, count: 20))
        }
        #expect(try log.head.nextPosition == Position(3))
        try log.appendRandom(1)
        #expect(try log.head.nextPosition == Position(4))
    }

    @Test func oneAppendAtATimeWhileASessionIsOpen() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        let session = try log.beginAppend()
        #expect(throws: LogError.appendInProgress) { try log.appendRandom(1) }
        #expect(throws: LogError.appendInProgress) { _ = try log.beginAppend() }
        _ = try session.commit()
        try log.appendRandom(1)
        #expect(try log.head.nextPosition == Position(1))
    }

    @Test func anErrorInAWriteRollsTheWholeSessionBack() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendRandom(10)
        let session = try log.beginAppend()
        try session.write(entries(from: 10, count: 100))
        #expect(throws: LogError.recordTooLarge(index: 0, bytes: 5_000, limit: 4_000)) {
            try session.write([LogEntry(payload: [UInt8](repeating: 1, count: 5_000))])
        }
        #expect(throws: LogError.sessionEnded) { _ = try session.commit() }
        #expect(try log.head.nextPosition == Position(10))
        try log.appendRandom(1)
        #expect(try log.verify().isIntact)
    }

    /// A session several segments long fills them without sealing, then seals them at commit.
    @Test func aSessionLargerThanASegmentSpansSegmentsAndCommitsWhole() throws {
        let configuration = smallConfiguration()
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendRandom(10)
        let session = try log.beginAppend()
        var next: UInt64 = 10
        for _ in 0..<12 {
            try session.write(entries(from: next, count: 150))
            next += 150
        }
        #expect(try segmentFiles(directory.path).count > 3, "the session filled several segments")
        #expect(try log.segmentCount == 1, "readers still see only the acknowledged segment")
        let receipt = try session.commit()
        #expect(receipt.head.nextPosition == Position(next))
        let snapshot = try log.snapshot()
        #expect(snapshot.segments.dropLast().allSatisfy { $0.seal != nil }, "filled segments are sealed at commit")
        #expect(try log.verify().isIntact)
        try log.close()
        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        #expect(try reopened.head == receipt.head)
        #expect(try reopened.allRecords().map(\.payload) == (0..<next).map { Payloads.bytes(position: $0, length: 100) })
    }

    @Test func anAbortedSessionAcrossSegmentsRemovesTheSegmentsItCreated() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendRandom(10)
        let before = try segmentFiles(directory.path)
        let session = try log.beginAppend()
        for batch in 0..<10 { try session.write(entries(from: 10 + UInt64(batch) * 150, count: 150)) }
        #expect(try segmentFiles(directory.path).count > before.count)
        session.abort()
        #expect(try segmentFiles(directory.path) == before)
        try log.appendRandom(10)
        #expect(try log.verify().isIntact)
        try log.close()
        #expect(try FileLog.open(directory: directory.path, configuration: smallConfiguration()).head.nextPosition == Position(20))
    }

    /// A session killed at each of its reports (after begin, after every write, before commit)
    /// leaves nothing; killed after its commit returned, it leaves everything.
    @Test(.timeLimit(.minutes(3))) func aWriterKilledAtEverySessionBoundaryLeavesAllOrNothing() throws {
        var acknowledged: UInt64 = 0
        for (round, stopAfter) in (1...10).enumerated() {
            let child = try CrashChild(directory: directory.path, seed: UInt64(round + 1), segmentBytes: 1 << 19, mode: "session-step")
            var session: (start: UInt64, committing: UInt64?) = (acknowledged, nil)
            for report in 1...stopAfter {
                guard let line = child.nextLine() else { break }
                if line[0] == "begun" { session = (UInt64(line[1])!, nil) }
                if line[0] == "committing" { session.committing = UInt64(line[1]) }
                if line[0] == "ack" { acknowledged = UInt64(line[1])! }
                // The child waits after each report: the kill lands exactly at this boundary.
                if report < stopAfter { child.proceed() }
            }
            child.kill()
            let log = try FileLog.open(directory: directory.path)
            let next = try log.head.nextPosition.rawValue
            #expect(next == acknowledged, "round \(round): kill after \(stopAfter) reports; session began at \(session.start)")
            try expectIntact(log, records: next)
            try log.close()
        }
        #expect(acknowledged > 0)
    }

    /// A free-running session writer killed at random moments, mid-write included: after each
    /// reopen the log ends at an acknowledged commit or at the end of the commit in flight.
    @Test(.timeLimit(.minutes(3))) func aWriterKilledMidSessionLeavesAllOrNothing() throws {
        var generator = SystemRandomNumberGenerator()
        var acknowledged: UInt64 = 0
        for round in 0..<20 {
            let child = try CrashChild(directory: directory.path, seed: UInt64(100 + round), segmentBytes: 1 << 19, mode: "session")
            var committing: UInt64?
            let wanted = Int.random(in: 1...12, using: &generator)
            var seen = 0
            while seen < wanted, let line = child.nextLine() {
                if line[0] == "committing" { committing = UInt64(line[1]) }
                if line[0] == "ack" { acknowledged = UInt64(line[1])! }
                seen += 1
            }
            usleep(UInt32.random(in: 0...4_000, using: &generator))
            for line in child.kill() {
                if line[0] == "committing" { committing = UInt64(line[1]) }
                if line[0] == "ack" { acknowledged = UInt64(line[1])! }
            }
            let log = try FileLog.open(directory: directory.path)
            let next = try log.head.nextPosition.rawValue
            #expect(next == acknowledged || next == committing, "round \(round): log ends at \(next), acknowledged \(acknowledged), committing \(committing.map(String.init) ?? "-")")
            try expectIntact(log, records: next)
            acknowledged = next
            try log.close()
        }
    }

    /// Every record holds its deterministic bytes and the chain verifies.
    func expectIntact(_ log: FileLog, records: UInt64) throws {
        var position: UInt64 = 0
        try log.forEach(from: .zero) { record in
            #expect(Array(record.payload) == Payloads.bytes(position: position, length: Payloads.length(position: position)))
            position += 1
        }
        #expect(position == records)
        #expect(try log.verify().isIntact)
    }
}

/// The crash-test child process (LogCrashWriter), its reports read line by line.
final class CrashChild {
    let process = Process()
    let output = Pipe()
    let input = Pipe()
    private var buffer = ""

    init(directory: String, seed: UInt64, segmentBytes: Int, mode: String) throws {
        process.executableURL = URL(fileURLWithPath: try crashWriterPath())
        process.arguments = [directory, String(seed), String(segmentBytes), mode]
        process.standardOutput = output
        process.standardInput = input
        try process.run()
    }

    /// The next report, split into words; nil when the child has ended.
    func nextLine() -> [String]? {
        while true {
            if let newline = buffer.firstIndex(of: "\n") {
                let line = buffer[..<newline].split(separator: " ").map(String.init)
                buffer.removeSubrange(...newline)
                return line
            }
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { return nil }
            buffer += String(decoding: data, as: UTF8.self)
        }
    }

    /// Lets a stepping child go on to its next report.
    func proceed() { input.fileHandleForWriting.write(Data("go\n".utf8)) }

    /// SIGKILL, then the reports it made before dying that were not read yet.
    @discardableResult
    func kill() -> [[String]] {
        Glibc.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (buffer + rest).split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }
}

/// The crash-test child executable, built next to the test bundle.
func crashWriterPath() throws -> String {
    let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
    while directory.path != "/" {
        let candidate = directory.appendingPathComponent("LogCrashWriter").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        directory.deleteLastPathComponent()
    }
    throw LogError.invalidConfiguration("LogCrashWriter was not built next to \(executable); run `swift build --build-tests`")
}
