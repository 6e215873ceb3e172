#if canImport(Glibc)
import Glibc
#endif
@testable import LedgerStorage

extension FuzzTargets {
    /// The fixed structures of a log directory (segment header, block header, seal, checkpoint file,
    /// manifest, saved block index) decoded from arbitrary bytes. Mode bits: the low three pick the
    /// structure; 0x80 writes the right magic and CRC-32C first, so that the fuzzer explores the
    /// checks behind the checksum (a checksum guards against accidents, not against a crafted file).
    /// Property: whatever decodes re-encodes to bytes that decode to the same value.
    static let storageStructures = FuzzTarget(
        name: "storage-structures", summary: "SegmentHeader, BlockHeader, Seal, Checkpoint, Manifest, SegmentIndexFile decode"
    ) { (data) throws(FuzzFinding) in
        let input = ModedInput(data)
        var bytes = [UInt8](input.payload)
        let fix = input.mode & 0x80 != 0
        func check<T: Equatable>(_ name: String, _ first: T?, _ again: (T) -> T?) throws(FuzzFinding) {
            guard let first else { return }
            guard again(first) == first else { throw FuzzFinding("storage-structures", "\(name) does not survive re-encoding") }
        }
        switch input.mode & 0x07 {
        case 0:
            if fix { StorageFixups.stamp(&bytes, magic: SegmentHeader.magic, size: SegmentHeader.size) }
            try check("segment header", try? SegmentHeader.decode(bytes).get()) { try? SegmentHeader.decode($0.encoded()).get() }
        case 1:
            if fix { StorageFixups.stamp(&bytes, magic: StorageFixups.le(BlockHeader.magic), size: BlockHeader.size) }
            let header = bytes.withUnsafeBytes { try? BlockHeader.decode($0).get() }
            try check("block header", header) { header in
                var w = ByteWriter(capacity: BlockHeader.size)
                header.encoded(into: &w)
                return w.bytes.withUnsafeBytes { try? BlockHeader.decode($0).get() }
            }
        case 2:
            if fix { StorageFixups.stamp(&bytes, magic: StorageFixups.le(Seal.magic), size: Seal.size) }
            try check("seal", try? Seal.decode(bytes).get()) { try? Seal.decode($0.encoded()).get() }
        case 3:
            // The CHECKPOINT file: a copy at each offset, each with its own magic and CRC.
            if fix {
                for offset in CheckpointFile.copyOffsets {
                    StorageFixups.stamp(&bytes, magic: StorageFixups.le(Checkpoint.magic), size: Checkpoint.size, at: Int(offset))
                }
            }
            for copy in CheckpointFile.decode(bytes) { try check("checkpoint", copy.checkpoint) { Checkpoint.decode($0.encoded()) } }
        case 4:
            if fix { StorageFixups.stampTable(&bytes, magic: Manifest.magic, entrySize: ManifestEntry.size, sealsEvery: true) }
            try check("manifest", try? Manifest.decode(bytes).get()) { try? Manifest.decode($0.encoded()).get() }
        default:
            if fix { StorageFixups.stampTable(&bytes, magic: SegmentIndexFile.magic, entrySize: BlockRef.encodedSize, sealsEvery: false) }
            try check("segment index", SegmentIndexFile.decode(bytes)) { SegmentIndexFile.decode(SegmentIndexFile.encode($0)) }
        }
    }

    /// One block (84-byte header, then the stored payload) checked, decompressed by liblz4 and
    /// walked record by record, as every read does. Mode bit 0x80 makes the header's magic, stored
    /// length, payload CRC and header CRC right first, so liblz4 and the frame walk see the bytes.
    static let block = FuzzTarget(name: "block", summary: "BlockHeader, BlockDecoder.decode (liblz4), BlockDecoder.forEachRecord") {
        (data) throws(FuzzFinding) in
        let input = ModedInput(data)
        var bytes = [UInt8](input.payload)
        if input.mode & 0x80 != 0, bytes.count >= BlockHeader.size { StorageFixups.stampBlock(&bytes, at: 0, end: bytes.count) }
        guard let header = bytes.withUnsafeBytes({ try? BlockHeader.decode($0).get() }) else { return }
        let decoder = BlockDecoder(rawBytesMax: 1 << 16)
        let finding = bytes.withUnsafeBytes { raw in walk(decoder, header, UnsafeRawBufferPointer(rebasing: raw[BlockHeader.size...])) }
        if let finding { throw finding }
    }

    /// Decodes a block's stored payload and walks its records; a finding when the walk accepts a
    /// block whose records do not add up to its header.
    private static func walk(_ decoder: BlockDecoder, _ header: BlockHeader, _ stored: UnsafeRawBufferPointer) -> FuzzFinding? {
        guard let frames = try? decoder.decode(header, stored: stored) else { return nil }
        var count: UInt32 = 0
        var payloadBytes = 0
        do {
            try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: Int64.min) { _, record in
                count += 1
                payloadBytes += record.payload.count
            }
        } catch {
            return nil
        }
        guard count == header.recordCount, payloadBytes + Int(count) * RecordFrame.overhead == frames.count else {
            return FuzzFinding("block", "walked \(count) of \(header.recordCount) records, \(payloadBytes) payload bytes in \(frames.count)")
        }
        return nil
    }

    /// A log directory holding one segment file (and, with mode bit 0x40, a checkpoint made of the
    /// input's last 40 bytes), opened read-only through the public API, verified and scanned. Mode
    /// bit 0x80 stamps the segment header, each block and the checkpoint as a writer would (magic,
    /// lengths, CRCs) so the walk reaches the continuity checks, the records and the recovery rules.
    /// Property: reading never writes (every file byte-identical afterwards, nothing else appears).
    static let segmentFile = FuzzTarget(
        name: "segment-file", summary: "FileLog.open(readOnly:), verify, forEach over a segment file and a checkpoint"
    ) { (data) throws(FuzzFinding) in
        let files = StorageFixups.logFiles(ModedInput(data))
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        for (name, bytes) in files { directory.write(bytes, to: directory.path + "/" + name) }
        var configuration = LogConfiguration()
        configuration.blockRawBytesMax = 1 << 16
        configuration.recordBytesMax = 1 << 15
        if let log = try? FileLog.open(directory: directory.path, configuration: configuration, readOnly: true) {
            _ = try? log.verify()
            _ = try? log.forEach(from: .zero, to: nil) { _ in }
            _ = try? log.records(from: .zero, limit: 100)
            try? log.close()
        }
        guard directory.names() == files.keys.sorted(), files.allSatisfy({ directory.read(directory.path + "/" + $0.key) == $0.value }) else {
            throw FuzzFinding("segment-file", "a read-only open changed the log directory: \(directory.names())")
        }
    }
}

/// Rewrites magic numbers, lengths and checksums the way a writer would, so that fuzzed bytes get
/// past the first checks.
enum StorageFixups {
    /// A magic number's bytes as stored (little-endian).
    static func le(_ magic: UInt32) -> [UInt8] { withUnsafeBytes(of: magic.littleEndian) { Array($0) } }

    static func putU32(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { for (i, b) in $0.enumerated() { bytes[offset + i] = b } }
    }

    static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
    }

    /// Writes `magic` at `offset` and the CRC-32C of the `size - 4` bytes from `offset` after them.
    static func stamp(_ bytes: inout [UInt8], magic: [UInt8], size: Int, at offset: Int = 0) {
        guard bytes.count - offset >= size else { return }
        bytes.replaceSubrange(offset..<offset + magic.count, with: magic)
        putU32(CRC32C.checksum(bytes, offset..<offset + size - 4), into: &bytes, at: offset + size - 4)
    }

    /// A manifest or index: magic, an entry count that matches the length, valid seals, the CRC.
    static func stampTable(_ bytes: inout [UInt8], magic: UInt32, entrySize: Int, sealsEvery: Bool) {
        guard bytes.count >= 20 else { return }
        let count = (bytes.count - 20) / entrySize
        bytes.removeSubrange((16 + count * entrySize + 4)...)
        putU32(magic, into: &bytes, at: 0)
        putU32(UInt32(count), into: &bytes, at: 8)
        if sealsEvery {
            for index in 0..<count { stamp(&bytes, magic: le(Seal.magic), size: Seal.size, at: 16 + index * entrySize) }
        }
        putU32(CRC32C.checksum(bytes, 0..<bytes.count - 4), into: &bytes, at: bytes.count - 4)
    }

    /// A block at `offset`: magic, a stored length that fits before `end`, the payload CRC and the
    /// header CRC. Returns where the block ends.
    @discardableResult
    static func stampBlock(_ bytes: inout [UInt8], at offset: Int, end: Int) -> Int {
        let room = end - offset - BlockHeader.size
        let stored = min(Int(u32(bytes, at: offset + 8)), room)
        putU32(BlockHeader.magic, into: &bytes, at: offset)
        putU32(UInt32(stored), into: &bytes, at: offset + 8)
        let payload = offset + BlockHeader.size
        putU32(CRC32C.checksum(bytes, payload..<payload + stored), into: &bytes, at: offset + 20)
        putU32(CRC32C.checksum(bytes, offset..<offset + BlockHeader.size - 4), into: &bytes, at: offset + BlockHeader.size - 4)
        return payload + stored
    }

    /// The files of a fuzzed log directory: the segment, and the checkpoint when mode bit 0x40 asks.
    static func logFiles(_ input: ModedInput) -> [String: [UInt8]] {
        var segment = [UInt8](input.payload)
        let stamped = input.mode & 0x80 != 0
        var files: [String: [UInt8]] = [:]
        if input.mode & 0x40 != 0, segment.count >= Checkpoint.size {
            var checkpoint = Array(segment.suffix(Checkpoint.size))
            segment.removeLast(Checkpoint.size)
            if stamped { stamp(&checkpoint, magic: le(Checkpoint.magic), size: Checkpoint.size) }
            files[LogFiles.checkpoint] = checkpoint
        }
        if stamped { stampSegment(&segment) }
        files[LogFiles.segmentName(.zero)] = segment
        return files
    }

    /// A segment file: its header, then each block in turn to the end of the bytes.
    static func stampSegment(_ bytes: inout [UInt8]) {
        guard bytes.count >= SegmentHeader.size else { return }
        stamp(&bytes, magic: SegmentHeader.magic, size: SegmentHeader.size)
        var offset = SegmentHeader.size
        while bytes.count - offset >= BlockHeader.size {
            offset = stampBlock(&bytes, at: offset, end: bytes.count)
        }
    }
}
