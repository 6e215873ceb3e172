import CLZ4
import Dispatch
import Synchronization

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
    /// With `concurrently`, the chunks of `raw` are compressed on every core at once; each chunk is
    /// compressed on its own, so the bytes are the same as one after another.
    /// Returns the number of chunks written.
    @discardableResult
    public static func compress(_ raw: UnsafeRawBufferPointer, appendingTo output: inout [UInt8],
                                highCompressionLevel: Int32? = nil, concurrently: Bool = false) -> Int {
        let count = (raw.count + chunkBytesMax - 1) / chunkBytesMax
        @Sendable func chunk(_ index: Int, of raw: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            let offset = index * chunkBytesMax
            return UnsafeRawBufferPointer(rebasing: raw[offset..<min(offset + chunkBytesMax, raw.count)])
        }
        guard concurrently, count > 1 else {
            var scratch = Scratch()
            for index in 0..<count { scratch.compress(chunk(index, of: raw), level: highCompressionLevel, appendingTo: &output) }
            return count
        }
        // Each iteration reads its own chunk of `raw`, which outlives the call; none writes to it.
        nonisolated(unsafe) let shared = raw
        let stored = Mutex([[UInt8]](repeating: [], count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            var scratch = Scratch(), one: [UInt8] = []
            scratch.compress(chunk(index, of: shared), level: highCompressionLevel, appendingTo: &one)
            stored.withLock { $0[index] = one }
        }
        for one in stored.withLock({ $0 }) { output.append(contentsOf: one) }
        return count
    }

    /// The output buffers of one compressor, reused from chunk to chunk.
    private struct Scratch {
        private var fast: [UInt8] = []
        private var high: [UInt8] = []
        private let bound = Int(LZ4_compressBound(Int32(chunkBytesMax)))

        /// Appends one chunk (at most ``chunkBytesMax`` bytes): its lengths, then its bytes.
        mutating func compress(_ source: UnsafeRawBufferPointer, level: Int32?, appendingTo output: inout [UInt8]) {
            let length = source.count, bound = bound
            if fast.isEmpty { fast = [UInt8](repeating: 0, count: bound) }
            var written = fast.withUnsafeMutableBytes { target in
                LZ4_compress_default(source.baseAddress!.assumingMemoryBound(to: CChar.self),
                                     target.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(length), Int32(bound))
            }
            if let level, written > 0, Int(written) <= length - length / 8 {
                if high.isEmpty { high = [UInt8](repeating: 0, count: bound) }
                let better = high.withUnsafeMutableBytes { target in
                    LZ4_compress_HC(source.baseAddress!.assumingMemoryBound(to: CChar.self),
                                    target.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(length), Int32(bound), level)
                }
                if better > 0, better < written { swap(&fast, &high); written = better }
            }
            let compressed = written > 0 && Int(written) < length
            appendUInt32(UInt32(length), to: &output)
            appendUInt32(UInt32(compressed ? Int(written) : length), to: &output)
            if compressed { output.append(contentsOf: fast[0..<Int(written)]) } else { output.append(contentsOf: source) }
        }
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
