import Foundation
import Synchronization
import Testing
@testable import LedgerStorage
import LogTestSupport

/// One writer, enforced by `flock` on the directory; readers alongside it; a writer killed mid-append.
@Suite struct ConcurrencyTests {
    let directory = TemporaryDirectory()

    @Test func aSecondWriterIsRefusedWhileTheFirstHoldsTheLock() throws {
        let first = try FileLog.open(directory: directory.path)
        #expect {
            _ = try FileLog.open(directory: directory.path)
        } throws: { error in
            guard case LogError.locked(let path, let holder) = error else { return false }
            return path == directory.path && holder.contains("pid \(getpid())")
        }
        try first.close()
        let second = try FileLog.open(directory: directory.path)
        try second.close()
    }

    /// The lock is on the directory itself: deleting files cannot let a second writer in, and no
    /// file with a stale pid is left to invite deleting it.
    @Test func aSecondWriterIsRefusedWhenTheLockFileIsDeletedWhileAnotherProcessWrites() throws {
        let child = try CrashChild(directory: directory.path, seed: 1, segmentBytes: 1 << 20, mode: "session-step")
        defer { child.kill() }
        #expect(child.nextLine()?.first == "begun", "the child holds the log")
        #expect(!FileManager.default.fileExists(atPath: directory.file(LogFiles.lock)), "no lock file with a pid")
        try? FileManager.default.removeItem(atPath: directory.file(LogFiles.lock))
        #expect {
            _ = try FileLog.open(directory: directory.path)
        } throws: { error in
            guard case LogError.locked(_, let holder) = error else { return false }
            return holder == "writer pid \(child.process.processIdentifier)"
        }
    }

    @Test func aReadOnlyOpenSeesTheDurablePrefixWhileAWriterHoldsTheLock() throws {
        let writer = try FileLog.open(directory: directory.path)
        try writer.appendSample(50)
        let reader = try FileLog.open(directory: directory.path, readOnly: true)
        #expect(try reader.head == writer.head)
        #expect(try reader.allRecords() == writer.allRecords())
        #expect(throws: LogError.readOnly) { try reader.append([LogEntry(payload: [])]) }
        #expect(try reader.verify().isIntact)
    }

    @Test func readersDuringAppendsSeeConsistentPrefixes() async throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendRandom(10)
        let done = Flag()
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                for _ in 0..<60 { try log.appendRandom(Int.random(in: 1...150)) }
                done.value.store(true, ordering: .releasing)
                return 0
            }
            for _ in 0..<3 {
                group.addTask {
                    var scans = 0
                    while !done.value.load(ordering: .acquiring) || scans == 0 {
                        var expected: UInt64 = 0
                        try log.forEach(from: .zero) { record in
                            #expect(record.position.rawValue == expected)
                            #expect(Array(record.payload) == Payloads.bytes(position: expected, length: 100))
                            expected += 1
                        }
                        #expect(expected >= 10)
                        scans += 1
                    }
                    return scans
                }
            }
            for try await _ in group {}
        }
        #expect(try log.verify().isIntact)
    }

    @Test func tooManyConcurrentReadersAreRefused() throws {
        var configuration = LogConfiguration()
        configuration.openReadersMax = 1
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendSample(3)
        try log.forEach(from: .zero) { _ in
            #expect(throws: LogError.tooManyReaders(limit: 1)) { _ = try log.records(from: .zero) }
        }
        #expect(try log.records(from: .zero).count == 3, "the slot is free again after the scan")
    }

    /// Kills a writer process with SIGKILL at random moments mid-append, many times; after each
    /// kill every acknowledged record is present with its exact bytes and the chain verifies.
    @Test(.timeLimit(.minutes(5))) func aWriterKilledMidAppendLosesNoAcknowledgedRecord() throws {
        try killWriterRounds(mode: "append")
    }

    /// The same with deferred durability (the query audit log's `written` mode): a process
    /// killed at random moments, mid-append or mid-sync, loses nothing it wrote, synced or not —
    /// the page cache holds it, and the next writer makes it durable before acknowledging it.
    @Test(.timeLimit(.minutes(5))) func aDeferredWriterKilledMidAppendLosesNoWrittenRecord() throws {
        try killWriterRounds(mode: "deferred")
    }

    private func killWriterRounds(mode: String) throws {
        let child = try crashWriterPath()
        var generator = SystemRandomNumberGenerator()
        var lastAcknowledged: UInt64 = 0
        for round in 0..<25 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: child)
            // Small segments so kills also land while segments are sealed and started.
            process.arguments = [directory.path, String(round + 1), String(1 << 20), mode]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let acksWanted = Int.random(in: 1...6, using: &generator)
            var acks = 0
            var buffer = ""
            while acks < acksWanted {
                let data = output.fileHandleForReading.availableData
                if data.isEmpty { break }
                buffer += String(decoding: data, as: UTF8.self)
                while let newline = buffer.firstIndex(of: "\n") {
                    let line = buffer[..<newline].split(separator: " ")
                    buffer.removeSubrange(...newline)
                    if line.first == "ack", let next = UInt64(line[1]) {
                        lastAcknowledged = max(lastAcknowledged, next)
                        acks += 1
                    }
                }
            }
            usleep(UInt32.random(in: 0...3_000, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            // Whatever the child printed before dying was acknowledged too.
            let rest = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            for line in (buffer + rest).split(separator: "\n") {
                let parts = line.split(separator: " ")
                if parts.first == "ack", parts.count == 3, let next = UInt64(parts[1]) { lastAcknowledged = max(lastAcknowledged, next) }
            }
            #expect(acks > 0, "the child acknowledged nothing in round \(round)")

            let log = try FileLog.open(directory: directory.path)
            let head = try log.head
            #expect(head.nextPosition.rawValue >= lastAcknowledged, "round \(round): acknowledged records lost")
            var position: UInt64 = 0
            try log.forEach(from: .zero) { record in
                #expect(Array(record.payload) == Payloads.bytes(position: position, length: Payloads.length(position: position)))
                position += 1
            }
            #expect(position == head.nextPosition.rawValue)
            let report = try log.verify()
            #expect(report.isIntact, "round \(round): \(report)")
            #expect(report.chainHash == head.chainHash)
            try log.close()
        }
        #expect(lastAcknowledged > 0)
    }
}

/// A flag several tasks share.
final class Flag: Sendable {
    let value = Atomic<Bool>(false)
}
