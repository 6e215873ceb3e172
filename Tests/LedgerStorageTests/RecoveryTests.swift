import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// Recovery on open: a torn tail (an unacknowledged write) is cut off; damage to acknowledged
/// data, a header, a seal or the manifest is refused with its location.
@Suite struct RecoveryTests {
    let directory = TemporaryDirectory()

    @Test func reopeningAfterACleanCloseServesEveryRecordAndTheSameHead() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(100)
        try log.appendSample(1, length: 0)
        let head = try log.head
        let records = try log.allRecords()
        try log.close()

        let reopened = try FileLog.open(directory: directory.path)
        #expect(try reopened.head == head)
        #expect(try reopened.allRecords() == records)
        try reopened.appendSample(5)
        #expect(try reopened.verify().isIntact)
    }

    @Test func incompressibleBlocksAreStoredRawAndRoundTrip() throws {
        let log = try FileLog.open(directory: directory.path)
        let payloads = (0..<20).map { Payloads.bytes(position: UInt64($0), length: 10_000) }
        try log.append(payloads.map { LogEntry(payload: $0) })
        let block = try log.snapshot().segments[0].blocks[0]
        let header = try FileLogTestAccess.blockHeader(log, block)
        #expect(header.codec == .none)
        #expect(try log.allRecords().map(\.payload) == payloads)

        try log.appendSample(200)
        let textBlock = try log.snapshot().segments[0].blocks.last!
        #expect(try FileLogTestAccess.blockHeader(log, textBlock).codec == .lz4)
    }

    /// Appends a first batch (acknowledged), keeps the checkpoint as it stood, appends a last
    /// batch, then for every length the file could have had while that last write was torn,
    /// restores the old checkpoint and reopens.
    @Test func aTornTailIsCutOffAtEveryByteOffsetOfTheLastBlock() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(30)
        let acknowledged = try log.allRecords()
        let acknowledgedHead = try log.head
        let checkpoint = try Tamper.read(directory.file(LogFiles.checkpoint))
        let tornStart = try log.snapshot().segments[0].dataEnd
        try log.appendSample(3, length: 40)
        let fullLength = try log.snapshot().segments[0].dataEnd
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        let complete = try Tamper.read(segment)
        #expect(fullLength - tornStart > Int64(BlockHeader.size))

        for length in tornStart..<fullLength {
            try Tamper.write(complete.prefix(Int(length)), to: segment)
            try Tamper.write(checkpoint, to: directory.file(LogFiles.checkpoint))
            let reopened = try FileLog.open(directory: directory.path)
            #expect(try reopened.head == acknowledgedHead, "torn at \(length)")
            #expect(try reopened.allRecords() == acknowledged, "torn at \(length)")
            #expect(try Tamper.length(segment) == tornStart, "the torn bytes are truncated")
            try reopened.close()
        }
        // After recovery the log takes appends again and the chain verifies.
        let reopened = try FileLog.open(directory: directory.path)
        try reopened.appendSample(2)
        #expect(try reopened.verify().isIntact)
        #expect(try reopened.head.nextPosition == Position(32))
    }

    @Test func aPartialAppendIsCutBackToTheLastWholeAppend() throws {
        var configuration = smallConfiguration()
        configuration.compression = .none
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendSample(10)
        let checkpoint = try Tamper.read(directory.file(LogFiles.checkpoint))
        let acknowledgedEnd = try log.snapshot().segments[0].dataEnd
        // One append that spans several blocks; keep only its first, complete block.
        try log.appendSample(150, length: 100)
        let blocks = try log.snapshot().segments[0].blocks.filter { $0.offset >= acknowledgedEnd }
        #expect(blocks.count > 1)
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        try Tamper.truncate(segment, to: blocks[0].end)
        try Tamper.write(checkpoint, to: directory.file(LogFiles.checkpoint))

        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        #expect(try reopened.head.nextPosition == Position(10))
    }

    @Test func acknowledgedRecordsMissingFromTheTailAreRefusedNotCutOff() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(10)
        try log.appendSample(10)
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        try Tamper.truncate(segment, to: try Tamper.length(segment) - 1)

        let damage = expectDamage { _ = try FileLog.open(directory: directory.path) }
        #expect(damage?.file == segment)
        #expect(damage?.position == Position(10))
        #expect(damage?.reason.contains("acknowledged") == true)
        #expect(try Tamper.length(segment) > 0, "nothing is truncated when open refuses")
    }

    @Test func aFlippedBitInAnAcknowledgedTailBlockIsRefusedOnOpen() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(10)
        try log.appendSample(10)
        let offsets = try blockOffsets(log)
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        let lengthBefore = try Tamper.length(segment)
        try Tamper.flipBit(segment, at: offsets[0] + Int64(BlockHeader.size) + 7)

        let damage = expectDamage { _ = try FileLog.open(directory: directory.path) }
        #expect(damage?.file == segment)
        #expect(damage?.offset == offsets[0])
        #expect(damage?.position == Position(0))
        #expect(damage?.reason.contains("CRC-32C") == true)
        #expect(try Tamper.length(segment) == lengthBefore)
    }

    @Test func aFlippedBitInTheSegmentHeaderIsRefusedOnOpenAndReportedByVerify() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(10)
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        try Tamper.flipBit(segment, at: 20, bit: 3)

        let damage = expectDamage { _ = try FileLog.open(directory: directory.path) }
        #expect(damage?.file == segment)
        #expect(damage?.offset == 0)
        let report = try FileLog.verify(directory: directory.path)
        #expect(report.damage?.file == segment)
        #expect(report.damage?.offset == 0)
    }

    @Test func aDamagedManifestIsRefused() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        for _ in 0..<20 { try log.appendRandom(100) }
        #expect(try log.segmentCount > 1)
        try log.close()
        try Tamper.flipBit(directory.file(LogFiles.manifest), at: 30)
        let damage = expectDamage { _ = try FileLog.open(directory: directory.path, configuration: smallConfiguration()) }
        #expect(damage?.file == directory.file(LogFiles.manifest))
    }

    @Test func aMissingSealedSegmentIsRefused() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        for _ in 0..<20 { try log.appendRandom(100) }
        try log.close()
        let segments = try segmentFiles(directory.path)
        #expect(segments.count >= 3)
        try FileManager.default.removeItem(atPath: segments[1])
        let damage = expectDamage { _ = try FileLog.open(directory: directory.path, configuration: smallConfiguration()) }
        #expect(damage?.file == segments[1])
        #expect(damage?.reason.contains("missing") == true)
    }
}


/// Recovery never destroys on the say-so of one damaged structure: a tail is cut only when the
/// checkpoint (two copies) and the blocks agree it was never acknowledged; anything else is
/// refused with its location and left as it is. (The findings of an adversarial test.)
@Suite struct RecoveryWitnessTests {
    let directory = TemporaryDirectory()

    /// A log of five appends of 20 records, closed: (segment path, block offsets, head).
    func fiveAppends() throws -> (segment: String, offsets: [Int64], head: LogHead) {
        let log = try FileLog.open(directory: directory.path)
        for _ in 0..<5 { try log.appendSample(20) }
        let offsets = try blockOffsets(log)
        let head = try log.head
        try log.close()
        return (try segmentFiles(directory.path)[0], offsets, head)
    }

    func damageBothCheckpointCopies() throws {
        for offset in CheckpointFile.copyOffsets { try Tamper.flipBit(directory.file(LogFiles.checkpoint), at: offset + 9) }
    }

    /// Opening as writer and as reader, and verifying, all refuse; nothing is written.
    func expectRefusedUntouched(_ segment: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> LogDamage? {
        let bytes = try Tamper.read(segment)
        let damage = expectDamage({ _ = try FileLog.open(directory: directory.path) }, sourceLocation: sourceLocation)
        _ = expectDamage({ _ = try FileLog.open(directory: directory.path, readOnly: true) }, sourceLocation: sourceLocation)
        let report = try FileLog.verify(directory: directory.path)
        #expect(!report.isIntact, "verify must not say ok", sourceLocation: sourceLocation)
        #expect(try Tamper.read(segment) == bytes, "nothing is truncated or rewritten", sourceLocation: sourceLocation)
        return damage
    }

    @Test func aDamagedCheckpointWithAFlippedByteInTheFirstBlockIsRefusedNotTruncated() throws {
        let (segment, offsets, _) = try fiveAppends()
        try damageBothCheckpointCopies()
        try Tamper.flipBit(segment, at: offsets[0] + Int64(BlockHeader.size) + 5)
        let damage = try expectRefusedUntouched(segment)
        #expect(damage?.reason.contains("checkpoint") == true)
    }

    @Test func aDeletedCheckpointWithAFlippedByteInTheFirstBlockIsRefusedNotTruncated() throws {
        let (segment, offsets, _) = try fiveAppends()
        try FileManager.default.removeItem(atPath: directory.file(LogFiles.checkpoint))
        try Tamper.flipBit(segment, at: offsets[0] + Int64(BlockHeader.size) + 5)
        let damage = try expectRefusedUntouched(segment)
        #expect(damage?.file == directory.file(LogFiles.checkpoint))
        #expect(!FileManager.default.fileExists(atPath: directory.file(LogFiles.checkpoint)), "a refused open creates nothing")
    }

    @Test func aDamagedCheckpointWithAFlippedByteInTheLastBlockIsRefusedNotTruncated() throws {
        let (segment, offsets, _) = try fiveAppends()
        try damageBothCheckpointCopies()
        try Tamper.flipBit(segment, at: offsets.last! + Int64(BlockHeader.size) + 5)
        _ = try expectRefusedUntouched(segment)
    }

    @Test func aDeletedSegmentIsRefusedNotAnEmptyLog() throws {
        let (segment, _, _) = try fiveAppends()
        let checkpoint = try Tamper.read(directory.file(LogFiles.checkpoint))
        try FileManager.default.removeItem(atPath: segment)
        let damage = expectDamage { _ = try FileLog.open(directory: directory.path) }
        #expect(damage?.file == segment)
        #expect(damage?.reason.contains("missing") == true)
        _ = expectDamage { _ = try FileLog.open(directory: directory.path, readOnly: true) }
        #expect(!(try FileLog.verify(directory: directory.path)).isIntact)
        #expect(!FileManager.default.fileExists(atPath: segment), "no empty segment is created in its place")
        #expect(try Tamper.read(directory.file(LogFiles.checkpoint)) == checkpoint, "the checkpoint, the last evidence, is kept")
    }

    @Test func aSegmentCutAtAnAppendBoundaryWithTheCheckpointDeletedIsRefused() throws {
        let (segment, offsets, _) = try fiveAppends()
        try FileManager.default.removeItem(atPath: directory.file(LogFiles.checkpoint))
        try Tamper.truncate(segment, to: offsets[3])
        let damage = try expectRefusedUntouched(segment)
        #expect(damage?.file == directory.file(LogFiles.checkpoint))
    }

    @Test func aSegmentCutAtAnAppendBoundaryShorterThanTheCheckpointIsRefused() throws {
        let (segment, offsets, _) = try fiveAppends()
        try Tamper.truncate(segment, to: offsets[3])
        let damage = try expectRefusedUntouched(segment)
        #expect(damage?.file == segment)
        #expect(damage?.reason.contains("acknowledged") == true)
    }

    /// One damaged copy of the checkpoint leaves the other: a torn tail is still recognised and cut.
    @Test func aTornTailIsCutWhenOneCheckpointCopyIsDamaged() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(30)
        let acknowledged = try log.head
        let checkpoint = try Tamper.read(directory.file(LogFiles.checkpoint))
        let tornStart = try log.snapshot().segments[0].dataEnd
        try log.appendSample(30)
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        try Tamper.truncate(segment, to: tornStart + 100)
        try Tamper.write(checkpoint, to: directory.file(LogFiles.checkpoint))
        try Tamper.flipBit(directory.file(LogFiles.checkpoint), at: CheckpointFile.copyOffsets[0] + 12)

        let reopened = try FileLog.open(directory: directory.path)
        #expect(try reopened.head == acknowledged)
        #expect(try Tamper.length(segment) == tornStart)
    }

    /// Only a writer repairs: a read-only open of a torn tail serves the acknowledged prefix and
    /// changes no byte.
    @Test func aReadOnlyOpenOfATornTailWritesNothing() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(30)
        let acknowledged = try log.head
        let checkpoint = try Tamper.read(directory.file(LogFiles.checkpoint))
        let tornStart = try log.snapshot().segments[0].dataEnd
        try log.appendSample(30)
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        try Tamper.truncate(segment, to: tornStart + 100)
        try Tamper.write(checkpoint, to: directory.file(LogFiles.checkpoint))
        let before = try Tamper.read(segment)

        let reader = try FileLog.open(directory: directory.path, readOnly: true)
        #expect(try reader.head == acknowledged)
        #expect(try reader.allRecords().count == 30)
        #expect(try Tamper.read(segment) == before)
        #expect(try Tamper.read(directory.file(LogFiles.checkpoint)) == checkpoint)
    }
}

/// Test access to on-disk structures through the library's own decoders.
enum FileLogTestAccess {
    static func blockHeader(_ log: FileLog, _ ref: BlockRef) throws -> BlockHeader {
        let segment = try log.snapshot().segments.last { $0.firstPosition <= ref.firstPosition }!
        let bytes = try segment.file.read(count: BlockHeader.size, at: ref.offset)
        return try bytes.withUnsafeBytes { BlockHeader.decode($0) }.get()
    }
}
