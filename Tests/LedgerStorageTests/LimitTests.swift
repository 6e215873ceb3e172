import Testing
@testable import LedgerStorage
import LogTestSupport

/// Every limit is checked when the log opens (configuration) and on every call (inputs).
@Suite struct LimitTests {
    let directory = TemporaryDirectory()

    func expectInvalid(_ change: (inout LogConfiguration) -> Void, mentioning words: String) {
        var configuration = LogConfiguration()
        change(&configuration)
        #expect {
            _ = try FileLog.open(directory: directory.path, configuration: configuration)
        } throws: { error in
            guard case LogError.invalidConfiguration(let reason) = error else { return false }
            return reason.contains(words)
        }
    }

    @Test func aRecordLargerThanABlockIsAnInvalidConfiguration() {
        expectInvalid({ $0.recordBytesMax = 2 << 20 }, mentioning: "must fit in one block")
    }

    @Test func aSegmentThatCannotHoldAMaximalAppendIsAnInvalidConfiguration() {
        expectInvalid({ $0.segmentBytesMax = 1 << 20 }, mentioning: "cannot hold a maximal append")
    }

    @Test func nonPositiveLimitsAreInvalid() {
        expectInvalid({ $0.recordsPerAppendMax = 0 }, mentioning: "recordsPerAppendMax")
        expectInvalid({ $0.appendBytesMax = 0 }, mentioning: "appendBytesMax")
        expectInvalid({ $0.openReadersMax = 0 }, mentioning: "openReadersMax")
        expectInvalid({ $0.compression = .lz4hc(level: 13) }, mentioning: "LZ4-HC level")
    }

    @Test func theSmallestValidSegmentIsAccepted() throws {
        var configuration = LogConfiguration()
        configuration.segmentBytesMax = configuration.segmentBytesRequired
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.append([LogEntry(payload: [UInt8](repeating: 1, count: configuration.recordBytesMax))])
        #expect(try log.verify().isIntact)
    }

    @Test func errorsSayWhatAndWhichLimit() {
        #expect(LogError.recordTooLarge(index: 3, bytes: 1_200_000, limit: 1_000_000).description
            == "record 3 of the append is 1200000 bytes; the limit is 1000000 bytes")
        #expect(LogError.locked(directory: "/x", holder: "writer pid 7").description.contains("writer pid 7"))
        let damage = LogDamage(file: "/x/00000000000000000000.segment", offset: 156, position: Position(12), reason: "bad")
        #expect(LogError.damaged(damage).description == "damaged log: /x/00000000000000000000.segment at offset 156, first bad position 12: bad")
    }

    @Test func lz4HighCompressionLogsRoundTripAndVerify() throws {
        var configuration = LogConfiguration()
        configuration.compression = .lz4hc(level: 9)
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendSample(500)
        let block = try log.snapshot().segments[0].blocks[0]
        #expect(try FileLogTestAccess.blockHeader(log, block).codec == .lz4hc)
        #expect(try log.allRecords().count == 500)
        #expect(try log.verify().isIntact)
    }
}
