import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// A snapshot's view states are compressed chunk by chunk as they are encoded (a city's index is
/// gigabytes of raw encoding that must never be held whole): the streaming encoder must hand over
/// exactly the bytes the plain encoder keeps, cut exactly where ``LZ4Chunks`` cuts, so the file
/// written does not change.
@Suite struct StreamingEncoderTests {
    /// Every kind of write, in an order drawn from `seed`, with writes far longer than a chunk.
    static func writeMixture(_ seed: UInt64, into encoder: inout CanonicalEncoder) {
        var random = seed
        func next() -> UInt64 {
            random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return random >> 33
        }
        for step in 0..<400 {
            switch next() % 7 {
            case 0: encoder.write(UInt8(truncatingIfNeeded: step))
            case 1: encoder.write(UInt32(truncatingIfNeeded: next()))
            case 2: encoder.write(next())
            case 3: encoder.write("企业\(step)-" + String(repeating: "x", count: Int(next() % 40)))
            case 4: encoder.write(bytes: (0..<Int(next() % 300)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
            case 5:
                let table = (0..<Int(next() % 5_000)).map { UInt8(truncatingIfNeeded: $0) }
                table.withUnsafeBytes { encoder.write(raw: $0) }
            default: encoder.write(LegalDate(daysSinceEpoch: Int32(truncatingIfNeeded: next() % 20_000)))
            }
        }
    }

    @Test func aStreamedEncodingHandsOverTheSameBytesInWholeChunksAndAShorterLast() {
        for (seed, chunkBytes) in [(1, 1), (2, 7), (3, 64), (4, 1_000), (5, 4_096), (6, 1 << 20)] as [(UInt64, Int)] {
            var plain = CanonicalEncoder()
            Self.writeMixture(seed, into: &plain)
            var chunks: [[UInt8]] = []
            let sink = ChunkSink(chunkBytes: chunkBytes) { chunks.append(Array($0)) }
            var streamed = CanonicalEncoder(streamingTo: sink)
            Self.writeMixture(seed, into: &streamed)
            #expect(streamed.bytes.count < chunkBytes, "a streaming encoder keeps less than one chunk")
            streamed.finishStreaming()
            let same = chunks.flatMap { $0 } == plain.bytes
            #expect(same, "chunks of \(chunkBytes): the same bytes as the plain encoder")
            #expect(chunks.dropLast().allSatisfy { $0.count == chunkBytes }, "chunks of \(chunkBytes): every chunk but the last is whole")
            #expect((chunks.last?.count ?? 1) > 0 && (chunks.last?.count ?? 0) <= chunkBytes)
        }
    }

    @Test func anEmptyStreamedEncodingHandsOverNothing() {
        var chunks = 0
        var streamed = CanonicalEncoder(streamingTo: ChunkSink(chunkBytes: 16) { _ in chunks += 1 })
        streamed.finishStreaming()
        #expect(chunks == 0)
    }

    @Test func aViewsStoredStateIsTheWholeEncodingCompressedAsBefore() throws {
        // The index of a few thousand facts encodes to more than one LZ4 chunk (1 MiB); its section
        // in a snapshot must be the whole encoding compressed at once, as the format always was.
        let directory = TemporaryDirectory()
        var configuration = LedgerConfiguration()
        configuration.views = [SubjectRegistry.self]
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
        for batch in 0..<20 {
            try ledger.append((0..<1_000).map { n in Facts.registered(Codes.enterprise(batch * 1_000 + n), name: "企业\(n)", on: "2021-01-01") })
        }
        var whole = CanonicalEncoder()
        try ledger.withView(LedgerIndex.self) { $0.encodeState(into: &whole) }
        #expect(whole.bytes.count > LZ4Chunks.chunkBytesMax, "the index spans several chunks")
        var expected: [UInt8] = []
        let chunks = whole.bytes.withUnsafeBytes {
            LZ4Chunks.compress($0, appendingTo: &expected, highCompressionLevel: SnapshotStore.highCompressionLevel)
        }
        try ledger.close()
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: directory.path + "/snapshots").first)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/snapshots/" + name)))
        var d = CanonicalDecoder(Array(bytes[8..<(bytes.count - 32)]))
        _ = try d.readUInt64()
        _ = try d.readBytes(Int(try d.readUInt32()))
        #expect(try d.readUInt32() == 2)
        #expect(try d.readString() == LedgerIndex.name)
        _ = try d.readInt()
        #expect(try d.readUInt64() == UInt64(whole.bytes.count))
        #expect(try d.readUInt32() == UInt32(chunks))
        let stored = Int(try d.readUInt64())
        let section = try d.readBytes(stored)
        #expect(section == expected, "the stored chunks are those of the whole encoding")
    }
}
