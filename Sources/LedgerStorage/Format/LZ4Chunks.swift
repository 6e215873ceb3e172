import CLZ4

/// liblz4's block format for derived files that are not log blocks (snapshots): a byte string cut
/// into chunks of at most ``chunkBytesMax`` raw bytes, each stored as its raw length (32 bits),
/// its stored length (32 bits) and its bytes — compressed by `LZ4_compress_default`, or raw when
/// compression does not save anything (stored length equal to raw length).
///
/// Chunks bound what one decompression allocates, and let a writer compress and write a long
/// state piece by piece. Integrity is the caller's business (a snapshot ends with a SHA-256 of its
/// stored bytes); decoding still checks every length, so a crafted file is an error, never a trap.
public enum LZ4Chunks {
    /// The largest raw chunk: 1 MiB.
    public static let chunkBytesMax = 1 << 20

    /// Why stored chunks cannot be decoded.
    public struct Fault: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var reason: String
        public var description: String { reason }
    }

    /// Appends `raw`, chunked and compressed, to `output` (`LZ4_compress_default` per chunk).
    /// With a `highCompressionLevel` (1–12), a chunk the fast compressor shrinks by at least an
    /// eighth is compressed again by `LZ4_compress_HC` at that level and the smaller result kept:
    /// text-like states lose another fifth or so, while incompressible ones (hashes) are not
    /// searched in vain. The format is the same either way: decoding does not know which ran.
    /// Returns the number of chunks written.
    @discardableResult
    public static func compress(_ raw: UnsafeRawBufferPointer, appendingTo output: inout [UInt8],
                                highCompressionLevel: Int32? = nil) -> Int {
        var offset = 0, chunks = 0
        let bound = Int(LZ4_compressBound(Int32(chunkBytesMax)))
        var scratch = [UInt8](repeating: 0, count: bound), high: [UInt8] = []
        while offset < raw.count {
            let length = min(chunkBytesMax, raw.count - offset)
            let source = UnsafeRawBufferPointer(rebasing: raw[offset..<(offset + length)])
            var written = scratch.withUnsafeMutableBytes { target in
                LZ4_compress_default(source.baseAddress!.assumingMemoryBound(to: CChar.self),
                                     target.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(length), Int32(bound))
            }
            if let level = highCompressionLevel, written > 0, Int(written) <= length - length / 8 {
                if high.isEmpty { high = [UInt8](repeating: 0, count: bound) }
                let better = high.withUnsafeMutableBytes { target in
                    LZ4_compress_HC(source.baseAddress!.assumingMemoryBound(to: CChar.self),
                                    target.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(length), Int32(bound), level)
                }
                if better > 0, better < written { swap(&scratch, &high); written = better }
            }
            let compressed = written > 0 && Int(written) < length
            appendUInt32(UInt32(length), to: &output)
            appendUInt32(UInt32(compressed ? Int(written) : length), to: &output)
            if compressed { output.append(contentsOf: scratch[0..<Int(written)]) } else { output.append(contentsOf: source) }
            offset += length
            chunks += 1
        }
        return chunks
    }

    /// Decodes `chunks` stored chunks from the front of `stored` into exactly `rawLength` bytes.
    /// Returns the bytes and how many stored bytes the chunks took.
    /// - Throws: ``Fault`` when a length is out of bounds, a chunk does not decompress to its raw
    ///   length, or the chunks do not add up to `rawLength`.
    public static func decompress(_ stored: UnsafeRawBufferPointer, chunks: Int, rawLength: Int) throws(Fault) -> (bytes: [UInt8], consumed: Int) {
        guard rawLength >= 0, chunks >= 0, chunks <= Int.max / chunkBytesMax, rawLength <= chunks * chunkBytesMax else {
            throw Fault(reason: "\(chunks) chunk(s) cannot hold \(rawLength) bytes")
        }
        // Not zeroed first: every byte is written by a chunk, or the array is given up (a
        // snapshot's index runs to hundreds of megabytes).
        var offset = 0
        var fault: Fault?
        let result = [UInt8](unsafeUninitializedCapacity: rawLength) { target, initialized in
            var produced = 0
            for index in 0..<chunks {
                guard stored.count - offset >= 8 else { fault = Fault(reason: "chunk \(index) is cut short"); return }
                let rawCount = Int(readUInt32(stored, offset)), storedCount = Int(readUInt32(stored, offset + 4))
                offset += 8
                guard rawCount > 0, rawCount <= chunkBytesMax, rawCount <= rawLength - produced else {
                    fault = Fault(reason: "chunk \(index) claims \(rawCount) raw bytes"); return
                }
                guard storedCount > 0, storedCount <= rawCount, storedCount <= stored.count - offset else {
                    fault = Fault(reason: "chunk \(index) claims \(storedCount) stored bytes"); return
                }
                let source = UnsafeRawBufferPointer(rebasing: stored[offset..<(offset + storedCount)])
                let destination = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(target)[produced..<(produced + rawCount)])
                if storedCount == rawCount {
                    destination.copyMemory(from: source)
                } else {
                    let count = LZ4_decompress_safe(source.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                    destination.baseAddress!.assumingMemoryBound(to: CChar.self),
                                                    Int32(storedCount), Int32(rawCount))
                    guard Int(count) == rawCount else { fault = Fault(reason: "chunk \(index) does not decompress to its \(rawCount) bytes"); return }
                }
                offset += storedCount
                produced += rawCount
            }
            guard produced == rawLength else { fault = Fault(reason: "the chunks hold \(produced) bytes, not \(rawLength)"); return }
            initialized = rawLength
        }
        if let fault { throw fault }
        return (result, offset)
    }

    private static func appendUInt32(_ value: UInt32, to output: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { output.append(contentsOf: $0) }
    }

    private static func readUInt32(_ bytes: UnsafeRawBufferPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
