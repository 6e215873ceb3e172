/// A growable buffer for one block's stored bytes, reused across reads.
final class ReadBuffer {
    private(set) var bytes: UnsafeMutableRawBufferPointer

    init(capacity: Int = 1 << 16) { bytes = .allocate(byteCount: capacity, alignment: 16) }
    deinit { bytes.deallocate() }

    func prefix(_ count: Int) -> UnsafeMutableRawBufferPointer {
        if count > bytes.count {
            bytes.deallocate()
            bytes = .allocate(byteCount: max(count, bytes.count * 2), alignment: 16)
        }
        return UnsafeMutableRawBufferPointer(rebasing: bytes[0..<count])
    }
}

/// Reads blocks of a snapshot, checking every header and payload on the way in: the header's CRC,
/// its agreement with the index, the payload's CRC before decompression, and every record frame.
final class BlockReader {
    let decoder: BlockDecoder
    let buffer = ReadBuffer()

    init(rawBytesMax: Int) { decoder = BlockDecoder(rawBytesMax: rawBytesMax) }

    /// Reads, checks and decodes one block, then calls `body` with its header and record frames.
    /// The frames live in this reader's buffers: they are valid only during the call, which keeps
    /// the reader alive for as long as `body` runs.
    func withBlock<R>(
        _ ref: BlockRef, in segment: SegmentState, _ body: (BlockHeader, UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        try withExtendedLifetime(self) {
            let (header, frames) = try read(ref, in: segment)
            return try body(header, frames)
        }
    }

    private func read(_ ref: BlockRef, in segment: SegmentState) throws(LogError) -> (BlockHeader, UnsafeRawBufferPointer) {
        func damage(_ reason: String) -> LogError {
            .damaged(LogDamage(file: segment.path, offset: ref.offset, position: ref.firstPosition, reason: reason))
        }
        let total = BlockHeader.size + Int(ref.storedLength)
        let target = buffer.prefix(total)
        let got = try segment.file.read(into: target, at: ref.offset)
        guard got == total else { throw damage("block is cut short: \(got) of \(total) bytes") }
        let bytes = UnsafeRawBufferPointer(target)
        let header: BlockHeader
        switch BlockHeader.decode(bytes) {
        case .success(let decoded): header = decoded
        case .failure(let reason): throw damage(reason.text)
        }
        guard header.firstPosition == ref.firstPosition, header.recordCount == ref.recordCount,
              header.storedLength == ref.storedLength, header.firstRecordedTime == ref.firstRecordedTime,
              header.lastRecordedTime == ref.lastRecordedTime else {
            throw damage("block header disagrees with the block index (positions, length or recorded times)")
        }
        do {
            let frames = try decoder.decode(header, stored: UnsafeRawBufferPointer(rebasing: bytes[BlockHeader.size...]))
            return (header, frames)
        } catch {
            throw damage(error.reason)
        }
    }
}

/// Reads blocks for queries and checks each against the hash chain before any of its records is
/// served: its frames are hashed from the chain hash before it and must reach the hash its header
/// stores (and, for a sealed segment's last block, the seal's). A scan ties consecutive blocks
/// together by carrying the computed hash on; a read that starts mid-log starts from the hash
/// stored before its first block (the previous block's header, or the segment header).
final class CheckedBlockReader {
    let reader: BlockReader
    let chain: HashChain
    let checksChain: Bool
    /// The computed chain hash after the last block read, and where that block was.
    private var last: (segment: Position, block: Int, hash: ChainHash)?

    init(rawBytesMax: Int, checksChain: Bool, algorithm: LogHashAlgorithm) {
        reader = BlockReader(rawBytesMax: rawBytesMax)
        chain = HashChain(.genesis, frameBytesMax: rawBytesMax, algorithm: algorithm)
        self.checksChain = checksChain
    }

    /// Reads block `index` of `segment`, checks it, then calls `body` with its header and frames.
    func withBlock<R>(
        _ index: Int, in segment: SegmentState, _ body: (BlockHeader, UnsafeRawBufferPointer) throws -> R
    ) throws -> R {
        let ref = segment.blocks[index]
        let before = checksChain ? try hashBefore(index, in: segment) : .genesis
        return try reader.withBlock(ref, in: segment) { header, frames in
            if checksChain { try check(header, frames, from: before, index: index, in: segment) }
            return try body(header, frames)
        }
    }

    private func check(_ header: BlockHeader, _ frames: UnsafeRawBufferPointer, from before: ChainHash,
                       index: Int, in segment: SegmentState) throws {
        let ref = segment.blocks[index]
        func damage(_ reason: String) -> LogError {
            .damaged(LogDamage(file: segment.path, offset: ref.offset, position: ref.firstPosition, reason: reason))
        }
        chain.reset(to: before)
        try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: .min) { frame, _ in chain.advance(over: frame) }
        guard chain.isAt(header.chainHashAfter) else {
            throw damage("hash chain broken: the records give \(chain.hash) after this block, its header stores \(header.chainHashAfter); refused, not served")
        }
        if let seal = segment.seal, index == segment.blocks.count - 1, !chain.isAt(seal.chainHash) {
            throw damage("hash chain broken: the last block gives \(chain.hash), the seal stores \(seal.chainHash); refused, not served")
        }
        last = (segment.firstPosition, index, header.chainHashAfter)
    }

    /// The chain hash before block `index`: computed by this reader when it just read the block
    /// before (or the segment before), otherwise the one stored before it.
    private func hashBefore(_ index: Int, in segment: SegmentState) throws(LogError) -> ChainHash {
        if let last {
            if last.segment == segment.firstPosition, last.block == index - 1 { return last.hash }
            if index == 0, segment.header.previousChainHash == last.hash { return last.hash }
        }
        if index == 0 { return segment.header.previousChainHash }
        let previous = segment.blocks[index - 1]
        let bytes = try segment.file.read(count: BlockHeader.size, at: previous.offset)
        switch bytes.withUnsafeBytes({ BlockHeader.decode($0) }) {
        case .success(let header): return header.chainHashAfter
        case .failure(let reason):
            throw .damaged(LogDamage(file: segment.path, offset: previous.offset, position: previous.firstPosition, reason: reason.text))
        }
    }
}

/// Ends a scan early from inside a record callback.
private struct StopScan: Error {}

extension FileLog {
    /// Calls `body` with each record from `start` up to (not including) `end` (the head when
    /// nil), in position order. The view's payload is borrowed from the decoded block: copy what
    /// you keep. Sees the records durable when the scan started, even while appends go on.
    public func forEach(
        from start: Position = .zero, to end: Position? = nil, _ body: (LogRecordView) throws -> Void
    ) throws {
        try forEach(from: start, to: end, checksChain: configuration.readChecksChain, body)
    }

    /// ``forEach(from:to:_:)``, checking the blocks against the hash chain only when `checksChain`:
    /// off only for a pass over blocks whose chain was just checked (`verify`'s tree pass).
    func forEach(
        from start: Position, to end: Position?, checksChain: Bool, _ body: (LogRecordView) throws -> Void
    ) throws {
        let snapshot = try beginRead()
        defer { endRead() }
        let stop = min(end ?? snapshot.head.nextPosition, snapshot.head.nextPosition)
        guard start <= snapshot.head.nextPosition else {
            throw LogError.positionOutOfRange(requested: start, end: snapshot.head.nextPosition)
        }
        guard start < stop, var (segmentIndex, blockIndex) = snapshot.locate(start) else { return }
        let reader = CheckedBlockReader(rawBytesMax: configuration.blockRawBytesMax, checksChain: checksChain,
                                        algorithm: snapshot.hashAlgorithm)
        var previousTime = Int64.min
        while segmentIndex < snapshot.segments.count {
            let segment = snapshot.segments[segmentIndex]
            while blockIndex < segment.blocks.count {
                let ref = segment.blocks[blockIndex]
                guard ref.firstPosition < stop else { return }
                do {
                    previousTime = try reader.withBlock(blockIndex, in: segment) { header, frames in
                        try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: previousTime) { _, view in
                            if view.position < start { return }
                            if view.position >= stop { throw StopScan() }
                            try body(view)
                        }
                        return header.lastRecordedTime
                    }
                } catch is StopScan {
                    return
                } catch let fault as BlockFault {
                    throw LogError.damaged(LogDamage(file: segment.path, offset: ref.offset, position: fault.position,
                                                     reason: fault.reason))
                }
                blockIndex += 1
            }
            segmentIndex += 1
            blockIndex = 0
        }
    }

    /// Copies of up to `limit` records starting at `start`.
    public func records(from start: Position, limit: Int = Int.max) throws(LogError) -> [LogRecord] {
        var out: [LogRecord] = []
        let end = start.rawValue.addingReportingOverflow(UInt64(max(limit, 0)))
        do {
            try forEach(from: start, to: end.overflow ? nil : Position(end.partialValue)) { out.append($0.record) }
        } catch let error as LogError {
            throw error
        } catch {
            preconditionFailure("a copying scan throws only LogError: \(error)")
        }
        return out
    }

    /// The record at `position`.
    public func record(at position: Position) throws(LogError) -> LogRecord {
        guard let record = try records(from: position, limit: 1).first else {
            throw .positionOutOfRange(requested: position, end: try head.nextPosition)
        }
        return record
    }

    /// The number of records recorded at or before `time`: everything the log knew at that
    /// instant is `0 ..< endPosition(recordedThrough: time)`. Finds the block by binary search
    /// over the block index and decodes at most that one block.
    public func endPosition(recordedThrough time: RecordedTime) throws(LogError) -> Position {
        let snapshot = try beginRead()
        defer { endRead() }
        let t = time.microsecondsSinceEpoch
        // The last segment whose first block starts at or before t.
        guard let segmentIndex = snapshot.segments.lastIndex(where: { ($0.blocks.first?.firstRecordedTime ?? .max) <= t })
        else { return snapshot.segments.first?.firstPosition ?? .zero }
        let segment = snapshot.segments[segmentIndex]
        var low = 0, high = segment.blocks.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if segment.blocks[mid].firstRecordedTime <= t { low = mid } else { high = mid - 1 }
        }
        let ref = segment.blocks[low]
        if ref.lastRecordedTime <= t { return ref.nextPosition }
        var end = ref.firstPosition
        do {
            try BlockReader(rawBytesMax: configuration.blockRawBytesMax).withBlock(ref, in: segment) { header, frames in
                try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: .min) { _, view in
                    if view.recordedTime.microsecondsSinceEpoch > t { throw StopScan() }
                    end = view.position.advanced(by: 1)
                }
            }
        } catch let fault as BlockFault {
            throw .damaged(LogDamage(file: segment.path, offset: ref.offset, position: fault.position, reason: fault.reason))
        } catch let error as LogError {
            throw error
        } catch {}
        return end
    }

    func beginRead() throws(LogError) -> LogSnapshot {
        let limit = configuration.openReadersMax
        return try shared.withLock { (state) throws(LogError) -> LogSnapshot in
            if state.closed { throw .closed }
            guard state.readers < limit else { throw .tooManyReaders(limit: limit) }
            state.readers += 1
            return state.snapshot
        }
    }

    func endRead() {
        shared.withLock { $0.readers -= 1 }
    }
}

extension FileLog {
    /// Copies of the records at `positions` (ascending, each below the head), decoding each block
    /// that holds any of them once: the read behind single-subject queries.
    public func records(at positions: [Position]) throws(LogError) -> [LogRecord] {
        guard !positions.isEmpty else { return [] }
        let snapshot = try beginRead()
        defer { endRead() }
        let reader = CheckedBlockReader(rawBytesMax: configuration.blockRawBytesMax, checksChain: configuration.readChecksChain,
                                        algorithm: snapshot.hashAlgorithm)
        var out: [LogRecord] = []
        out.reserveCapacity(positions.count)
        var next = 0
        while next < positions.count {
            guard let (segmentIndex, blockIndex) = snapshot.locate(positions[next]) else {
                throw .positionOutOfRange(requested: positions[next], end: snapshot.head.nextPosition)
            }
            let segment = snapshot.segments[segmentIndex]
            let ref = segment.blocks[blockIndex]
            do {
                try reader.withBlock(blockIndex, in: segment) { header, frames in
                    try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: .min) { _, view in
                        guard next < positions.count, view.position == positions[next] else { return }
                        out.append(view.record)
                        next += 1
                    }
                }
            } catch let error as LogError {
                throw error
            } catch let fault as BlockFault {
                throw .damaged(LogDamage(file: segment.path, offset: ref.offset, position: fault.position, reason: fault.reason))
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
            guard next == out.count, next < positions.count ? positions[next] >= ref.nextPosition : true else {
                throw .positionOutOfRange(requested: positions[next], end: snapshot.head.nextPosition)
            }
        }
        return out
    }

    /// The chain hash after the record before `end`, when `end` is the end of an append (appends
    /// end blocks, so the hash is stored in a block header): what a snapshot taken at `end`
    /// records to prove which history it was built from. Nil when `end` is inside a block or
    /// past the head.
    public func chainHash(through end: Position) throws(LogError) -> ChainHash? {
        let snapshot = try beginRead()
        defer { endRead() }
        return try Self.chainHash(through: end, in: snapshot)
    }

    /// ``chainHash(through:)`` in `snapshot`.
    static func chainHash(through end: Position, in snapshot: LogSnapshot) throws(LogError) -> ChainHash? {
        if end == .zero { return .genesis }
        guard end <= snapshot.head.nextPosition, let (segmentIndex, blockIndex) = snapshot.locate(Position(end.rawValue - 1))
        else { return nil }
        let segment = snapshot.segments[segmentIndex]
        let ref = segment.blocks[blockIndex]
        guard ref.nextPosition == end else { return nil }
        let bytes = try segment.file.read(count: BlockHeader.size, at: ref.offset)
        switch bytes.withUnsafeBytes({ BlockHeader.decode($0) }) {
        case .success(let header): return header.chainHashAfter
        case .failure(let reason):
            throw .damaged(LogDamage(file: segment.path, offset: ref.offset, position: ref.firstPosition, reason: reason.text))
        }
    }
}
