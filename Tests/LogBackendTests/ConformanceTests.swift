import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// The contract of ``RecordLog``, written against the protocol so every backend runs the same
/// checks: each test opens a fresh, empty log in a place of its own on the backend.
struct LogConformance {
    let place: LogPlace

    init(_ backend: Backend) { place = LogPlace(backend) }

    func open(_ configuration: LogConfiguration = LogConfiguration()) async throws -> any RecordLog {
        try await place.open(configuration)
    }

    func recordsOfEverySizeRoundTrip() async throws {
        let log = try await open()
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
        let log = try await open()
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
        let log = try await open()
        let first = try await log.append((0..<50).map { _ in LogEntry(payload: []) })
        let second = try await log.append((0..<50).map { _ in LogEntry(payload: []) })
        let times = first.recordedTimes + second.recordedTimes
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        try await log.close()
    }

    func callerSuppliedTimesAreKeptAndMustIncrease() async throws {
        let log = try await open()
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
        let log = try await open()
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
        let log = try await open()
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
        let log = try await open()
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
        let log = try await open()
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

    func verifyRecomputesTheChainAndNamesTheDamagedRecord() async throws {
        let log = try await open()
        var firsts: [Position] = []
        for append in 0..<4 {
            let receipt = try await log.append((0..<50).map { LogEntry(payload: Payloads.text(position: UInt64(append * 50 + $0), length: 300)) })
            firsts.append(receipt.firstPosition)
        }
        let intact = try await log.verify(nil)
        #expect(intact.isIntact)
        #expect(intact.records == 200)
        #expect(try intact.chainHash == log.head.chainHash)
        let part = try await log.verify(Position(60)..<Position(120))
        #expect(part.isIntact)
        #expect(part.records >= 60)
        try await place.damagePayload(ofAppendAt: firsts[2])
        let damaged = try await log.verify(nil)
        #expect(!damaged.isIntact)
        #expect(damaged.damage?.position == firsts[2])
        #expect(damaged.damage?.reason.contains("CRC-32C") == true)
        // A read over the damage refuses it; a read before it is served.
        await #expect(throws: LogError.self) { _ = try await log.records(from: firsts[2], limit: 10) }
        #expect(try await log.records(from: .zero, limit: 100).count == 100)
        try await log.close()
    }

    func concurrentReadersSeeTheSameRecords() async throws {
        let log = try await open()
        for append in 0..<10 {
            try await log.append((0..<100).map { LogEntry(payload: Payloads.bytes(position: UInt64(append * 100 + $0), length: 64)) })
        }
        let end = try log.head.nextPosition
        let sums = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for reader in 0..<8 {
                group.addTask {
                    var sums: [UInt64] = []
                    try await log.forEach(from: Position(UInt64(reader * 50)), to: end) { record in
                        sums.append(record.position.rawValue &* 31 &+ UInt64(record.payload.reduce(0) { $0 &+ UInt64($1) }))
                    }
                    return sums
                }
            }
            var all: [[UInt64]] = []
            for try await sums in group { all.append(sums) }
            return all
        }
        let expected = (0..<UInt64(1000)).map { $0 &* 31 &+ UInt64(Payloads.bytes(position: $0, length: 64).reduce(0) { $0 &+ UInt64($1) }) }
        #expect(sums.count == 8)
        for sums in sums { #expect(sums == Array(expected.suffix(sums.count))) }
        try await log.close()
    }

    func aSecondHandleSeesTheHistoryAndContinuesIt() async throws {
        let first = try await open()
        let receipt = try await first.append((0..<20).map { LogEntry(payload: Payloads.text(position: UInt64($0), length: 40)) })
        try await first.close()
        let second = try await open()
        #expect(try second.head == receipt.head)
        let more = try await second.append([LogEntry(payload: [1, 2, 3])])
        #expect(more.firstPosition == Position(20))
        #expect(try await second.records(from: Position(19), limit: 5).map(\.position.rawValue) == [19, 20])
        #expect(try await second.verify(nil).isIntact)
        try await second.close()
    }
}

/// The conformance suite on every backend.
@Suite struct LogConformanceTests {
    @Test(arguments: Backend.allCases) func recordsOfEverySizeClassRoundTrip(_ backend: Backend) async throws {
        try await LogConformance(backend).recordsOfEverySizeRoundTrip()
    }
    @Test(arguments: Backend.allCases) func positionsAreGapFreeAcrossAppends(_ backend: Backend) async throws {
        try await LogConformance(backend).positionsAreGapFreeAcrossAppends()
    }
    @Test(arguments: Backend.allCases) func recordedTimesStrictlyIncrease(_ backend: Backend) async throws {
        try await LogConformance(backend).recordedTimesStrictlyIncreaseEvenWhenTheClockStalls()
    }
    @Test(arguments: Backend.allCases) func callerSuppliedTimesAreKeptAndMustIncrease(_ backend: Backend) async throws {
        try await LogConformance(backend).callerSuppliedTimesAreKeptAndMustIncrease()
    }
    @Test(arguments: Backend.allCases) func aRefusedAppendAppendsNothing(_ backend: Backend) async throws {
        try await LogConformance(backend).aRefusedAppendAppendsNothing()
    }
    @Test(arguments: Backend.allCases) func timeCutsSelectEverythingRecordedUpToAnInstant(_ backend: Backend) async throws {
        try await LogConformance(backend).timeCutsSelectEverythingRecordedUpToAnInstant()
    }
    @Test(arguments: Backend.allCases) func headHashIsTheChainOverCanonicalRecordBytes(_ backend: Backend) async throws {
        try await LogConformance(backend).headHashIsTheChainOverCanonicalRecordBytes()
    }
    @Test(arguments: Backend.allCases) func limitsAreEnforcedWithErrorsNamingThem(_ backend: Backend) async throws {
        try await LogConformance(backend).limitsAreEnforcedWithErrorsNamingThem()
    }
    @Test(arguments: Backend.allCases) func verifyRecomputesTheChainAndNamesTheDamagedRecord(_ backend: Backend) async throws {
        try await LogConformance(backend).verifyRecomputesTheChainAndNamesTheDamagedRecord()
    }
    @Test(arguments: Backend.allCases) func concurrentReadersSeeTheSameRecords(_ backend: Backend) async throws {
        try await LogConformance(backend).concurrentReadersSeeTheSameRecords()
    }
    @Test(arguments: Backend.allCases) func aSecondHandleSeesTheHistoryAndContinuesIt(_ backend: Backend) async throws {
        try await LogConformance(backend).aSecondHandleSeesTheHistoryAndContinuesIt()
    }
}
