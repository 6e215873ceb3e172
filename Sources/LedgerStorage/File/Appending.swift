import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// An append in progress: what the writer has put past the acknowledged end of the log, and
/// what it needs to make that durable and visible (commit) or to take it back (roll back).
///
/// Nothing in here is visible to readers: they see the published snapshot, which changes only
/// when the append commits.
struct PendingAppend: Sendable {
    /// The acknowledged head when the append began.
    var startHead: LogHead
    /// The index, among the published segments, of the segment that held the acknowledged end
    /// (moves on when that segment is sealed at an acknowledged boundary).
    var startIndex: Int
    /// The acknowledged end of that segment: rolling back truncates it here.
    var startDataEnd: Int64
    /// The head after everything written so far.
    var head: LogHead
    /// The segment being written; its blocks include this append's.
    var active: SegmentState
    /// Segments this append filled: synced, but sealed only at commit (the first one is the
    /// start segment, the others were created by this append).
    var filled: [SegmentState] = []
    /// The last block written: its header gets the "ends an append" flag at commit.
    var lastBlock: (offset: Int64, header: BlockHeader)?
    /// The Merkle tree's growth by this append, when the writer maintains the tree.
    var growth: TreeGrowth?
    /// The tree's growth as it was when the append began (a roll-back returns to it).
    let startGrowth: TreeGrowth?
    /// Frames written but not yet folded into ``growth``: a plain append hashes them while its
    /// `fdatasync` runs.
    var unhashedFrames: [[UInt8]] = []

    init(start snapshot: LogSnapshot, tree: LogTree?) {
        growth = tree.map { TreeGrowth(partial: $0.partial) }
        startGrowth = growth
        startHead = snapshot.head
        startIndex = snapshot.segments.count - 1
        active = snapshot.segments[startIndex]
        startDataEnd = active.dataEnd
        head = snapshot.head
    }

    /// Whether this append has written into the segment it started in.
    var touchedStart: Bool { !filled.isEmpty || active.dataEnd > startDataEnd }

    /// The segment files this append created (removed again by a roll-back).
    var created: [SegmentState] { filled.isEmpty ? [] : Array(filled.dropFirst()) + [active] }
}

/// The positions and recorded times one ``AppendSession/write(_:)`` gave its records. They
/// become durable and visible only when the session commits.
public struct PendingRecords: Sendable, Hashable {
    /// The position of the batch's first record.
    public var firstPosition: Position
    /// The recorded time given to each record of the batch, in order.
    public var recordedTimes: [RecordedTime]

    /// The positions the batch's records will have once the session commits.
    public var positions: Range<Position> {
        firstPosition..<firstPosition.advanced(by: UInt64(recordedTimes.count))
    }
}

extension FileLog {
    /// Appends the entries as one group commit: one write, one `fdatasync`, and only then the
    /// new head is published and the call returns. All entries are appended or none.
    ///
    /// Each entry gets the next position and a recorded time: its own when it brings one (which
    /// must be after the previous record's), otherwise the clock's, moved on by a microsecond
    /// when the clock has not advanced past the previous record. While an ``AppendSession`` is
    /// open the call fails with ``LogError/appendInProgress``.
    @discardableResult
    public func append(_ entries: [LogEntry]) throws(LogError) -> AppendReceipt {
        if isReadOnly { throw .readOnly }
        return try writer.withLock { (state) throws(LogError) -> AppendReceipt in
            guard !state.sessionOpen else { throw .appendInProgress }
            var pending = PendingAppend(start: try writableSnapshot(), tree: maintainedTree(state))
            let batch = try writePending(entries, into: &pending, endsAppend: true, manifest: &state.manifest)
            var receipt = try commitPending(&pending, manifest: &state.manifest)
            receipt.recordedTimes = batch?.recordedTimes ?? []
            return receipt
        }
    }

    /// Starts an append that may be written in many batches and becomes durable and visible
    /// all at once, or never. See ``AppendSession``. One session at a time; plain appends are
    /// refused while it is open.
    public func beginAppend() throws(LogError) -> AppendSession {
        if isReadOnly { throw .readOnly }
        let pending = try writer.withLock { (state) throws(LogError) -> PendingAppend in
            guard !state.sessionOpen else { throw .appendInProgress }
            let pending = PendingAppend(start: try writableSnapshot(), tree: maintainedTree(state))
            state.sessionOpen = true
            return pending
        }
        return AppendSession(log: self, pending: pending)
    }

    func writableSnapshot() throws(LogError) -> LogSnapshot {
        try shared.withLock { (state) throws(LogError) -> LogSnapshot in
            if state.closed { throw .closed }
            if let failure = state.failure { throw .writerFailed(failure) }
            return state.snapshot
        }
    }

    /// Encodes and writes one batch past the acknowledged end, without syncing. Any failure
    /// rolls the whole pending append back before it is thrown.
    func writePending(
        _ entries: [LogEntry], into pending: inout PendingAppend, endsAppend: Bool, manifest: inout Manifest
    ) throws(LogError) -> PendingRecords? {
        guard !entries.isEmpty else { return nil }
        let first = pending.head.nextPosition
        do {
            try checkLimits(entries)
            let times = try assignTimes(entries, after: pending.head.lastRecordedTime)
            let batch = encoder.encode(entries, times: times, after: pending.head, endsAppend: endsAppend)
            try makeRoom(for: batch.bytes.count, in: &pending, manifest: &manifest)
            assertWellFormed(batch, after: pending.active)
            try pending.active.file.write(batch.bytes, at: pending.active.dataEnd)
            for block in batch.blocks {
                pending.active.blocks.append(BlockRef(offset: pending.active.dataEnd + Int64(block.offset), header: block.header))
            }
            if let last = batch.blocks.last { pending.lastBlock = (pending.active.dataEnd + Int64(last.offset), last.header) }
            pending.active.dataEnd += Int64(batch.bytes.count)
            pending.head = batch.head
            if pending.growth != nil {
                if endsAppend {
                    pending.unhashedFrames += batch.frames
                } else {
                    pending.growth!.add(frames: batch.frames, hasher: TreeHasher(treeAlgorithm))
                }
            }
            return PendingRecords(firstPosition: first, recordedTimes: batch.recordedTimes)
        } catch {
            rollBack(&pending)
            throw error
        }
    }

    /// Makes sure the active segment can take `bytes` more and still its seal. A segment holding
    /// only acknowledged records is sealed at once, as before any append; one holding part of
    /// this append is synced (so the commit can never be durable before it) and sealed at commit.
    private func makeRoom(for bytes: Int, in pending: inout PendingAppend, manifest: inout Manifest) throws(LogError) {
        let active = pending.active
        guard !active.blocks.isEmpty,
              active.dataEnd + Int64(bytes) + Int64(Seal.size) > Int64(configuration.segmentBytesMax) else { return }
        if !pending.touchedStart {
            let next = try sealAndStartNext(active, head: pending.startHead, manifest: &manifest)
            pending.startIndex += 1
            pending.startDataEnd = next.dataEnd
            pending.active = next
            return
        }
        if configuration.durability.syncsStructure {
            do { try active.file.syncData() } catch {
                poison("\(error)")
                throw error
            }
        }
        // Create the next segment before counting this one as filled: a roll-back after a failed
        // start must still see this segment as the start, never as one to remove.
        let next = try Self.startSegment(in: directory, fileSystem: fs, after: pending.head, algorithm: hashAlgorithm)
        pending.filled.append(active)
        pending.active = next
    }

    /// Makes a pending append durable and visible: sets the "ends an append" flag on its last
    /// block, syncs (the commit point), seals the segments it filled, records the checkpoint and
    /// publishes the new head.
    func commitPending(_ pending: inout PendingAppend, manifest: inout Manifest) throws(LogError) -> AppendReceipt {
        guard let last = pending.lastBlock else {
            return AppendReceipt(firstPosition: pending.startHead.nextPosition, recordedTimes: [], head: pending.startHead)
        }
        do {
            if !last.header.endsBatch { try markAppendEnd(last, in: pending.active) }
            try syncWhileHashing(&pending)
        } catch {
            // Whether the sync reached the disk is unknown: take the append back and trust
            // nothing more from this writer.
            rollBack(&pending)
            poison("\(error)")
            throw error
        }
        // The append is durable from here on, but acknowledged only once the checkpoint says so.
        // A failure below leaves it in doubt: the writer is poisoned and the error thrown; opening
        // again finds it whole (its end flag) and keeps it.
        let sealed: [SegmentState]
        do {
            sealed = try sealFilled(pending, manifest: &manifest)
            // A deferred append is not durable yet: the checkpoint moves only in sync(), once it is.
            if configuration.durability != .deferred { try writeCheckpoint(pending.active, head: pending.head) }
        } catch {
            poison("the append was made durable, but finishing its commit failed (\(error)); reopen to see whether it is kept")
            throw error
        }
        let published = sealed + [pending.active]
        let start = pending.startIndex
        let head = pending.head
        if let growth = pending.growth { publishTree(growth) }
        shared.withLock { state in
            state.snapshot.segments.replaceSubrange(start..., with: published)
            state.snapshot.head = head
        }
        return AppendReceipt(firstPosition: pending.startHead.nextPosition, recordedTimes: [], head: pending.head)
    }

    /// Syncs the active segment (the commit point) and meanwhile, on the other core, folds the
    /// append's unhashed frames into the tree's growth: the tree's hashing costs the append
    /// little more than the time the disk takes anyway.
    private func syncWhileHashing(_ pending: inout PendingAppend) throws(LogError) {
        let syncs = configuration.durability == .fsync
        let frames = pending.unhashedFrames
        pending.unhashedFrames = []
        guard let start = pending.growth, !frames.isEmpty else {
            if syncs { try pending.active.file.syncData() }
            return
        }
        // Small appends hash on this thread: a second thread would cost more than it saves.
        guard syncs, frames.reduce(0, { $0 + $1.count }) >= BlockEncoder.parallelRawBytesMin else {
            pending.growth!.add(frames: frames, hasher: TreeHasher(treeAlgorithm))
            if syncs { try pending.active.file.syncData() }
            return
        }
        let file = pending.active.file
        let failure = Mutex<LogError?>(nil), grown = Mutex<TreeGrowth?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { task in
            if task == 0 {
                do throws(LogError) { if syncs { try file.syncData() } } catch { failure.withLock { $0 = error } }
            } else {
                var growth = start
                growth.add(frames: frames, hasher: TreeHasher(treeAlgorithm))
                grown.withLock { $0 = growth }
            }
        }
        pending.growth = grown.withLock { $0 }
        if let error = failure.withLock({ $0 }) { throw error }
    }

    /// Rewrites the last block's header with the "ends an append" flag. A torn rewrite fails
    /// the header's CRC, which recovery takes for an unfinished append: the commit did not happen.
    private func markAppendEnd(_ last: (offset: Int64, header: BlockHeader), in segment: SegmentState) throws(LogError) {
        var header = last.header
        header.flags |= BlockHeader.flagBatchEnd
        var writer = ByteWriter(capacity: BlockHeader.size)
        header.encoded(into: &writer)
        try segment.file.write(writer.bytes, at: last.offset)
    }

    /// Seals the segments a committed append filled, then lists them in the manifest.
    private func sealFilled(_ pending: PendingAppend, manifest: inout Manifest) throws(LogError) -> [SegmentState] {
        guard !pending.filled.isEmpty else { return [] }
        var sealed: [SegmentState] = []
        let followers = Array(pending.filled.dropFirst()) + [pending.active]
        for (segment, next) in zip(pending.filled, followers) {
            sealed.append(try writeSeal(segment, chainHash: next.header.previousChainHash,
                                        lastRecordedTime: next.header.previousRecordedTime, manifest: &manifest))
        }
        try saveManifest(manifest)
        for segment in sealed { saveIndex(segment) }
        return sealed
    }

    /// Takes a pending append back: the start segment is cut to its acknowledged end and the
    /// segments the append created are removed. A failure poisons the writer (opening again
    /// rolls the append back, since it has no end flag).
    func rollBack(_ pending: inout PendingAppend) {
        guard pending.touchedStart else { return }
        let start = pending.filled.first ?? pending.active
        do {
            // Created segments first, newest first, so a crash in between leaves a tail that
            // opening rolls back again.
            for segment in pending.created.reversed() {
                try fs.remove(segment.path)
            }
            if !pending.created.isEmpty { try fs.syncDirectory(directory) }
            try start.file.truncate(to: pending.startDataEnd)
            if configuration.durability.syncsStructure { try start.file.syncData() }
        } catch {
            poison("rolling back an unfinished append failed: \(error)")
        }
        var restored = start
        restored.blocks.removeAll { $0.offset >= pending.startDataEnd }
        restored.dataEnd = pending.startDataEnd
        pending.active = restored
        pending.filled = []
        pending.head = pending.startHead
        pending.lastBlock = nil
        pending.growth = pending.startGrowth
        pending.unhashedFrames = []
    }

    /// Ends a session: plain appends and new sessions are admitted again.
    func endSession() {
        writer.withLock { $0.sessionOpen = false }
    }

    private func checkLimits(_ entries: [LogEntry]) throws(LogError) {
        try configuration.checkLimits(entries)
    }

    private func assignTimes(_ entries: [LogEntry], after last: RecordedTime?) throws(LogError) -> [Int64] {
        try configuration.assignTimes(entries, after: last)
    }

    /// Checks before writing what reads will check after reading: every block header decodes
    /// to what was meant, continues the positions, and its CRC covers its payload. On in release
    /// builds; a failure here is a bug in this library, never bad input.
    private func assertWellFormed(_ batch: EncodedBatch, after active: SegmentState) {
        var position = active.nextPosition
        batch.bytes.withUnsafeBytes { bytes in
            for (offset, header) in batch.blocks {
                precondition((try? BlockHeader.decode(bytes, at: offset).get()) == header, "block header does not round-trip")
                precondition(header.firstPosition == position, "block does not continue the log's positions")
                let payload = UnsafeRawBufferPointer(
                    rebasing: bytes[offset + BlockHeader.size..<offset + BlockHeader.size + Int(header.storedLength)])
                precondition(CRC32C.checksum(payload) == header.payloadCRC, "block CRC does not cover its payload")
                position = header.nextPosition
            }
        }
        precondition(position == batch.head.nextPosition, "batch positions do not reach the new head")
    }

    func poison(_ reason: String) {
        shared.withLock { if $0.failure == nil { $0.failure = reason } }
    }

    /// Records, durably, how far the log is acknowledged: one copy, in the slot whose turn it is,
    /// then one `fdatasync`, before an append returns. Recovery cuts a tail only past this point.
    ///
    /// A checkpoint that would not move on from the last one written (``sync()`` racing a segment
    /// change that wrote a newer one) is not written: the checkpoint never goes back.
    func writeCheckpoint(_ active: SegmentState, head: LogHead) throws(LogError) {
        guard let checkpointFile else { return }
        let checkpoint = Checkpoint(
            segmentFirstPosition: active.firstPosition, acknowledgedLength: UInt64(active.dataEnd),
            nextPosition: head.nextPosition)
        let syncs = configuration.durability.syncsStructure
        try checkpointSlot.withLock { (state) throws(LogError) in
            if let last = state.last,
               (checkpoint.nextPosition, checkpoint.segmentFirstPosition, checkpoint.acknowledgedLength)
                <= (last.nextPosition, last.segmentFirstPosition, last.acknowledgedLength) { return }
            try checkpointFile.write(checkpoint.encoded(), at: CheckpointFile.copyOffsets[state.slot])
            // The slot moves on once the write is in: a failed write leaves the other copy intact.
            state.slot = (state.slot + 1) % CheckpointFile.copyOffsets.count
            if syncs { try checkpointFile.syncData() }
            state.last = checkpoint
        }
    }

    /// Makes every append written so far durable and moves the checkpoint to it: one `fdatasync`
    /// of the active segment (the commit point of the appends since the last call), then the
    /// checkpoint's write and `fdatasync`. Only for a log whose durability is
    /// ``Durability/deferred``; with the others every append is already as durable as it will
    /// be, and this does nothing.
    ///
    /// The writer lock is not held across the syncs: appends go on meanwhile, and are made durable
    /// by the next call. A failed sync poisons the writer (``LogError/writerFailed(_:)`` from every
    /// append until the log is opened again), since what the failed sync covered is unknown.
    public func sync() throws(LogError) {
        if isReadOnly { throw .readOnly }
        guard configuration.durability == .deferred else { return }
        let published = try writableSnapshot()
        guard let active = published.segments.last else { return }
        do {
            try active.file.syncData()
            try writeCheckpoint(active, head: published.head)
        } catch {
            poison("a sync of the appends written failed: \(error)")
            throw error
        }
    }

    /// Writes a segment's seal after its last block and syncs it, and lists it in `manifest`
    /// (the caller saves the manifest).
    func writeSeal(
        _ segment: SegmentState, chainHash: ChainHash, lastRecordedTime: Int64, manifest: inout Manifest
    ) throws(LogError) -> SegmentState {
        // A deferred writer's last appends may still be only in the page cache, and a machine
        // crash keeps or drops unsynced writes in any order: were the seal kept and a block before
        // it dropped, the segment would read as sealed yet hold a torn block, and the log would
        // refuse to open. The blocks are made durable first, so a seal on disk vouches for them.
        if configuration.durability == .deferred { try segment.file.syncData() }
        let seal = Seal(
            blockCount: UInt32(segment.blocks.count), firstPosition: segment.firstPosition,
            recordCount: segment.nextPosition.rawValue - segment.firstPosition.rawValue,
            lastRecordedTime: lastRecordedTime, chainHash: chainHash, dataEnd: UInt64(segment.dataEnd))
        try segment.file.write(seal.encoded(), at: segment.dataEnd)
        if configuration.durability.syncsStructure { try segment.file.syncData() }
        var sealed = segment
        sealed.seal = seal
        manifest.entries.append(ManifestEntry(seal: seal, fileLength: UInt64(segment.dataEnd) + UInt64(Seal.size)))
        return sealed
    }

    func saveManifest(_ manifest: Manifest) throws(LogError) {
        try fs.writeAtomically(
            manifest.encoded(), to: directory + "/" + LogFiles.manifest, in: directory,
            durable: configuration.durability.syncsStructure)
    }

    /// Saves a sealed segment's block index; derived, so a failure only costs a rebuild.
    func saveIndex(_ segment: SegmentState) {
        try? fs.writeAtomically(
            SegmentIndexFile.encode(segment.blocks), to: directory + "/" + LogFiles.indexName(segment.firstPosition),
            in: directory, durable: false)
    }

    /// Seals the full active segment, which holds acknowledged records only (seal written and
    /// synced, manifest rewritten durably, block index saved), starts the next one and publishes both.
    private func sealAndStartNext(_ active: SegmentState, head: LogHead, manifest: inout Manifest) throws(LogError)
        -> SegmentState
    {
        let sealed: SegmentState
        do {
            sealed = try writeSeal(active, chainHash: head.chainHash,
                                   lastRecordedTime: head.lastRecordedTime!.microsecondsSinceEpoch, manifest: &manifest)
        } catch {
            poison("\(error)")
            throw error
        }
        try saveManifest(manifest)
        saveIndex(sealed)
        let next: SegmentState
        do {
            next = try Self.startSegment(in: directory, fileSystem: fs, after: head, algorithm: hashAlgorithm)
            try writeCheckpoint(next, head: head)
        } catch {
            poison("\(error)")
            throw error
        }
        shared.withLock { state in
            state.snapshot.segments[state.snapshot.segments.count - 1] = sealed
            state.snapshot.segments.append(next)
        }
        return next
    }
}

extension FileLog {
    /// Seals the segments an append session filled and committed before a crash stopped it
    /// sealing them: every segment but the last must be sealed before the log takes appends.
    func finishSeals() throws(LogError) {
        let segments = try snapshot().segments
        let unsealed = segments.indices.dropLast().filter { segments[$0].seal == nil }
        guard !unsealed.isEmpty else { return }
        try writer.withLock { (state) throws(LogError) in
            var sealed: [Int: SegmentState] = [:]
            for index in unsealed {
                let next = segments[index + 1].header
                sealed[index] = try writeSeal(segments[index], chainHash: next.previousChainHash,
                                              lastRecordedTime: next.previousRecordedTime, manifest: &state.manifest)
            }
            try saveManifest(state.manifest)
            for index in unsealed { saveIndex(sealed[index]!) }
            shared.withLock { shared in
                for index in unsealed { shared.snapshot.segments[index] = sealed[index]! }
            }
        }
    }
}
