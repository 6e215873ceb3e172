/// Walks the blocks of one segment file from its header onwards, checking each block header
/// (magic, CRC-32C, continuity of positions and recorded times, bounds) before moving on.
struct BlockWalker {
    let file: SystemFile
    let header: SegmentHeader
    /// Where block data ends: the seal's offset, or the file length for the unsealed tail.
    let end: Int64
    let rawBytesMax: Int

    struct Fault: Error {
        var offset: Int64
        var position: Position
        var reason: String
    }

    struct Outcome {
        /// The blocks of whole appends, in order.
        var blocks: [BlockRef]
        /// The end of the last whole append (the header's end when there is none).
        var batchEnd: Int64
        /// The first bad or partial block, if the walk stopped before `end`.
        var fault: Fault?
        /// Whole, checked blocks after the last append's end flag: an unfinished append (or the
        /// part of an append session that continues in the next segment).
        var trailing: [BlockRef] = []
        /// The header of the last whole, checked block (the chain hash where the walk ended).
        var lastHeader: BlockHeader?
    }

    private var position: Position
    private var previousTime: Int64

    init(file: SystemFile, header: SegmentHeader, end: Int64, rawBytesMax: Int) {
        self.file = file
        self.header = header
        self.end = end
        self.rawBytesMax = rawBytesMax
        position = header.firstPosition
        previousTime = header.previousRecordedTime
    }

    /// Reads every block header of a sealed segment; any fault is damage.
    mutating func walkHeaders() throws(LogError) -> [BlockRef] {
        var blocks: [BlockRef] = []
        var offset = Int64(SegmentHeader.size)
        while offset < end {
            let bytes = try file.read(count: BlockHeader.size, at: offset)
            switch nextHeader(bytes, at: offset) {
            case .success(let header):
                let ref = BlockRef(offset: offset, header: header)
                blocks.append(ref)
                offset = ref.end
            case .failure(let fault):
                throw .damaged(LogDamage(file: file.path, offset: fault.offset, position: fault.position, reason: fault.reason))
            }
        }
        return blocks
    }

    /// Reads every block of the unsealed tail, checking payload CRCs too, and stops at the first
    /// fault. Blocks after the last append's end flag are not part of the outcome.
    mutating func walkVerifyingPayloads() throws(LogError) -> Outcome {
        var outcome = Outcome(blocks: [], batchEnd: Int64(SegmentHeader.size), fault: nil)
        var pending: [BlockRef] = []
        var offset = Int64(SegmentHeader.size)
        while offset < end {
            let headerBytes = try file.read(count: BlockHeader.size, at: offset)
            let header: BlockHeader
            switch nextHeader(headerBytes, at: offset) {
            case .success(let decoded): header = decoded
            case .failure(let fault):
                outcome.fault = fault
                outcome.trailing = pending
                return outcome
            }
            let stored = try file.read(count: Int(header.storedLength), at: offset + Int64(BlockHeader.size))
            let crc = CRC32C.checksum(stored)
            guard crc == header.payloadCRC else {
                outcome.fault = Fault(offset: offset, position: header.firstPosition,
                                      reason: crcMismatch("block payload", crc, header.payloadCRC))
                outcome.trailing = pending
                return outcome
            }
            let ref = BlockRef(offset: offset, header: header)
            pending.append(ref)
            outcome.lastHeader = header
            offset = ref.end
            if header.endsBatch {
                outcome.blocks += pending
                pending.removeAll()
                outcome.batchEnd = offset
            }
            outcome.trailing = pending
        }
        return outcome
    }

    /// Decodes the header at `offset` and checks it continues the walk.
    private mutating func nextHeader(_ bytes: [UInt8], at offset: Int64) -> Swift.Result<BlockHeader, Fault> {
        func fault(_ reason: String) -> Swift.Result<BlockHeader, Fault> {
            .failure(Fault(offset: offset, position: position, reason: reason))
        }
        let decoded = bytes.withUnsafeBytes { BlockHeader.decode($0) }
        guard case .success(let header) = decoded else {
            if case .failure(let reason) = decoded { return fault(reason.text) }
            return fault("unreadable block header")
        }
        guard header.firstPosition == position else {
            return fault("block starts at position \(header.firstPosition), expected \(position)")
        }
        guard header.recordCount > 0, header.firstRecordedTime > previousTime,
              header.lastRecordedTime >= header.firstRecordedTime else {
            return fault("block header's record count or recorded times do not continue the log")
        }
        guard Int(header.rawLength) <= rawBytesMax, header.storedLength <= header.rawLength + header.rawLength / 255 + 16 else {
            return fault("block lengths exceed the limits (raw \(header.rawLength), stored \(header.storedLength))")
        }
        let blockEnd = offset + Int64(BlockHeader.size) + Int64(header.storedLength)
        guard blockEnd <= end else {
            return fault("block of \(header.storedLength) stored bytes runs past the end of the data at offset \(end)")
        }
        position = header.nextPosition
        previousTime = header.lastRecordedTime
        return .success(header)
    }
}
