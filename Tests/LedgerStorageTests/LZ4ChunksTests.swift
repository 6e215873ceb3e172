import Testing
@testable import LedgerStorage

/// The chunked LZ4 format snapshots store view states in: a round trip at every size, raw chunks
/// for what does not compress, and every length a crafted file could lie about refused as a fault.
@Suite struct LZ4ChunksTests {
    /// Text-like bytes that compress (repeated words) and noise that does not.
    static func sample(_ count: Int, noise: Bool) -> [UInt8] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let words = Array("registered 310114 企业 penalty.decided ".utf8)
        return (0..<count).map { index in
            guard noise else { return words[index % words.count] ^ UInt8((index >> 12) & 1) }
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
    }

    static func compressed(_ raw: [UInt8]) -> (stored: [UInt8], chunks: Int) {
        var stored: [UInt8] = []
        let chunks = raw.withUnsafeBytes { LZ4Chunks.compress($0, appendingTo: &stored) }
        return (stored, chunks)
    }

    @Test(arguments: [0, 1, 1000, LZ4Chunks.chunkBytesMax, LZ4Chunks.chunkBytesMax + 1, 3 * LZ4Chunks.chunkBytesMax + 17])
    func bytesComeBackAsTheyWereAtEverySize(count: Int) throws {
        for noise in [false, true] {
            let raw = Self.sample(count, noise: noise)
            let (stored, chunks) = Self.compressed(raw)
            #expect(chunks == (count + LZ4Chunks.chunkBytesMax - 1) / LZ4Chunks.chunkBytesMax)
            let back = try stored.withUnsafeBytes { try LZ4Chunks.decompress($0, chunks: chunks, rawLength: count) }
            #expect(back.consumed == stored.count)
            let same = back.bytes == raw
            #expect(same, "\(count) bytes, noise \(noise)")
        }
    }

    @Test func repetitiveBytesShrinkAndNoiseIsStoredRawWithItsEightByteHeader() {
        let text = Self.compressed(Self.sample(100_000, noise: false))
        #expect(text.stored.count < 10_000)
        let noise = Self.compressed(Self.sample(100_000, noise: true))
        #expect(noise.stored.count == 100_000 + 8)
    }

    /// The high-compression pass (what snapshots use) decodes the same way, stores text in fewer
    /// bytes than the fast compressor alone, and leaves noise raw, mixed within one state.
    @Test func highCompressionIsSmallerForTextAndTheSameFormat() throws {
        let text = (0..<40_000).flatMap { n in Array("沪市监嘉处〔\(2_000 + n % 25)〕\(n % 997)号 91310114MA1G\(n % 89) ".utf8) }
        let raw = text + Self.sample(300_000, noise: true)
        var fast: [UInt8] = [], high: [UInt8] = []
        let fastChunks = raw.withUnsafeBytes { LZ4Chunks.compress($0, appendingTo: &fast) }
        let highChunks = raw.withUnsafeBytes { LZ4Chunks.compress($0, appendingTo: &high, highCompressionLevel: 3) }
        #expect(fastChunks == highChunks)
        #expect(high.count < fast.count - fast.count / 50, "\(high.count) bytes against \(fast.count)")
        let back = try high.withUnsafeBytes { try LZ4Chunks.decompress($0, chunks: highChunks, rawLength: raw.count) }
        let same = back.bytes == raw
        #expect(same)
        #expect(back.consumed == high.count)
        // On every core at once, the chunks are the same bytes in the same order.
        var concurrent: [UInt8] = []
        let concurrentChunks = raw.withUnsafeBytes {
            LZ4Chunks.compress($0, appendingTo: &concurrent, highCompressionLevel: 3, concurrently: true)
        }
        #expect(concurrentChunks == highChunks)
        #expect(concurrent == high)
    }

    @Test func aChunkThatDoesNotDecompressToItsLengthIsAFault() throws {
        let raw = Self.sample(5000, noise: false)
        var (stored, chunks) = Self.compressed(raw)
        // The raw length the chunk claims is one byte longer than what its LZ4 block holds.
        stored[0] &+= 1
        #expect(throws: LZ4Chunks.Fault.self) {
            try stored.withUnsafeBytes { try LZ4Chunks.decompress($0, chunks: chunks, rawLength: raw.count + 1) }
        }
        stored[0] &-= 1
        // A damaged LZ4 block.
        for index in 8..<stored.count { stored[index] = 0xFF }
        #expect(throws: LZ4Chunks.Fault.self) {
            try stored.withUnsafeBytes { try LZ4Chunks.decompress($0, chunks: chunks, rawLength: raw.count) }
        }
    }

    @Test func lengthsACraftedFileCouldLieAboutAreFaultsNotTraps() throws {
        let raw = Self.sample(5000, noise: false)
        let (stored, chunks) = Self.compressed(raw)
        func fault(_ bytes: [UInt8], chunks: Int, rawLength: Int) -> Bool {
            do {
                _ = try bytes.withUnsafeBytes { try LZ4Chunks.decompress($0, chunks: chunks, rawLength: rawLength) }
                return false
            } catch { return true }
        }
        #expect(fault(stored, chunks: chunks, rawLength: raw.count - 1), "the chunks hold more than the length")
        #expect(fault(stored, chunks: chunks + 1, rawLength: raw.count), "a chunk past the end")
        #expect(fault(Array(stored.dropLast()), chunks: chunks, rawLength: raw.count), "cut short")
        #expect(fault(stored, chunks: 1, rawLength: Int.max), "a length no chunk count can hold")
        #expect(fault(stored, chunks: -1, rawLength: 0), "a negative count")
        var huge = stored
        huge.replaceSubrange(4..<8, with: [0xFF, 0xFF, 0xFF, 0x7F])
        #expect(fault(huge, chunks: chunks, rawLength: raw.count), "a stored length past the end")
    }
}
