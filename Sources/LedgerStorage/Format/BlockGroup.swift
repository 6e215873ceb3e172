// The records of one append as the file log writes them — its blocks, header and stored payload,
// back to back — for backends that keep each append in one place (the PostgreSQL log keeps one
// group per row). The same framing, chain, compression and checks as segment files: a group is
// byte for byte the blocks a segment would hold, so records move between backends unchanged and
// the head hash of a copy is the original's.

/// An append's records encoded as a group of blocks, ready to store.
package struct EncodedGroup: Sendable {
    /// The blocks, header and stored payload each, back to back; the last carries the
    /// "ends an append" flag.
    package var bytes: [UInt8]
    /// The log's head after the group.
    package var head: LogHead
    /// The recorded time given to each record, in order.
    package var recordedTimes: [RecordedTime]
    /// The uncompressed bytes of the group's record frames.
    package var rawBytes: Int
}

/// Encodes appends as block groups under a log configuration's limits, codec and clock.
package struct BlockGroupEncoder: Sendable {
    /// The limits, compression and clock in force.
    package let configuration: LogConfiguration
    /// The chain's hash function (the log's).
    package let algorithm: LogHashAlgorithm

    /// An encoder for `configuration` (which must be valid), chaining with `algorithm`.
    package init(configuration: LogConfiguration, algorithm: LogHashAlgorithm = .sha256) {
        self.configuration = configuration
        self.algorithm = algorithm
    }

    /// Checks the limits, gives each entry its recorded time after `head` (its own, which must be
    /// later, or the clock's moved on past the previous one) and encodes the entries as blocks
    /// continuing the chain from `head`. Throws the same errors as a file log's append.
    package func encode(_ entries: [LogEntry], after head: LogHead) throws(LogError) -> EncodedGroup {
        precondition(!entries.isEmpty, "an empty append has nothing to encode")
        try configuration.checkLimits(entries)
        let times = try configuration.assignTimes(entries, after: head.lastRecordedTime)
        var encoder = BlockEncoder(blockRawBytesMax: configuration.blockRawBytesMax, compression: configuration.compression)
        encoder.hashAlgorithm = algorithm
        let batch = encoder.encode(entries, times: times, after: head, endsAppend: true)
        let rawBytes = batch.blocks.reduce(0) { $0 + Int($1.header.rawLength) }
        return EncodedGroup(bytes: batch.bytes, head: batch.head, recordedTimes: batch.recordedTimes, rawBytes: rawBytes)
    }
}

/// Why a stored group cannot be trusted: the byte offset in the group where the bad structure
/// starts, the first position not to trust, and what is wrong.
package struct BlockGroupFault: Error, Sendable {
    /// The offset in the group's bytes of the block at fault.
    package var offset: Int
    /// The first record position that cannot be trusted.
    package var position: Position?
    /// What is wrong, e.g. "block payload CRC-32C is 0x1A2B3C4D, header says 0x00FF00FF".
    package var reason: String
}

/// What a walk over a group checked.
package struct BlockGroupSummary: Sendable {
    /// The records in the group.
    package var records: UInt64 = 0
    /// Their uncompressed frame bytes.
    package var rawBytes: UInt64 = 0
    /// The group's stored bytes (headers and payloads).
    package var storedBytes: UInt64 = 0
    /// The head after the group: recomputed when the walk checked the chain, otherwise the last
    /// block header's stored chain hash.
    package var head: LogHead
}

/// Checks and walks the records of stored groups. One reader per reading task: it owns a
/// decompression buffer and a running hash chain.
package final class BlockGroupReader {
    private let decoder: BlockDecoder
    private let chain: HashChain
    private let rawBytesMax: Int

    /// A reader for blocks of up to `rawBytesMax` uncompressed bytes, checking a chain hashed
    /// with `algorithm`.
    package init(rawBytesMax: Int, algorithm: LogHashAlgorithm = .sha256) {
        self.rawBytesMax = rawBytesMax
        decoder = BlockDecoder(rawBytesMax: rawBytesMax)
        chain = HashChain(.genesis, frameBytesMax: rawBytesMax, algorithm: algorithm)
    }

    /// Walks the group `bytes`, which must continue the log right after `previous`: every block
    /// header's magic and CRC-32C, positions continuing without a gap, recorded times increasing,
    /// each payload's CRC-32C before liblz4 sees it, every record frame, the "ends an append" flag
    /// on the last block and nowhere else, and, when `checksChain`, the hash chain recomputed from
    /// `previous.chainHash` against the hash every block header stores. Calls `body` with each
    /// record, borrowed in place. Damage throws ``BlockGroupFault``; `body`'s errors pass through.
    package func walk(
        _ bytes: UnsafeRawBufferPointer, after previous: LogHead, checksChain: Bool, _ body: (LogRecordView) throws -> Void
    ) throws -> BlockGroupSummary {
        var summary = BlockGroupSummary(head: previous)
        var offset = 0
        var previousTime = previous.lastRecordedTime?.microsecondsSinceEpoch ?? Int64.min
        if checksChain { chain.reset(to: previous.chainHash) }
        while offset < bytes.count {
            let header = try nextHeader(bytes, at: offset, position: summary.head.nextPosition, previousTime: previousTime)
            let storedStart = offset + BlockHeader.size
            let stored = UnsafeRawBufferPointer(rebasing: bytes[storedStart..<storedStart + Int(header.storedLength)])
            // The chain is checked over the whole block before any of its records is served.
            let frames: UnsafeRawBufferPointer
            do {
                frames = try decoder.decode(header, stored: stored)
                if checksChain {
                    try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: previousTime) { frame, _ in
                        chain.advance(over: frame)
                    }
                }
            } catch let fault as BlockFault {
                throw BlockGroupFault(offset: offset, position: fault.position, reason: fault.reason)
            }
            if checksChain, !chain.isAt(header.chainHashAfter) {
                throw BlockGroupFault(offset: offset, position: header.firstPosition, reason:
                    "hash chain broken: recomputed \(chain.hash) after this block, its header stores \(header.chainHashAfter)")
            }
            do {
                try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: previousTime) { _, view in try body(view) }
            } catch let fault as BlockFault {
                throw BlockGroupFault(offset: offset, position: fault.position, reason: fault.reason)
            }
            offset = storedStart + Int(header.storedLength)
            guard header.endsBatch == (offset == bytes.count) else {
                throw BlockGroupFault(offset: offset - Int(header.storedLength) - BlockHeader.size, position: header.firstPosition,
                                      reason: header.endsBatch ? "a block inside the group ends an append" : "the group's last block does not end an append")
            }
            previousTime = header.lastRecordedTime
            summary.records += UInt64(header.recordCount)
            summary.rawBytes += UInt64(header.rawLength)
            summary.storedBytes += UInt64(BlockHeader.size) + UInt64(header.storedLength)
            summary.head = LogHead(nextPosition: header.nextPosition, chainHash: header.chainHashAfter,
                                   lastRecordedTime: RecordedTime(microsecondsSinceEpoch: header.lastRecordedTime))
        }
        guard summary.records > 0 else { throw BlockGroupFault(offset: 0, position: previous.nextPosition, reason: "the group holds no block") }
        return summary
    }

    /// Decodes the block header at `offset` and checks it continues the walk and fits the group.
    private func nextHeader(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, position: Position, previousTime: Int64
    ) throws(BlockGroupFault) -> BlockHeader {
        func fault(_ reason: String) -> BlockGroupFault { BlockGroupFault(offset: offset, position: position, reason: reason) }
        let header: BlockHeader
        switch BlockHeader.decode(bytes, at: offset) {
        case .success(let decoded): header = decoded
        case .failure(let malformed): throw fault(malformed.text)
        }
        guard header.firstPosition == position else {
            throw fault("block starts at position \(header.firstPosition), expected \(position)")
        }
        guard header.recordCount > 0, header.firstRecordedTime > previousTime, header.lastRecordedTime >= header.firstRecordedTime else {
            throw fault("block header's record count or recorded times do not continue the log")
        }
        guard Int(header.rawLength) <= rawBytesMax else {
            throw fault("block raw length \(header.rawLength) exceeds the limit \(rawBytesMax)")
        }
        guard Int(header.storedLength) <= bytes.count - offset - BlockHeader.size else {
            throw fault("block of \(header.storedLength) stored bytes runs past the end of the group (\(bytes.count) bytes)")
        }
        return header
    }
}

extension LogConfiguration {
    /// Checks an append against the limits: records per append, bytes per record, bytes per append.
    func checkLimits(_ entries: [LogEntry]) throws(LogError) {
        guard entries.count <= recordsPerAppendMax else {
            throw .tooManyRecords(count: entries.count, limit: recordsPerAppendMax)
        }
        var total = 0
        for (index, entry) in entries.enumerated() {
            guard entry.payload.count <= recordBytesMax else {
                throw .recordTooLarge(index: index, bytes: entry.payload.count, limit: recordBytesMax)
            }
            total += entry.payload.count
        }
        guard total <= appendBytesMax else {
            throw .appendTooLarge(bytes: total, limit: appendBytesMax)
        }
    }

    /// The recorded time of each entry after `last`: its own, which must be later than the
    /// previous record's, or the clock's, moved on by a microsecond when the clock has not
    /// advanced past the previous record (the log's time never goes back).
    func assignTimes(_ entries: [LogEntry], after last: RecordedTime?) throws(LogError) -> [Int64] {
        var previous = last?.microsecondsSinceEpoch ?? Int64.min
        var times: [Int64] = []
        times.reserveCapacity(entries.count)
        var now: Int64?
        for (index, entry) in entries.enumerated() {
            let time: Int64
            if let given = entry.recordedTime {
                guard given.microsecondsSinceEpoch > previous else {
                    throw .recordedTimeNotIncreasing(
                        index: index, given: given, previous: RecordedTime(microsecondsSinceEpoch: previous))
                }
                time = given.microsecondsSinceEpoch
            } else {
                if now == nil { now = clock().microsecondsSinceEpoch }
                time = max(now!, previous + 1)
            }
            times.append(time)
            previous = time
        }
        return times
    }
}
