import CLZ4
import Dispatch

/// An append call's records, framed, hashed and packed into blocks, ready for one write.
struct EncodedBatch {
    /// The bytes of every block (header and stored payload), back to back.
    var bytes: [UInt8] = []
    /// Each block's header and its offset within `bytes`.
    var blocks: [(offset: Int, header: BlockHeader)] = []
    /// The head after the batch.
    var head: LogHead
    /// The recorded time of each record.
    var recordedTimes: [RecordedTime] = []
    /// The canonical record frames of each block, kept when the writer maintains the Merkle
    /// tree: their leaf hashes are computed while the append waits for its `fdatasync`.
    var frames: [[UInt8]] = []
}

/// Packs records into blocks: frames them canonically, advances the hash chain, compresses each
/// block (or stores it raw when compression does not pay) and checksums it.
///
/// Hashing (sequential along the chain) and compression (per block) are independent, so a large
/// batch does them on two threads at once.
struct BlockEncoder {
    let blockRawBytesMax: Int
    let compression: BlockCompression
    /// Whether to keep each block's raw frames for the Merkle tree's leaf hashes.
    var keepsFrames = false
    /// The chain's hash function (the log's).
    var hashAlgorithm: LogHashAlgorithm = .sha256
    /// Batches smaller than this are encoded on the calling thread alone.
    static let parallelRawBytesMin = 256 << 10

    /// One block's canonical record frames before compression.
    private struct RawBlock {
        var frames: [UInt8]
        var firstPosition: Position
        var times: ArraySlice<Int64>
    }

    /// Encodes `entries`, which must already have their recorded times in `times`. `endsAppend`
    /// sets the "ends an append" flag on the last block (an append session sets it at commit).
    func encode(_ entries: [LogEntry], times: [Int64], after head: LogHead, endsAppend: Bool = true) -> EncodedBatch {
        precondition(entries.count == times.count && !entries.isEmpty)
        let raws = frame(entries, times: times, from: head.nextPosition)
        var hashes = [ChainHash](repeating: .genesis, count: raws.count)
        var stored = [(codec: BlockCodec, bytes: [UInt8])](repeating: (.none, []), count: raws.count)
        let rawBytes = raws.reduce(0) { $0 + $1.frames.count }
        hashes.withUnsafeMutableBufferPointer { hashBuffer in
            stored.withUnsafeMutableBufferPointer { storedBuffer in
                // Each task writes only its own buffer, and both finish before the buffers are read.
                let hashOut = UncheckedSendable(hashBuffer), storedOut = UncheckedSendable(storedBuffer)
                let work = { @Sendable (task: Int) in
                    if task == 0 {
                        chain(raws, from: head.chainHash, into: hashOut.value)
                    } else {
                        for index in raws.indices { storedOut.value[index] = compress(raws[index].frames) }
                    }
                }
                if rawBytes >= Self.parallelRawBytesMin {
                    DispatchQueue.concurrentPerform(iterations: 2, execute: work)
                } else {
                    work(0)
                    work(1)
                }
            }
        }
        var batch = EncodedBatch(
            head: LogHead(nextPosition: head.nextPosition.advanced(by: UInt64(entries.count)), chainHash: hashes[hashes.count - 1],
                          lastRecordedTime: RecordedTime(microsecondsSinceEpoch: times[times.count - 1])))
        batch.recordedTimes = times.map { RecordedTime(microsecondsSinceEpoch: $0) }
        if keepsFrames { batch.frames = raws.map(\.frames) }
        var writer = ByteWriter(capacity: stored.reduce(0) { $0 + BlockHeader.size + $1.bytes.count })
        for index in raws.indices {
            let raw = raws[index]
            let header = BlockHeader(
                codec: stored[index].codec, flags: endsAppend && index == raws.count - 1 ? BlockHeader.flagBatchEnd : 0,
                storedLength: UInt32(stored[index].bytes.count), rawLength: UInt32(raw.frames.count),
                recordCount: UInt32(raw.times.count), payloadCRC: CRC32C.checksum(stored[index].bytes),
                firstPosition: raw.firstPosition, firstRecordedTime: raw.times.first!, lastRecordedTime: raw.times.last!,
                chainHashAfter: hashes[index])
            batch.blocks.append((writer.bytes.count, header))
            header.encoded(into: &writer)
            writer.raw(stored[index].bytes)
        }
        batch.bytes = writer.bytes
        return batch
    }

    /// Frames the records canonically into blocks of at most `blockRawBytesMax` bytes.
    private func frame(_ entries: [LogEntry], times: [Int64], from first: Position) -> [RawBlock] {
        var blocks: [RawBlock] = []
        var raw = ByteWriter(capacity: min(blockRawBytesMax, entries.reduce(0) { $0 + RecordFrame.overhead + $1.payload.count }))
        var blockFirst = first
        var blockStart = 0
        var position = first
        for (index, entry) in entries.enumerated() {
            if raw.bytes.count + RecordFrame.overhead + entry.payload.count > blockRawBytesMax {
                blocks.append(RawBlock(frames: raw.bytes, firstPosition: blockFirst, times: times[blockStart..<index]))
                raw.bytes.removeAll(keepingCapacity: true)
                blockFirst = position
                blockStart = index
            }
            raw.u64(position.rawValue)
            raw.i64(times[index])
            raw.u32(UInt32(entry.payload.count))
            raw.raw(entry.payload)
            position = position.advanced(by: 1)
        }
        blocks.append(RawBlock(frames: raw.bytes, firstPosition: blockFirst, times: times[blockStart...]))
        return blocks
    }

    /// Runs the chain over every frame, recording the hash after each block.
    private func chain(_ raws: [RawBlock], from start: ChainHash, into hashes: UnsafeMutableBufferPointer<ChainHash>) {
        let chain = HashChain(start, frameBytesMax: blockRawBytesMax, algorithm: hashAlgorithm)
        for (index, raw) in raws.enumerated() {
            raw.frames.withUnsafeBytes { frames in
                var offset = 0
                while offset < frames.count {
                    let length = Int(UInt32(littleEndian: frames.loadUnaligned(fromByteOffset: offset + 16, as: UInt32.self)))
                    let end = offset + RecordFrame.overhead + length
                    chain.advance(over: UnsafeRawBufferPointer(rebasing: frames[offset..<end]))
                    offset = end
                }
            }
            hashes[index] = chain.hash
        }
    }

    /// Compresses a block, falling back to raw storage when the result does not save at least
    /// 1/32 of the bytes (decompression would cost more than the bytes saved).
    private func compress(_ raw: [UInt8]) -> (codec: BlockCodec, bytes: [UInt8]) {
        let level: Int32
        switch compression {
        case .none: return (.none, raw)
        case .lz4: level = 0
        case .lz4hc(let hcLevel): level = hcLevel
        }
        let bound = Int(LZ4_compressBound(Int32(raw.count)))
        var out = [UInt8](repeating: 0, count: bound)
        let written = raw.withUnsafeBytes { source in
            out.withUnsafeMutableBytes { target in
                let src = source.baseAddress!.assumingMemoryBound(to: CChar.self)
                let dst = target.baseAddress!.assumingMemoryBound(to: CChar.self)
                return level == 0
                    ? LZ4_compress_default(src, dst, Int32(raw.count), Int32(bound))
                    : LZ4_compress_HC(src, dst, Int32(raw.count), Int32(bound), level)
            }
        }
        guard written > 0, Int(written) <= raw.count - raw.count / 32 else { return (.none, raw) }
        out.removeSubrange(Int(written)...)
        return (level == 0 ? .lz4 : .lz4hc, out)
    }
}

/// Why a block could not be used, before the caller adds the file and offset.
struct BlockFault: Error {
    var reason: String
    var position: Position?
}

/// Checks and decompresses blocks into a reusable buffer, and walks their records.
/// One decoder per reading thread.
final class BlockDecoder {
    private(set) var raw: UnsafeMutableRawBufferPointer
    let rawBytesMax: Int

    init(rawBytesMax: Int) {
        self.rawBytesMax = rawBytesMax
        raw = .allocate(byteCount: max(rawBytesMax, 64), alignment: 16)
    }

    deinit { raw.deallocate() }

    /// Checks the stored payload against the header (length, CRC-32C) and decompresses it.
    /// The CRC is checked before liblz4 sees a byte. Returns the raw record frames.
    func decode(_ header: BlockHeader, stored: UnsafeRawBufferPointer) throws(BlockFault) -> UnsafeRawBufferPointer {
        guard stored.count == Int(header.storedLength) else {
            throw BlockFault(reason: "block payload is cut short: \(stored.count) of \(header.storedLength) bytes",
                             position: header.firstPosition)
        }
        let crc = CRC32C.checksum(stored)
        guard crc == header.payloadCRC else {
            throw BlockFault(reason: crcMismatch("block payload", crc, header.payloadCRC), position: header.firstPosition)
        }
        let rawLength = Int(header.rawLength)
        guard rawLength <= rawBytesMax else {
            throw BlockFault(reason: "block raw length \(rawLength) exceeds the limit \(rawBytesMax)",
                             position: header.firstPosition)
        }
        switch header.codec {
        case .none:
            guard rawLength == stored.count else {
                throw BlockFault(reason: "raw block of \(stored.count) bytes claims \(rawLength)", position: header.firstPosition)
            }
            return stored
        case .lz4, .lz4hc:
            let produced = LZ4_decompress_safe(
                stored.baseAddress?.assumingMemoryBound(to: CChar.self), raw.baseAddress!.assumingMemoryBound(to: CChar.self),
                Int32(stored.count), Int32(rawLength))
            guard Int(produced) == rawLength else {
                throw BlockFault(reason: "LZ4 block decompressed to \(produced) bytes, header says \(rawLength)",
                                 position: header.firstPosition)
            }
            return UnsafeRawBufferPointer(rebasing: raw[0..<rawLength])
        }
    }

    /// Walks the record frames of a decoded block, checking every frame against the header:
    /// positions consecutive from the header's first, times strictly increasing from after
    /// `previousTime`, lengths inside the block, count and first/last times as the header says.
    static func forEachRecord(
        in frames: UnsafeRawBufferPointer, header: BlockHeader, previousTime: Int64,
        _ body: (UnsafeRawBufferPointer, LogRecordView) throws -> Void
    ) throws -> Void {
        var offset = 0
        var position = header.firstPosition
        var lastTime = previousTime
        for _ in 0..<header.recordCount {
            guard frames.count - offset >= RecordFrame.overhead else {
                throw BlockFault(reason: "record frame at block offset \(offset) is cut short", position: position)
            }
            var r = ByteReader(frames, offset: offset)
            let framePosition = r.u64()
            let time = r.i64()
            let length = Int(r.u32())
            guard framePosition == position.rawValue else {
                throw BlockFault(reason: "record frame holds position \(framePosition), expected \(position)", position: position)
            }
            guard time > lastTime else {
                throw BlockFault(reason: "recorded time \(time) µs is not after the previous \(lastTime) µs", position: position)
            }
            guard length <= frames.count - r.offset else {
                throw BlockFault(reason: "record length \(length) runs past the end of its block", position: position)
            }
            if position == header.firstPosition, time != header.firstRecordedTime {
                throw BlockFault(reason: "first recorded time differs from the block header", position: position)
            }
            let frame = UnsafeRawBufferPointer(rebasing: frames[offset..<r.offset + length])
            let payload = UnsafeRawBufferPointer(rebasing: frames[r.offset..<r.offset + length])
            try body(frame, LogRecordView(
                position: position, recordedTime: RecordedTime(microsecondsSinceEpoch: time), payload: payload))
            offset = r.offset + length
            position = position.advanced(by: 1)
            lastTime = time
        }
        guard offset == frames.count else {
            throw BlockFault(reason: "block has \(frames.count - offset) bytes after its last record", position: header.firstPosition)
        }
        guard lastTime == header.lastRecordedTime else {
            throw BlockFault(reason: "last recorded time differs from the block header", position: header.firstPosition)
        }
    }
}

/// Hands a value to another thread where the code guarantees, by construction, that no two
/// threads touch the same memory (each parallel task owns its own output buffer).
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
