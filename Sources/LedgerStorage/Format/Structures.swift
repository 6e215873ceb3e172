// The on-disk structures of a segment file and its companions. Every structure carries a magic
// number and a CRC-32C over its own bytes; decoding checks both before trusting any field.
//
// Segment file:  SegmentHeader | Block* | Seal (once sealed)
// Block:         BlockHeader | stored payload (LZ4 or raw) of canonical record frames
// Record frame:  u64 position | i64 recorded time (µs) | u32 length | payload   (the canonical bytes)

/// The canonical record frame: the bytes that are hashed into the chain and stored in blocks.
enum RecordFrame {
    /// Position (8) + recorded time (8) + payload length (4).
    static let overhead = 20
}

/// The format version this code writes, and the oldest it reads. Version 2 records the log's
/// hash algorithm in the segment header; a SHA-256 segment still says a version-1 reader may read
/// it (the field was zero there, and zero means SHA-256), an SM3 segment says version 2, so an
/// older reader refuses it instead of misreading its chain.
enum FormatVersion {
    static let current: UInt16 = 2
    static let oldestReadable: UInt16 = 1
    /// The oldest reader that knows the hash algorithm field.
    static let hashAlgorithmField: UInt16 = 2
}

/// The first bytes of every segment file.
struct SegmentHeader: Equatable {
    static let size = 72
    static let magic: [UInt8] = Array("CLEDGSEG".utf8)

    var formatVersion: UInt16 = FormatVersion.current
    var firstPosition: Position
    /// The chain hash after the previous segment's last record (genesis for the first segment).
    var previousChainHash: ChainHash
    /// The previous segment's last recorded time, or `Int64.min` for the first segment.
    var previousRecordedTime: Int64
    /// The hash function of the chain (and of the log's Merkle tree and the ledger's digests):
    /// chosen when the log is created, the same in every segment.
    var hashAlgorithm: LogHashAlgorithm = .sha256

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: Self.size)
        w.raw(Self.magic)
        w.u16(formatVersion)
        w.u16(hashAlgorithm == .sha256 ? FormatVersion.oldestReadable : FormatVersion.hashAlgorithmField)
        w.u32(hashAlgorithm.segmentCode)
        w.u64(firstPosition.rawValue)
        w.raw(previousChainHash.bytes)
        w.i64(previousRecordedTime)
        w.u32(0)
        w.crcOfAll()
        assert(w.bytes.count == Self.size)
        return w.bytes
    }

    /// Decodes a header, or says what is wrong with it.
    static func decode(_ bytes: [UInt8]) -> Result<SegmentHeader, Malformed> {
        guard bytes.count >= size else { return .failure("segment header is \(bytes.count) bytes, needs \(size)") }
        guard Array(bytes[0..<8]) == magic else { return .failure("segment header magic is wrong") }
        let stored = bytes.reading { r in r.offset = size - 4; return r.u32() }
        let actual = CRC32C.checksum(bytes, 0..<size - 4)
        guard stored == actual else { return .failure(Malformed(stringLiteral: crcMismatch("segment header", actual, stored))) }
        return bytes.reading { r in
            r.offset = 8
            let version = r.u16()
            let minimum = r.u16()
            guard minimum <= FormatVersion.current else {
                return .failure("segment format needs a reader of version \(minimum); this one reads \(FormatVersion.current)")
            }
            let code = r.u32()
            guard let algorithm = LogHashAlgorithm(segmentCode: code) else {
                return .failure("segment header names hash algorithm \(code), which this reader does not know")
            }
            let first = Position(r.u64())
            let previous = ChainHash(bytes: r.raw(32))
            let time = r.i64()
            return .success(SegmentHeader(
                formatVersion: version, firstPosition: first, previousChainHash: previous, previousRecordedTime: time,
                hashAlgorithm: algorithm))
        }
    }
}

/// The codec byte of a block.
enum BlockCodec: UInt8 {
    case none = 0
    case lz4 = 1
    case lz4hc = 2
}

/// The fixed header in front of every block's stored payload.
struct BlockHeader: Equatable {
    static let size = 84
    static let magic = fourCC("CLBK")
    /// Flag: this block ends an append call. Recovery keeps whole appends only.
    static let flagBatchEnd: UInt8 = 1

    var codec: BlockCodec
    var flags: UInt8
    var storedLength: UInt32
    var rawLength: UInt32
    var recordCount: UInt32
    var payloadCRC: UInt32
    var firstPosition: Position
    var firstRecordedTime: Int64
    var lastRecordedTime: Int64
    /// The chain hash after this block's last record.
    var chainHashAfter: ChainHash

    var endsBatch: Bool { flags & Self.flagBatchEnd != 0 }
    var nextPosition: Position { firstPosition.advanced(by: UInt64(recordCount)) }

    func encoded(into w: inout ByteWriter) {
        let start = w.bytes.count
        w.u32(Self.magic)
        w.u8(codec.rawValue)
        w.u8(flags)
        w.u16(0)
        w.u32(storedLength)
        w.u32(rawLength)
        w.u32(recordCount)
        w.u32(payloadCRC)
        w.u64(firstPosition.rawValue)
        w.i64(firstRecordedTime)
        w.i64(lastRecordedTime)
        w.raw(chainHashAfter.bytes)
        let crc = w.bytes.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[start...])) }
        w.u32(crc)
        assert(w.bytes.count - start == Self.size)
    }

    /// Decodes a header from `bytes` at `offset`, or says what is wrong with it.
    static func decode(_ bytes: UnsafeRawBufferPointer, at offset: Int = 0) -> Result<BlockHeader, Malformed> {
        guard bytes.count - offset >= size else {
            return .failure("block header is cut short: \(bytes.count - offset) of \(size) bytes")
        }
        var r = ByteReader(bytes, offset: offset)
        guard r.u32() == magic else { return .failure("block header magic is wrong") }
        let actual = CRC32C.checksum(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size - 4]))
        let stored = ByteReader(bytes, offset: offset + size - 4).peekU32()
        guard actual == stored else { return .failure(Malformed(stringLiteral: crcMismatch("block header", actual, stored))) }
        guard let codec = BlockCodec(rawValue: r.u8()) else { return .failure("block codec is unknown") }
        let flags = r.u8()
        _ = r.u16()
        return .success(BlockHeader(
            codec: codec, flags: flags, storedLength: r.u32(), rawLength: r.u32(), recordCount: r.u32(),
            payloadCRC: r.u32(), firstPosition: Position(r.u64()), firstRecordedTime: r.i64(),
            lastRecordedTime: r.i64(), chainHashAfter: ChainHash(bytes: r.raw(32))))
    }
}

/// The trailer that closes a full segment. Sealed segments are never written again.
struct Seal: Equatable {
    static let size = 80
    static let magic = fourCC("CLSL")

    var blockCount: UInt32
    var firstPosition: Position
    var recordCount: UInt64
    var lastRecordedTime: Int64
    /// The chain hash after the segment's last record.
    var chainHash: ChainHash
    /// Where the seal starts in the segment file (the end of the last block).
    var dataEnd: UInt64

    var nextPosition: Position { firstPosition.advanced(by: recordCount) }

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: Self.size)
        w.u32(Self.magic)
        w.u32(blockCount)
        w.u64(firstPosition.rawValue)
        w.u64(recordCount)
        w.i64(lastRecordedTime)
        w.raw(chainHash.bytes)
        w.u64(dataEnd)
        w.u32(0)
        w.crcOfAll()
        assert(w.bytes.count == Self.size)
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> Result<Seal, Malformed> {
        guard bytes.count == size else { return .failure("seal is \(bytes.count) bytes, needs \(size)") }
        return bytes.reading { r in
            guard r.u32() == magic else { return .failure("seal magic is wrong") }
            let actual = CRC32C.checksum(bytes, 0..<size - 4)
            let stored = ByteReader(r.bytes, offset: size - 4).peekU32()
            guard actual == stored else { return .failure(Malformed(stringLiteral: crcMismatch("seal", actual, stored))) }
            return .success(Seal(
                blockCount: r.u32(), firstPosition: Position(r.u64()), recordCount: r.u64(),
                lastRecordedTime: r.i64(), chainHash: ChainHash(bytes: r.raw(32)), dataEnd: r.u64()))
        }
    }
}

/// How far the log was acknowledged: the segment, its acknowledged length and the next position.
/// Written and synced after every commit, before the append returns, so it is never behind an
/// acknowledged append (and never ahead of durable data). Recovery treats damage below it as
/// corruption of acknowledged data and damage above it as a torn, unacknowledged tail.
struct Checkpoint: Equatable {
    static let size = 40
    static let magic = fourCC("CLCP")

    var segmentFirstPosition: Position
    var acknowledgedLength: UInt64
    var nextPosition: Position

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: Self.size)
        w.u32(Self.magic)
        w.u32(0)
        w.u64(segmentFirstPosition.rawValue)
        w.u64(acknowledgedLength)
        w.u64(nextPosition.rawValue)
        w.u32(0)
        w.crcOfAll()
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> Checkpoint? {
        guard bytes.count == size, CRC32C.checksum(bytes, 0..<size - 4) == bytes.reading({ r in
            r.offset = size - 4; return r.u32()
        }) else { return nil }
        return bytes.reading { r in
            guard r.u32() == magic else { return nil }
            _ = r.u32()
            return Checkpoint(
                segmentFirstPosition: Position(r.u64()), acknowledgedLength: r.u64(), nextPosition: Position(r.u64()))
        }
    }
}

/// The CHECKPOINT file: two copies of the checkpoint, each with its own CRC, in separate pages,
/// written in turn (one per commit), so a torn or failed write can only damage the copy being
/// written while the other still holds the commit before; the newest intact copy counts. Logs written before the second copy
/// existed hold one; it is read as such.
enum CheckpointFile {
    /// Where each copy starts.
    static let copyOffsets: [Int64] = [0, 4096]

    /// The intact copies in the file's bytes with their slot, newest first.
    static func decode(_ bytes: [UInt8]) -> [(copy: Int, checkpoint: Checkpoint)] {
        let copies = copyOffsets.indices.compactMap { index -> (copy: Int, checkpoint: Checkpoint)? in
            let offset = Int(copyOffsets[index])
            guard bytes.count >= offset + Checkpoint.size,
                  let checkpoint = Checkpoint.decode(Array(bytes[offset..<offset + Checkpoint.size])) else { return nil }
            return (index, checkpoint)
        }
        return copies.sorted { ($0.checkpoint.nextPosition, $0.checkpoint.segmentFirstPosition.rawValue, $0.checkpoint.acknowledgedLength)
            > ($1.checkpoint.nextPosition, $1.checkpoint.segmentFirstPosition.rawValue, $1.checkpoint.acknowledgedLength) }
    }
}

/// One sealed segment as the manifest remembers it: its seal and its file length.
struct ManifestEntry: Equatable {
    static let size = Seal.size + 8
    var seal: Seal
    var fileLength: UInt64
}

/// The list of sealed segments, kept outside the segments so a replaced or missing segment file is
/// noticed. Rewritten atomically (temporary file, fsync, rename, fsync of the directory).
struct Manifest: Equatable {
    static let magic = fourCC("CLMF")
    var entries: [ManifestEntry] = []

    func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 16 + entries.count * ManifestEntry.size + 4)
        w.u32(Self.magic)
        w.u32(UInt32(FormatVersion.current))
        w.u32(UInt32(entries.count))
        w.u32(0)
        for entry in entries {
            w.raw(entry.seal.encoded())
            w.u64(entry.fileLength)
        }
        w.crcOfAll()
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> Result<Manifest, Malformed> {
        guard bytes.count >= 20 else { return .failure("manifest is cut short (\(bytes.count) bytes)") }
        return bytes.reading { r in
            guard r.u32() == magic else { return .failure("manifest magic is wrong") }
            _ = r.u32()
            let count = Int(r.u32())
            _ = r.u32()
            guard bytes.count == 16 + count * ManifestEntry.size + 4 else {
                return .failure("manifest length \(bytes.count) does not match its \(count) entries")
            }
            let actual = CRC32C.checksum(bytes, 0..<bytes.count - 4)
            let stored = ByteReader(r.bytes, offset: bytes.count - 4).peekU32()
            guard actual == stored else { return .failure(Malformed(stringLiteral: crcMismatch("manifest", actual, stored))) }
            var manifest = Manifest()
            for _ in 0..<count {
                switch Seal.decode(r.raw(Seal.size)) {
                case .success(let seal): manifest.entries.append(ManifestEntry(seal: seal, fileLength: r.u64()))
                case .failure(let reason): return .failure("manifest entry: \(reason.text)")
                }
            }
            return .success(manifest)
        }
    }
}

/// Where each block of a segment is, so reads by position or recorded time go straight to it.
/// Derived from the block headers; a sealed segment's index is saved next to it, and rebuilt
/// whenever that file is missing or fails its checks.
struct BlockRef: Equatable, Sendable {
    static let encodedSize = 40
    var offset: Int64
    var storedLength: UInt32
    var recordCount: UInt32
    var firstPosition: Position
    var firstRecordedTime: Int64
    var lastRecordedTime: Int64

    var nextPosition: Position { firstPosition.advanced(by: UInt64(recordCount)) }
    var end: Int64 { offset + Int64(BlockHeader.size) + Int64(storedLength) }

    init(offset: Int64, header: BlockHeader) {
        self.offset = offset
        storedLength = header.storedLength
        recordCount = header.recordCount
        firstPosition = header.firstPosition
        firstRecordedTime = header.firstRecordedTime
        lastRecordedTime = header.lastRecordedTime
    }

    init(offset: Int64, storedLength: UInt32, recordCount: UInt32, firstPosition: Position,
         firstRecordedTime: Int64, lastRecordedTime: Int64) {
        self.offset = offset
        self.storedLength = storedLength
        self.recordCount = recordCount
        self.firstPosition = firstPosition
        self.firstRecordedTime = firstRecordedTime
        self.lastRecordedTime = lastRecordedTime
    }
}

/// The saved block index of a sealed segment.
enum SegmentIndexFile {
    static let magic = fourCC("CLIX")

    static func encode(_ blocks: some Collection<BlockRef>) -> [UInt8] {
        var w = ByteWriter(capacity: 16 + blocks.count * BlockRef.encodedSize + 4)
        w.u32(magic)
        w.u32(UInt32(FormatVersion.current))
        w.u32(UInt32(blocks.count))
        w.u32(0)
        for block in blocks {
            w.u64(UInt64(block.offset))
            w.u32(block.storedLength)
            w.u32(block.recordCount)
            w.u64(block.firstPosition.rawValue)
            w.i64(block.firstRecordedTime)
            w.i64(block.lastRecordedTime)
        }
        w.crcOfAll()
        return w.bytes
    }

    static func decode(_ bytes: [UInt8]) -> [BlockRef]? {
        guard bytes.count >= 20 else { return nil }
        return bytes.reading { r in
            guard r.u32() == magic else { return nil }
            _ = r.u32()
            let count = Int(r.u32())
            _ = r.u32()
            guard bytes.count == 16 + count * BlockRef.encodedSize + 4,
                CRC32C.checksum(bytes, 0..<bytes.count - 4) == ByteReader(r.bytes, offset: bytes.count - 4).peekU32()
            else { return nil }
            var blocks: [BlockRef] = []
            for _ in 0..<count {
                // An offset past Int64.max cannot be in a file; refused rather than trapping.
                guard let offset = Int64(exactly: r.u64()) else { return nil }
                blocks.append(BlockRef(
                    offset: offset, storedLength: r.u32(), recordCount: r.u32(),
                    firstPosition: Position(r.u64()), firstRecordedTime: r.i64(), lastRecordedTime: r.i64()))
            }
            return blocks
        }
    }
}

extension ByteReader {
    /// The u32 at the current offset, without moving.
    func peekU32() -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}

func crcMismatch(_ what: String, _ actual: UInt32, _ stored: UInt32) -> String {
    "\(what) CRC-32C is \(hex32(actual)), stored \(hex32(stored))"
}

func hex32(_ value: UInt32) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
}

/// Why a structure read from disk cannot be trusted. Written like a string literal.
struct Malformed: Error, ExpressibleByStringInterpolation {
    let text: String
    init(stringLiteral value: String) { text = value }
    init(stringInterpolation: DefaultStringInterpolation) { text = String(stringInterpolation: stringInterpolation) }
}
