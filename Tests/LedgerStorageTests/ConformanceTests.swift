import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// The contract of ``RecordLog``, written against the protocol so every backend runs the same
/// checks. Each backend supplies a factory that opens a fresh, empty log.
struct LogConformance {
    let open: @Sendable () throws -> any RecordLog

    func recordsOfEverySizeRoundTrip() async throws {
        let log = try open()
        let sizes = [0, 1, 19, 20, 21, 200, 4_095, 4_096, 65_536, 999_999, 1_000_000]
        let entries = sizes.enumerated().map { LogEntry(payload: Payloads.bytes(position: UInt64($0.offset), length: $0.element)) }
        let receipt = try await log.append(entries)
        #expect(receipt.positions == Position(0)..<Position(UInt64(sizes.count)))
        let back = try await log.records(from: .zero, limit: 100)
        #expect(back.map(\.payload) == entries.map(\.payload))
        #expect(back.map(\.position) == (0..<UInt64(sizes.count)).map { Position($0) })
        #expect(back.map(\.recordedTime) == receipt.recordedTimes)
        try await log.close()
    }

    func positionsAreGapFreeAcrossAppends() async throws {
        let log = try open()
        var expected: UInt64 = 0
        for count in [1, 5, 200, 3, 77] {
            let receipt = try await log.append((0..<count).map { _ in LogEntry(payload: Array("x".utf8)) })
            #expect(receipt.firstPosition == Position(expected))
            expected += UInt64(count)
            #expect(receipt.head.nextPosition == Position(expected))
        }
        let all = try await log.records(from: .zero, limit: .max)
        #expect(all.map(\.position.rawValue) == Array(0..<expected))
        try await log.close()
    }

    func recordedTimesStrictlyIncreaseEvenWhenTheClockStalls() async throws {
        let log = try open()
        let first = try await log.append((0..<50).map { _ in LogEntry(payload: []) })
        let second = try await log.append((0..<50).map { _ in LogEntry(payload: []) })
        let times = first.recordedTimes + second.recordedTimes
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        try await log.close()
    }

    func callerSuppliedTimesAreKeptAndMustIncrease() async throws {
        let log = try open()
        let t0 = RecordedTime(microsecondsSinceEpoch: 1_600_000_000_000_000)
        let receipt = try await log.append([
            LogEntry(payload: [1], recordedTime: t0), LogEntry(payload: [2], recordedTime: t0.adding(microseconds: 5)),
        ])
        #expect(receipt.recordedTimes == [t0, t0.adding(microseconds: 5)])
        do {
            _ = try await log.append([LogEntry(payload: [3], recordedTime: t0.adding(microseconds: 5))])
            Issue.record("a recorded time equal to the previous one was accepted")
        } catch {
            #expect(error == .recordedTimeNotIncreasing(index: 0, given: t0.adding(microseconds: 5), previous: t0.adding(microseconds: 5)))
        }
        #expect(try log.head.nextPosition == Position(2))
        try await log.close()
    }

    func aRefusedAppendAppendsNothing() async throws {
        let log = try open()
        try await log.append([LogEntry(payload: [1])])
        let before = try log.head
        let late = RecordedTime(microsecondsSinceEpoch: 1)
        do {
            _ = try await log.append([LogEntry(payload: [2]), LogEntry(payload: [3], recordedTime: late)])
            Issue.record("an append with a backwards recorded time was accepted")
        } catch {
            guard case .recordedTimeNotIncreasing(index: 1, _, _) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
        #expect(try log.head == before)
        #expect(try await log.records(from: .zero, limit: 10).count == 1)
        try await log.close()
    }

    func timeCutsSelectEverythingRecordedUpToAnInstant() async throws {
        let log = try open()
        let base: Int64 = 1_700_000_000_000_000
        // Records at base + 10, 20, …, 1000 µs.
        let entries = (1...100).map {
            LogEntry(payload: [UInt8($0)], recordedTime: RecordedTime(microsecondsSinceEpoch: base + Int64($0) * 10))
        }
        for chunk in stride(from: 0, to: 100, by: 30) {
            try await log.append(Array(entries[chunk..<min(chunk + 30, 100)]))
        }
        func cut(_ offset: Int64) async throws -> UInt64 {
            try await log.endPosition(recordedThrough: RecordedTime(microsecondsSinceEpoch: base + offset)).rawValue
        }
        #expect(try await cut(0) == 0)        // before the first record
        #expect(try await cut(9) == 0)
        #expect(try await cut(10) == 1)       // exactly at the first
        #expect(try await cut(15) == 1)       // between records
        #expect(try await cut(300) == 30)     // at the last record of the first append
        #expect(try await cut(305) == 30)     // between appends
        #expect(try await cut(310) == 31)
        #expect(try await cut(555) == 55)
        #expect(try await cut(1000) == 100)   // at the last
        #expect(try await cut(5_000_000) == 100) // after the last
        try await log.close()
    }

    func headHashIsTheChainOverCanonicalRecordBytes() async throws {
        let log = try open()
        let receipt = try await log.append([LogEntry(payload: Array("abc".utf8)), LogEntry(payload: [])])
        let expected = HashChain(.genesis, frameBytesMax: 64)
        for (index, payload) in [Array("abc".utf8), []].enumerated() {
            var frame = ByteWriter(capacity: 32)
            frame.u64(UInt64(index))
            frame.i64(receipt.recordedTimes[index].microsecondsSinceEpoch)
            frame.u32(UInt32(payload.count))
            frame.raw(payload)
            frame.bytes.withUnsafeBytes { expected.advance(over: $0) }
        }
        #expect(try log.head.chainHash == expected.hash)
        let report = try await log.verify(nil)
        #expect(report.isIntact)
        #expect(report.chainHash == expected.hash)
        #expect(report.records == 2)
        try await log.close()
    }

    func limitsAreEnforcedWithErrorsNamingThem() async throws {
        let log = try open()
        let oversized = [LogEntry(payload: []), LogEntry(payload: [UInt8](repeating: 0, count: 1_000_001))]
        await #expect(throws: LogError.recordTooLarge(index: 1, bytes: 1_000_001, limit: 1_000_000)) {
            _ = try await log.append(oversized)
        }
        await #expect(throws: LogError.tooManyRecords(count: 100_001, limit: 100_000)) {
            _ = try await log.append([LogEntry](repeating: LogEntry(payload: []), count: 100_001))
        }
        let big = LogEntry(payload: [UInt8](repeating: 7, count: 1_000_000))
        await #expect(throws: LogError.appendTooLarge(bytes: 68_000_000, limit: 64 << 20)) {
            _ = try await log.append([LogEntry](repeating: big, count: 68))
        }
        await #expect(throws: LogError.positionOutOfRange(requested: Position(1), end: Position(0))) {
            _ = try await log.records(from: Position(1), limit: 1)
        }
        #expect(try log.head == .empty)
        try await log.close()
        await #expect(throws: LogError.closed) { _ = try await log.append([LogEntry(payload: [])]) }
    }
}

@Suite struct FileLogConformanceTests {
    let directory = TemporaryDirectory()
    var suite: LogConformance {
        let path = directory.path
        return LogConformance { try FileLog.open(directory: path + "/log-\(UUID().uuidString.prefix(6))") }
    }

    @Test func recordsOfEverySizeClassRoundTrip() async throws { try await suite.recordsOfEverySizeRoundTrip() }
    @Test func positionsAreGapFreeAcrossAppends() async throws { try await suite.positionsAreGapFreeAcrossAppends() }
    @Test func recordedTimesStrictlyIncrease() async throws { try await suite.recordedTimesStrictlyIncreaseEvenWhenTheClockStalls() }
    @Test func callerSuppliedTimesAreKeptAndMustIncrease() async throws { try await suite.callerSuppliedTimesAreKeptAndMustIncrease() }
    @Test func aRefusedAppendAppendsNothing() async throws { try await suite.aRefusedAppendAppendsNothing() }
    @Test func timeCutsSelectEverythingRecordedUpToAnInstant() async throws { try await suite.timeCutsSelectEverythingRecordedUpToAnInstant() }
    @Test func headHashIsTheChainOverCanonicalRecordBytes() async throws { try await suite.headHashIsTheChainOverCanonicalRecordBytes() }
    @Test func limitsAreEnforcedWithErrorsNamingThem() async throws { try await suite.limitsAreEnforcedWithErrorsNamingThem() }
}
