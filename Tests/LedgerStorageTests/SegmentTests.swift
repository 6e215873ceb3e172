import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// Segments fill, are sealed, and are listed in the manifest; their block indexes are derived
/// and rebuilt when lost; damage in a sealed segment is caught by reads and by verify.
@Suite struct SegmentTests {
    let directory = TemporaryDirectory()
    let configuration = smallConfiguration()

    func filledLog(appends: Int = 20) throws -> FileLog {
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        for _ in 0..<appends { try log.appendRandom(100) }
        return log
    }

    @Test func fullSegmentsAreSealedAndNeverExceedTheirLimit() throws {
        let log = try filledLog()
        let snapshot = try log.snapshot()
        #expect(snapshot.segments.count >= 3)
        for segment in snapshot.segments.dropLast() {
            #expect(segment.seal != nil)
            #expect(try Tamper.length(segment.path) <= Int64(configuration.segmentBytesMax))
            #expect(segment.seal?.chainHash != nil)
        }
        #expect(snapshot.segments.last?.seal == nil)
        #expect(try log.verify().isIntact)
        #expect(try log.allRecords().count == 2_000)
    }

    @Test func reopeningASealedLogUsesTheSavedIndexesOrRebuildsThem() throws {
        let log = try filledLog()
        let head = try log.head
        let records = try log.allRecords()
        try log.close()
        let indexes = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".index") }
        #expect(!indexes.isEmpty)
        try FileManager.default.removeItem(atPath: directory.file(indexes[0]))
        try Tamper.flipBit(directory.file(indexes.last!), at: 17)

        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        #expect(try reopened.head == head)
        #expect(try reopened.allRecords() == records)
        #expect(FileManager.default.fileExists(atPath: directory.file(indexes[0])), "the lost index is rebuilt")
    }

    @Test func aFlippedBitInASealedBlockBodyIsDetectedByReadAndByVerify() throws {
        let log = try filledLog()
        let sealed = try log.snapshot().segments[0]
        let target = sealed.blocks[1]
        try log.close()
        try Tamper.flipBit(sealed.path, at: target.offset + Int64(BlockHeader.size) + 3)

        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        let damage = expectDamage { _ = try reopened.allRecords() }
        #expect(damage?.file == sealed.path)
        #expect(damage?.offset == target.offset)
        #expect(damage?.position == target.firstPosition)
        let report = try reopened.verify()
        #expect(report.damage?.offset == target.offset)
        #expect(report.damage?.position == target.firstPosition)
        #expect(try reopened.records(from: .zero, limit: Int(target.firstPosition.rawValue)).count
            == Int(target.firstPosition.rawValue), "records before the damage are still served")
    }

    @Test func aFlippedBitInASealedBlockHeaderIsDetectedByReadAndByVerify() throws {
        let log = try filledLog()
        let sealed = try log.snapshot().segments[1]
        let target = sealed.blocks[0]
        try log.close()
        try Tamper.flipBit(sealed.path, at: target.offset + 60)

        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        let damage = expectDamage { _ = try reopened.records(from: target.firstPosition, limit: 1) }
        #expect(damage?.file == sealed.path)
        #expect(damage?.offset == target.offset)
        #expect(damage?.reason.contains("block header") == true)
        let report = try FileLog.verify(directory: directory.path, configuration: configuration)
        #expect(report.damage?.offset == target.offset)
    }

    @Test func aFlippedBitInASealIsRefusedOnOpenAndReportedByVerify() throws {
        let log = try filledLog()
        let sealed = try log.snapshot().segments[0]
        try log.close()
        try Tamper.flipBit(sealed.path, at: sealed.dataEnd + 30)

        let damage = expectDamage { _ = try FileLog.open(directory: directory.path, configuration: configuration) }
        #expect(damage?.file == sealed.path)
        let report = try FileLog.verify(directory: directory.path, configuration: configuration)
        #expect(report.damage?.file == sealed.path)
    }

    @Test func aRewrittenRecordWithRecomputedChecksumsBreaksTheChain() throws {
        // An attacker who rewrites a block and fixes its CRCs still cannot fix the chain: the
        // next block header, the seal and the head hash all disagree.
        var configuration = self.configuration
        configuration.compression = .none
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendSample(20, length: 50)
        try log.appendSample(20, length: 50)
        let target = try log.snapshot().segments[0].blocks[0]
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        var bytes = try Tamper.read(segment)
        let payloadStart = Int(target.offset) + BlockHeader.size
        bytes[payloadStart + RecordFrame.overhead] ^= 0x20   // change one payload letter's case
        let storedCRC = bytes.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[payloadStart..<payloadStart + Int(target.storedLength)]))
        }
        withUnsafeBytes(of: storedCRC.littleEndian) { bytes.replaceSubrange(Int(target.offset) + 20..<Int(target.offset) + 24, with: $0) }
        let headerCRC = bytes.withUnsafeBytes { raw in
            CRC32C.checksum(UnsafeRawBufferPointer(rebasing: raw[Int(target.offset)..<Int(target.offset) + BlockHeader.size - 4]))
        }
        withUnsafeBytes(of: headerCRC.littleEndian) {
            bytes.replaceSubrange(Int(target.offset) + BlockHeader.size - 4..<Int(target.offset) + BlockHeader.size, with: $0)
        }
        try Tamper.write(bytes, to: segment)

        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        let report = try reopened.verify()
        #expect(report.damage?.position == Position(0))
        #expect(report.damage?.reason.contains("hash chain broken") == true)
    }
}


/// `verify(range)` checks the blocks holding the range, starting from the chain hash stored
/// before them: damage inside the range is reported, damage outside it is not.
@Suite struct RangeVerificationTests {
    let directory = TemporaryDirectory()

    @Test func aRangeCheckReportsDamageInsideItAndOnlyThere() throws {
        var configuration = smallConfiguration()
        configuration.compression = .none
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        for _ in 0..<30 { try log.appendRandom(50) }
        // Damage a sealed segment: damage in the acknowledged tail would stop the log opening.
        let sealed = try log.snapshot().segments.filter { $0.seal != nil }
        let blocks = sealed.flatMap { segment in segment.blocks.map { (segment.path, $0) } }
        #expect(blocks.count >= 6)
        let (path, damaged) = blocks[blocks.count / 2]
        try log.close()
        try Tamper.flipBit(path, at: damaged.end - 5)

        let reopened = try FileLog.open(directory: directory.path, configuration: configuration)
        let before = try reopened.verify(Position(0)..<damaged.firstPosition)
        #expect(before.isIntact)
        #expect(before.records == damaged.firstPosition.rawValue)
        let after = try reopened.verify(damaged.nextPosition..<(try reopened.head.nextPosition))
        #expect(after.isIntact)
        let across = try reopened.verify(damaged.firstPosition..<damaged.nextPosition)
        #expect(across.damage?.offset == damaged.offset)
        #expect(across.damage?.file == path)
        #expect(try reopened.verify().damage == across.damage)
    }
}

/// Reads check what they serve against the hash chain; `verify(expectHead:)` checks a log
/// against a head known from before; `verify` names damaged derived files.
@Suite struct ReadCheckTests {
    let directory = TemporaryDirectory()

    /// Changes one payload byte of the first block and recomputes both of its CRCs, as an
    /// attacker who knows the format would; the chain hashes are left as they were.
    func rewriteFirstBlockWithValidChecksums(_ configuration: LogConfiguration) throws -> BlockRef {
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendSample(20, length: 50)
        try log.appendSample(20, length: 50)
        let target = try log.snapshot().segments[0].blocks[0]
        try log.close()
        let segment = try segmentFiles(directory.path)[0]
        var bytes = [UInt8](try Tamper.read(segment))
        let start = Int(target.offset)
        let payload = start + BlockHeader.size
        bytes[payload + RecordFrame.overhead] ^= 0x20
        var header = try bytes.withUnsafeBytes { try BlockHeader.decode($0, at: start).get() }
        header.payloadCRC = CRC32C.checksum(bytes, payload..<payload + Int(target.storedLength))
        var writer = ByteWriter(capacity: BlockHeader.size)
        header.encoded(into: &writer)
        bytes.replaceSubrange(start..<start + BlockHeader.size, with: writer.bytes)
        try Tamper.write(Data(bytes), to: segment)
        return target
    }

    @Test func aBlockRewrittenWithValidChecksumsIsRefusedByEveryReadNotServed() throws {
        var configuration = smallConfiguration()
        configuration.compression = .none
        let target = try rewriteFirstBlockWithValidChecksums(configuration)
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        let damage = expectDamage { _ = try log.records(from: .zero) }
        #expect(damage?.offset == target.offset)
        #expect(damage?.reason.contains("hash chain broken") == true)
        _ = expectDamage { _ = try log.records(at: [Position(3)]) }
        var served = 0
        _ = expectDamage { try log.forEach(from: .zero) { _ in served += 1 } }
        #expect(served == 0, "no record of the rewritten block is served")
        #expect(try log.records(from: target.nextPosition).count == 20, "blocks after it are still served")
    }

    @Test func verifyAgainstAHeadKnownFromBeforeSaysHowManyRecordsItCovers() throws {
        let log = try FileLog.open(directory: directory.path)
        try log.appendSample(30)
        let known = try log.head.chainHash
        try log.appendSample(10)
        let report = try log.verify(expectHead: known)
        #expect(report.isIntact)
        #expect(report.expectedHeadEnd == Position(30))
        #expect(try log.verify(expectHead: .genesis).expectedHeadEnd == .zero)
        try log.close()
        #expect(try FileLog.verify(directory: directory.path, expectHead: known).expectedHeadEnd == Position(30))
    }

    /// A whole history recomputed with valid CRCs and chain verifies on its own; only a head known
    /// from before tells it apart.
    @Test func aWholeChainRecomputedIsCaughtByTheHeadKnownFromBefore() throws {
        let original = try FileLog.open(directory: directory.path)
        try original.appendSample(30)
        let known = try original.head.chainHash
        try original.close()
        let forged = TemporaryDirectory()
        let log = try FileLog.open(directory: forged.path)
        try log.append((0..<30).map { LogEntry(payload: Payloads.text(position: $0 == 7 ? 99 : $0, length: 120)) })
        #expect(try log.verify().isIntact, "the forged log is consistent on its own")
        let report = try log.verify(expectHead: known)
        #expect(report.damage?.reason.contains("not the chain hash after any record") == true)
    }

    @Test func verifyNamesDamagedAndCraftedIndexFilesWithoutFailingTheLog() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        for _ in 0..<20 { try log.appendRandom(100) }
        try log.close()
        let indexes = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".index") }.sorted()
        #expect(indexes.count >= 2)
        try Tamper.flipBit(directory.file(indexes[0]), at: 20)
        // A crafted index: one block's first recorded time moved, CRC recomputed.
        var crafted = [UInt8](try Tamper.read(directory.file(indexes[1])))
        crafted[16 + BlockRef.encodedSize + 24] ^= 1
        let crc = CRC32C.checksum(crafted, 0..<crafted.count - 4)
        withUnsafeBytes(of: crc.littleEndian) { crafted.replaceSubrange(crafted.count - 4..<crafted.count, with: $0) }
        try Tamper.write(Data(crafted), to: directory.file(indexes[1]))

        let report = try FileLog.verify(directory: directory.path, configuration: smallConfiguration())
        #expect(report.isIntact)
        #expect(report.derivedDamage.map(\.file) == [directory.file(indexes[0]), directory.file(indexes[1])])
        #expect(report.derivedDamage[1].reason.contains("disagrees"))
    }
}
