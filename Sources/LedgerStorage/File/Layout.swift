/// File names inside a log directory.
enum LogFiles {
    /// The lock file of earlier versions (the writer lock is now `flock` on the directory itself).
    static let lock = "LOCK"
    static let manifest = "MANIFEST"
    static let checkpoint = "CHECKPOINT"
    static let segmentSuffix = ".segment"
    static let indexSuffix = ".index"

    /// `00000000000000001234.segment`: twenty digits, so names sort in log order.
    static func segmentName(_ first: Position) -> String { padded(first) + segmentSuffix }
    static func indexName(_ first: Position) -> String { padded(first) + indexSuffix }

    /// The first position encoded in a segment file name, or nil for other files.
    static func segmentFirstPosition(_ name: String) -> Position? {
        guard name.hasSuffix(segmentSuffix) else { return nil }
        let digits = name.dropLast(segmentSuffix.count)
        guard digits.count == 20, digits.allSatisfy(\.isASCII), let value = UInt64(digits) else { return nil }
        return Position(value)
    }

    private static func padded(_ position: Position) -> String {
        let digits = String(position.rawValue)
        return String(repeating: "0", count: 20 - digits.count) + digits
    }
}

/// One segment as an open log knows it: its file, where its blocks are, and whether it is sealed.
/// A value: readers take a copy under the lock and then read without it.
struct SegmentState: Sendable {
    let file: any LogFile
    let header: SegmentHeader
    var blocks: BlockList
    /// The seal, once the segment is full.
    var seal: Seal?
    /// The end of the last acknowledged block (where the next block or the seal goes).
    var dataEnd: Int64

    var firstPosition: Position { header.firstPosition }
    var nextPosition: Position { blocks.last?.nextPosition ?? header.firstPosition }
    var path: String { file.path }
}

/// The blocks of a segment, in log order: full chunks of ``chunkSize`` that never change, then a
/// short tail.
///
/// The published snapshot and the writer's pending append hold the same list, so appending a
/// block copies what the two share. As one array that was every block of the segment — 2.4 MB
/// for the query audit log's 60,000 one-record blocks, most of the cost of recording a query
/// (the benchmark "Append 1 x 200 B deferred"). Here it is the tail, and the list of chunks.
struct BlockList: RandomAccessCollection, Equatable, ExpressibleByArrayLiteral, Sendable {
    static let chunkShift = 8
    static let chunkSize = 1 << chunkShift

    /// Full chunks, each exactly ``chunkSize`` blocks.
    private var chunks: [[BlockRef]] = []
    /// The blocks after the last full chunk: fewer than ``chunkSize``.
    private var tail: [BlockRef] = []

    init() {}

    init(_ blocks: some Sequence<BlockRef>) {
        for block in blocks { append(block) }
    }

    init(arrayLiteral blocks: BlockRef...) { self.init(blocks) }

    var startIndex: Int { 0 }
    var endIndex: Int { chunks.count << Self.chunkShift + tail.count }

    subscript(index: Int) -> BlockRef {
        let chunk = index >> Self.chunkShift
        return chunk < chunks.count ? chunks[chunk][index & (Self.chunkSize - 1)] : tail[index - chunks.count << Self.chunkShift]
    }

    mutating func append(_ block: BlockRef) {
        tail.append(block)
        if tail.count == Self.chunkSize {
            chunks.append(tail)
            tail = []
        }
    }

    /// Removes the blocks `shouldBeRemoved` picks (a roll-back: rare, so by rebuilding).
    mutating func removeAll(where shouldBeRemoved: (BlockRef) -> Bool) {
        self = BlockList(filter { !shouldBeRemoved($0) })
    }
}

/// What readers need: the segments and the head, as of one instant.
struct LogSnapshot: Sendable {
    var segments: [SegmentState]
    var head: LogHead

    /// The log's hash function, as its segment headers record it (SHA-256 for a log without one).
    var hashAlgorithm: LogHashAlgorithm { segments.first?.header.hashAlgorithm ?? .sha256 }

    /// The segment and block holding `position`, by binary search; nil past the end.
    func locate(_ position: Position) -> (segment: Int, block: Int)? {
        guard position < head.nextPosition else { return nil }
        var low = 0, high = segments.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if segments[mid].firstPosition <= position { low = mid } else { high = mid - 1 }
        }
        let blocks = segments[low].blocks
        var first = 0, last = blocks.count - 1
        while first < last {
            let mid = (first + last + 1) / 2
            if blocks[mid].firstPosition <= position { first = mid } else { last = mid - 1 }
        }
        return blocks.isEmpty ? nil : (low, first)
    }

    /// Every block in log order with its segment index.
    var allBlocks: [(segment: Int, block: BlockRef)] {
        segments.indices.flatMap { s in segments[s].blocks.map { (s, $0) } }
    }
}
