import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// The log's hash function is chosen when it is created — SHA-256 by default, or SM3 — and
/// recorded in every segment header, so the log is never read with another: the chain, the
/// Merkle tree and `verify` all use it, an existing SHA-256 log keeps reading as before, and a
/// header naming an algorithm this reader does not know is refused.
@Suite struct HashAlgorithmTests {
    let directory = TemporaryDirectory()

    func configuration(_ algorithm: LogHashAlgorithm?) -> LogConfiguration {
        var configuration = smallConfiguration()
        configuration.hashAlgorithm = algorithm
        return configuration
    }

    /// The chain hash over `records`, computed here with SM3 directly: H(previous ‖ frame).
    func sm3Chain(_ records: [LogRecord]) -> ChainHash {
        var hash = [UInt8](repeating: 0, count: 32)
        for record in records {
            var frame = ByteWriter(capacity: 32 + record.payload.count)
            frame.u64(record.position.rawValue)
            frame.i64(record.recordedTime.microsecondsSinceEpoch)
            frame.u32(UInt32(record.payload.count))
            frame.raw(record.payload)
            hash = SM3.hash(hash + frame.bytes)
        }
        return ChainHash(bytes: hash)
    }

    /// Bytes 8 ..< 16 of the first segment's header: format version, oldest reader, algorithm code.
    func headerFields() throws -> (version: UInt16, oldest: UInt16, code: UInt32) {
        let bytes = Array(try Tamper.read(try segmentFiles(directory.path).first!))
        return bytes.reading { r in r.offset = 8; return (r.u16(), r.u16(), r.u32()) }
    }

    @Test func anSM3LogChainsTreesAndVerifiesWithSM3AndSaysSoInItsHeaders() throws {
        var log = try FileLog.open(directory: directory.path, configuration: configuration(.sm3))
        #expect(log.hashAlgorithm == .sm3)
        try log.appendSample(150)   // several segments with these limits
        for _ in 0..<4 { try log.appendRandom(200) }
        #expect(try segmentFiles(directory.path).count > 1)
        let records = try log.allRecords()
        #expect(try log.head.chainHash == sm3Chain(records))
        try log.close()

        // Reopened without naming an algorithm: the log's own, from its headers.
        log = try FileLog.open(directory: directory.path, configuration: configuration(nil))
        #expect(log.hashAlgorithm == .sm3)
        #expect(try log.head.chainHash == sm3Chain(records))
        let head = try log.treeHead()
        #expect(head.algorithm == .sm3)
        var reference = InMemoryMerkleTree(algorithm: .sm3)
        let hasher = TreeHasher(.sm3)
        for record in records {
            record.payload.withUnsafeBytes { reference.append(leafHash: hasher.leaf(position: record.position, recordedTime: record.recordedTime, payload: $0)) }
        }
        #expect(head.root == reference.root())
        try log.inclusionProof(position: Position(77)).verify(against: head)
        try log.close()

        let report = try FileLog.verify(directory: directory.path)
        #expect(report.isIntact, "\(report)")
        #expect(report.chainHash == sm3Chain(records))
        for path in try segmentFiles(directory.path) {
            let bytes = Array(try Tamper.read(path))
            #expect(bytes.reading { r in r.offset = 12; return r.u32() } == 1)
        }
        let fields = try headerFields()
        #expect(fields.version == 2 && fields.oldest == 2 && fields.code == 1)
    }

    /// The SHA-256 chain against values computed by another implementation (Python's `hashlib`:
    /// `sha256(bytes(32) + pack('<QqI', 0, 1700000000000000, 3) + b'abc')`, then the next record
    /// over that): the chain is H(previous ‖ frame) whichever library computes it, so logs written
    /// before the chain moved from swift-crypto to OpenSSL read and verify as before.
    @Test func theSHA256ChainMatchesAnIndependentComputation() {
        func frame(_ position: UInt64, _ time: Int64, _ payload: [UInt8]) -> [UInt8] {
            var writer = ByteWriter(capacity: 20 + payload.count)
            writer.u64(position)
            writer.i64(time)
            writer.u32(UInt32(payload.count))
            writer.raw(payload)
            return writer.bytes
        }
        func hex(_ hash: ChainHash) -> String { hash.bytes.map { String(format: "%02x", $0) }.joined() }
        let chain = HashChain(.genesis, frameBytesMax: 64)
        frame(0, 1_700_000_000_000_000, Array("abc".utf8)).withUnsafeBytes { chain.advance(over: $0) }
        #expect(hex(chain.hash) == "4b04441bc69c76d06362da905aa7a81b287beaa116851cc9596f3254a14052ee")
        frame(1, 1_700_000_000_000_001, []).withUnsafeBytes { chain.advance(over: $0) }
        #expect(hex(chain.hash) == "29c386681dbcb22dcd7328f37b56bb17b1ad3ddc7ba04b0ef9cfe160566757f1")
        // Set back, the same record gives the same hash again (the digest context is reused).
        chain.reset(to: .genesis)
        frame(0, 1_700_000_000_000_000, Array("abc".utf8)).withUnsafeBytes { chain.advance(over: $0) }
        #expect(hex(chain.hash) == "4b04441bc69c76d06362da905aa7a81b287beaa116851cc9596f3254a14052ee")
    }

    @Test func aSHA256LogStaysReadableByVersionOneReadersAndCannotBeReopenedAsSM3() throws {
        let log = try FileLog.open(directory: directory.path, configuration: configuration(nil))
        #expect(log.hashAlgorithm == .sha256)
        try log.appendSample(40)
        let chain = HashChain(.genesis, frameBytesMax: 8_192)
        for record in try log.allRecords() {
            var frame = ByteWriter(capacity: 32 + record.payload.count)
            frame.u64(record.position.rawValue)
            frame.i64(record.recordedTime.microsecondsSinceEpoch)
            frame.u32(UInt32(record.payload.count))
            frame.raw(record.payload)
            frame.bytes.withUnsafeBytes { chain.advance(over: $0) }
        }
        #expect(try log.head.chainHash == chain.hash)
        try log.close()
        // A version-1 reader reads this header: it asks for no newer reader, and the field it
        // ignored is zero.
        let fields = try headerFields()
        #expect(fields.oldest == 1 && fields.code == 0)

        let refused = expectDamageOrConfiguration { _ = try FileLog.open(directory: directory.path, configuration: configuration(.sm3)) }
        #expect(refused.contains("hashes with sha256"), "\(refused)")
        let reader = try FileLog.open(directory: directory.path, configuration: configuration(nil), readOnly: true)
        #expect(reader.hashAlgorithm == .sha256)
        try reader.close()
    }

    @Test func aHeaderNamingAnUnknownAlgorithmOrSegmentsOfTwoAlgorithmsAreRefused() throws {
        var header = SegmentHeader(firstPosition: .zero, previousChainHash: .genesis, previousRecordedTime: Int64.min, hashAlgorithm: .sm3)
        guard case .success(let decoded) = SegmentHeader.decode(header.encoded()) else { Issue.record("an SM3 header does not decode"); return }
        #expect(decoded == header)
        // Code 7, with a valid CRC: refused by name.
        var bytes = header.encoded()
        bytes[12] = 7
        let crc = CRC32C.checksum(bytes, 0..<SegmentHeader.size - 4)
        for index in 0..<4 { bytes[SegmentHeader.size - 4 + index] = UInt8(crc >> (8 * UInt32(index)) & 0xff) }
        guard case .failure(let reason) = SegmentHeader.decode(bytes) else { Issue.record("code 7 decoded"); return }
        #expect(reason.text.contains("hash algorithm 7"))

        // Two segments of different algorithms.
        header.hashAlgorithm = .sha256
        let first = SegmentState(file: try PosixFileSystem().open(directory.path + "/x", writable: true, create: true, exclusive: false),
                                 header: header, blocks: [], seal: nil, dataEnd: 0)
        var second = header
        second.hashAlgorithm = .sm3
        let other = SegmentState(file: first.file, header: second, blocks: [], seal: nil, dataEnd: 0)
        let mixed = expectDamageOrConfiguration { try FileLog.checkHashAlgorithm([first, other], directory: directory.path, asked: nil) }
        #expect(mixed.contains("names hash algorithm sm3, the log's first segment sha256"), "\(mixed)")
    }

    /// The description of the log error `body` throws ("" when it throws none).
    func expectDamageOrConfiguration(_ body: () throws -> Void) -> String {
        do { try body() } catch { return "\(error)" }
        Issue.record("no error")
        return ""
    }
}
