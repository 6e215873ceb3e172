#if canImport(Glibc)
import Glibc
#endif

/// Opens a log directory: checks every segment's header and seal against the manifest and the
/// chain of segments, loads (or rebuilds) block indexes, and recovers the unsealed tail.
///
/// Recovery keeps whole appends only. A damaged or partial block past the checkpoint (the length
/// last acknowledged) is a torn, unacknowledged write and is cut off; damage below it, in a
/// header, in a sealed segment or in the manifest is corruption and is refused with its location.
struct LogOpener {
    let directory: String
    let configuration: LogConfiguration
    let writable: Bool
    /// Damaged or missing derived files met on the way (rebuilt, never trusted).
    let derivedDamage = DamageNotes()
    /// Sealed segments whose last block does not end an append (an append session that filled
    /// them), by first position: the append must end in a later segment.
    let openAppends = DamageNotes()

    struct Result {
        var segments: [SegmentState]
        var head: LogHead
        var manifest: Manifest
        /// The manifest file is missing or lacks segments sealed before a crash.
        var manifestNeedsWrite: Bool
        /// An unfinished append to cut off (by a writer, once every witness agrees).
        var unfinished: Unfinished?
        /// Whether any segment holds more than its header (records, or a torn write).
        var holdsData = false
        /// Derived files found damaged or missing (rebuilt, never trusted).
        var derivedDamage: [LogDamage] = []
        /// The checkpoint slot holding the newest intact copy.
        var newestCheckpointCopy: Int?
        /// The newest intact checkpoint: how far the writer has acknowledged appends.
        var checkpoint: Checkpoint?
    }

    /// An unfinished append at the end of the log: the segment to cut back, and the later
    /// segments holding nothing else (and where the kept log ends).
    struct Unfinished {
        var file: any LogFile
        var end: Int64
        var length: Int64
        var later: [any LogFile]
    }

    /// What the CHECKPOINT file says: whether it exists, and its newest intact copy.
    struct Witness {
        var exists: Bool
        var checkpoint: Checkpoint?
        /// The slot of the newest intact copy (the next write goes to the other one).
        var newestCopy: Int?
    }

    /// Whether saved block indexes are compared with the block headers (one small read per
    /// block) rather than trusted once their CRC and their agreement with the seal hold. On: a
    /// crafted index (CRC recomputed) would otherwise steer time cuts to wrong answers.
    var checksIndexes = true

    func path(_ name: String) -> String { directory + "/" + name }

    /// The file system the log lives on.
    var fs: any FileSystem { configuration.fileSystem }

    func open() throws(LogError) -> Result {
        // What says how far the log goes is read before the files it names are listed: a writer
        // creates a segment before a checkpoint or manifest names it, so a reader beside a writer
        // finds every file they name (the writer may add more meanwhile; they are walked or cut).
        let witness = try readCheckpoint()
        let manifest = try readManifest()
        let names = try fs.list(directory)
        let firsts = names.compactMap(LogFiles.segmentFirstPosition)
        guard manifest.entries.count <= firsts.count else {
            let missing = LogFiles.segmentName(manifest.entries[firsts.count].seal.firstPosition)
            throw .damaged(LogDamage(file: path(missing), offset: 0, position: manifest.entries[firsts.count].seal.firstPosition,
                                     reason: "segment file listed in the manifest is missing"))
        }
        let manifestMissing = !fs.exists(path(LogFiles.manifest))
        var result = Result(segments: [], head: .empty, manifest: manifest, manifestNeedsWrite: writable && manifestMissing)
        for (index, first) in firsts.enumerated() {
            if index < manifest.entries.count, manifest.entries[index].seal.firstPosition != first {
                let expected = manifest.entries[index].seal.firstPosition
                throw .damaged(LogDamage(file: path(LogFiles.segmentName(expected)), offset: 0, position: expected,
                                         reason: "segment file listed in the manifest is missing"))
            }
            let isLast = index == firsts.count - 1
            guard let opened = try openSegment(first, index: index, isLast: isLast, result: result) else { break }
            guard let seal = opened.seal else {
                if index < manifest.entries.count {
                    throw .damaged(LogDamage(
                        file: opened.file.path, offset: max(opened.length - Int64(Seal.size), 0), position: first,
                        reason: "the segment's seal is missing or damaged, but the manifest lists it as sealed"))
                }
                // The first unsealed segment: it and every later one form the tail.
                let tail = try recoverTail(opened, later: Array(firsts[(index + 1)...]), head: result.head, witness: witness)
                result.segments += tail.segments
                result.head = tail.head
                result.unfinished = tail.unfinished
                result.holdsData = result.holdsData || tail.holdsData
                break
            }
            result.holdsData = true
            let segment = try openSealed(opened.file, header: opened.header, seal: seal, index: index,
                                         manifest: result.manifest, length: opened.length)
            result.segments.append(segment)
            result.head = LogHead(nextPosition: seal.nextPosition, chainHash: seal.chainHash,
                                  lastRecordedTime: RecordedTime(microsecondsSinceEpoch: seal.lastRecordedTime))
            if writable && index >= result.manifest.entries.count {
                result.manifest.entries.append(ManifestEntry(seal: seal, fileLength: UInt64(segment.dataEnd) + UInt64(Seal.size)))
                result.manifestNeedsWrite = true
            }
        }
        // Only whole appends are kept, so records after such a segment mean its append ended.
        if let open = openAppends.all.first(where: { $0.position == result.head.nextPosition }) {
            throw .damaged(open)
        }
        try checkWitness(witness, against: result, segments: firsts)
        result.derivedDamage = derivedDamage.all
        result.newestCheckpointCopy = witness.newestCopy
        result.checkpoint = witness.checkpoint
        if writable, let unfinished = result.unfinished {
            try cutUnfinished(unfinished.file, to: unfinished.end, length: unfinished.length, removing: unfinished.later)
        }
        return result
    }

    /// Reads both copies of the checkpoint.
    private func readCheckpoint() throws(LogError) -> Witness {
        let checkpointPath = path(LogFiles.checkpoint)
        guard fs.exists(checkpointPath) else { return Witness(exists: false, checkpoint: nil) }
        let file = try fs.open(checkpointPath, writable: false)
        let bytes = try file.read(count: Int(CheckpointFile.copyOffsets[1]) + Checkpoint.size, at: 0)
        let newest = CheckpointFile.decode(bytes).first
        return Witness(exists: true, checkpoint: newest?.checkpoint, newestCopy: newest?.copy)
    }

    /// Refuses a log whose records disagree with the checkpoint: acknowledged records missing, the
    /// segment it names missing, or records present with no intact checkpoint to tell acknowledged
    /// records from a torn tail. Runs before anything is cut.
    private func checkWitness(_ witness: Witness, against result: Result, segments: [Position]) throws(LogError) {
        let checkpointPath = path(LogFiles.checkpoint)
        guard let checkpoint = witness.checkpoint else {
            if result.holdsData || (witness.exists && segments.isEmpty) {
                throw .damaged(LogDamage(
                    file: checkpointPath, offset: 0, position: nil,
                    reason: witness.exists
                        ? "both copies of the checkpoint are damaged: acknowledged records cannot be told from a torn tail, so nothing is cut or served"
                        : "the checkpoint is missing while the log holds data: acknowledged records cannot be told from a torn tail, so nothing is cut or served"))
            }
            return
        }
        let named = checkpoint.segmentFirstPosition
        guard segments.contains(named) else {
            throw .damaged(LogDamage(
                file: path(LogFiles.segmentName(named)), offset: 0, position: named,
                reason: "the segment is missing, but the checkpoint says \(checkpoint.nextPosition) records were acknowledged up to offset \(checkpoint.acknowledgedLength) of it"))
        }
        guard result.head.nextPosition >= checkpoint.nextPosition else {
            throw .damaged(LogDamage(
                file: path(LogFiles.segmentName(named)), offset: Int64(checkpoint.acknowledgedLength), position: result.head.nextPosition,
                reason: "the log holds \(result.head.nextPosition) records, but the checkpoint says \(checkpoint.nextPosition) were acknowledged: acknowledged records are missing"))
        }
    }

    private func readManifest() throws(LogError) -> Manifest {
        let manifestPath = path(LogFiles.manifest)
        guard fs.exists(manifestPath) else { return Manifest() }
        let file = try fs.open(manifestPath, writable: false)
        let bytes = try file.read(count: Int(try file.length()), at: 0)
        switch Manifest.decode(bytes) {
        case .success(let manifest): return manifest
        case .failure(let reason): throw .damaged(LogDamage(file: manifestPath, offset: 0, position: nil, reason: reason.text))
        }
    }

    /// A segment file whose header was read and linked to the log before it.
    struct OpenedSegment {
        var file: any LogFile
        var header: SegmentHeader
        var length: Int64
        var seal: Seal?
    }

    /// Opens one segment and checks its header links to the log before it; nil when it is an
    /// empty last segment whose creation was torn (the caller starts it again).
    private func openSegment(_ first: Position, index: Int, isLast: Bool, result: Result) throws(LogError) -> OpenedSegment? {
        let segmentPath = path(LogFiles.segmentName(first))
        let file = try fs.open(segmentPath, writable: writable)
        let length = try file.length()
        let header: SegmentHeader
        switch SegmentHeader.decode(try file.read(count: SegmentHeader.size, at: 0)) {
        case .success(let decoded): header = decoded
        case .failure(let reason):
            // A crash while starting the next segment leaves a short, empty file after a sealed one.
            // (For the first segment, a crash while creating the log; the checkpoint then names no
            // records in it, which the witness check confirms.)
            if isLast, index == 0 || result.segments.last?.seal != nil, length <= Int64(SegmentHeader.size) { return nil }
            throw .damaged(LogDamage(file: segmentPath, offset: 0, position: result.head.nextPosition, reason: reason.text))
        }
        try checkLink(header, file: segmentPath, named: first, after: (result.head.nextPosition, result.head.chainHash,
                      result.head.lastRecordedTime?.microsecondsSinceEpoch ?? Int64.min))
        return OpenedSegment(file: file, header: header, length: length, seal: try readSeal(file, length: length))
    }

    /// Where the log before a segment ends: the next position, the chain hash, the last recorded time.
    typealias Link = (position: Position, chainHash: ChainHash, recordedTime: Int64)

    /// Checks that a segment header continues the log where `link` says it ends.
    private func checkLink(_ header: SegmentHeader, file: String, named first: Position, after link: Link) throws(LogError) {
        func damage(_ reason: String) -> LogError {
            .damaged(LogDamage(file: file, offset: 0, position: link.position, reason: reason))
        }
        guard header.firstPosition == first else {
            throw damage("segment header says first position \(header.firstPosition), the file name says \(first)")
        }
        guard header.firstPosition == link.position else {
            throw damage("segment starts at position \(header.firstPosition), but the log before it ends at \(link.position)")
        }
        guard header.previousChainHash == link.chainHash, header.previousRecordedTime == link.recordedTime else {
            throw damage("segment header does not link to the log before it (chain hash or recorded time differ)")
        }
    }

    /// The seal at the end of the file, if the file ends with a valid one.
    private func readSeal(_ file: any LogFile, length: Int64) throws(LogError) -> Seal? {
        guard length >= Int64(SegmentHeader.size + Seal.size) else { return nil }
        guard case .success(let seal) = Seal.decode(try file.read(count: Seal.size, at: length - Int64(Seal.size))),
              seal.dataEnd == UInt64(length) - UInt64(Seal.size) else { return nil }
        return seal
    }

    private func openSealed(
        _ file: any LogFile, header: SegmentHeader, seal: Seal, index: Int, manifest: Manifest, length: Int64
    ) throws(LogError) -> SegmentState {
        let sealOffset = length - Int64(Seal.size)
        func damage(_ reason: String) -> LogError {
            .damaged(LogDamage(file: file.path, offset: sealOffset, position: header.firstPosition, reason: reason))
        }
        guard seal.firstPosition == header.firstPosition else { throw damage("seal's first position differs from the header's") }
        if index < manifest.entries.count, manifest.entries[index] != ManifestEntry(seal: seal, fileLength: UInt64(length)) {
            throw damage("seal or file length differs from the manifest's record of this segment")
        }
        let blocks = try loadIndex(file, header: header, seal: seal)
        return SegmentState(file: file, header: header, blocks: BlockList(blocks), seal: seal, dataEnd: sealOffset)
    }

    /// The saved index when it is intact and agrees with the seal; otherwise rebuilt from the
    /// block headers (and saved again when writable).
    private func loadIndex(_ file: any LogFile, header: SegmentHeader, seal: Seal) throws(LogError) -> [BlockRef] {
        let indexPath = path(LogFiles.indexName(header.firstPosition))
        var saved: [BlockRef]?
        if fs.exists(indexPath), let file = try? fs.open(indexPath, writable: false) {
            saved = SegmentIndexFile.decode(try file.read(count: Int(try file.length()), at: 0))
            if let blocks = saved, indexAgrees(blocks, header: header, seal: seal), !checksIndexes { return blocks }
        }
        var walker = BlockWalker(file: file, header: header, end: Int64(seal.dataEnd), rawBytesMax: configuration.blockRawBytesMax)
        let blocks: [BlockRef]
        defer {
            if !walker.lastEndsAppend {
                openAppends.add(LogDamage(file: file.path, offset: Int64(seal.dataEnd), position: seal.nextPosition,
                                          reason: "the sealed segment ends inside an append whose end is missing in the segments after it (a commit that did not reach the disk)"))
            }
        }
        do {
            blocks = try walker.walkHeaders()
        } catch {
            // A damaged block header: an intact saved index still locates the blocks, so the
            // records before the damage are served and the read that meets it reports it.
            if let saved, indexAgrees(saved, header: header, seal: seal) { return saved }
            throw error
        }
        guard indexAgrees(blocks, header: header, seal: seal) else {
            throw .damaged(LogDamage(file: file.path, offset: Int64(seal.dataEnd), position: header.firstPosition,
                                     reason: "the blocks of a sealed segment disagree with its seal (count, positions or times)"))
        }
        if saved != blocks {
            let reason = !fs.exists(indexPath) ? "block index missing"
                : saved == nil ? "block index damaged (magic, length or CRC-32C)" : "block index disagrees with the block headers"
            derivedDamage.add(LogDamage(file: indexPath, offset: 0, position: header.firstPosition,
                                        reason: reason + "; derived, rebuilt from the segment by the next writer open"))
        }
        if saved == blocks { return blocks }
        if writable {
            try? fs.writeAtomically(SegmentIndexFile.encode(blocks), to: indexPath, in: directory, durable: false)
        }
        return blocks
    }

    private func indexAgrees(_ blocks: [BlockRef], header: SegmentHeader, seal: Seal) -> Bool {
        var position = header.firstPosition
        var offset = Int64(SegmentHeader.size)
        for block in blocks {
            guard block.firstPosition == position, block.offset == offset, block.recordCount > 0 else { return false }
            position = block.nextPosition
            offset = block.end
        }
        return blocks.count == Int(seal.blockCount) && position == seal.nextPosition && offset == Int64(seal.dataEnd)
            && blocks.last.map { $0.lastRecordedTime == seal.lastRecordedTime } ?? true
    }

    /// Recovers the unsealed tail: the first unsealed segment and any later ones, which only an
    /// append session that filled a segment leaves (sealed at its commit).
    ///
    /// Every block is walked, checking header and payload CRCs and the links between segments.
    /// The log ends at the last block that ends an append; blocks after it are an unfinished
    /// append (never acknowledged) and are cut off by a writer, with the later segments that hold
    /// nothing else. Segments before that block are whole (sealed by the writer once open).
    /// Damage before the end, or in a segment followed by another, is refused.
    private func recoverTail(_ first: OpenedSegment, later: [Position], head: LogHead, witness: Witness) throws(LogError)
        -> (segments: [SegmentState], head: LogHead, unfinished: Unfinished?, holdsData: Bool)
    {
        var walks: [(segment: OpenedSegment, outcome: BlockWalker.Outcome)] = []
        var link: Link = (head.nextPosition, head.chainHash, head.lastRecordedTime?.microsecondsSinceEpoch ?? Int64.min)
        var segment: OpenedSegment? = first
        var leftover: [any LogFile] = []
        for next in [nil] + later.map(Optional.some) {
            if let next {
                segment = try openTailSegment(next, isLast: next == later.last, after: link, leftover: &leftover)
            }
            guard let current = segment else { break }
            var walker = BlockWalker(file: current.file, header: current.header, end: current.length,
                                     rawBytesMax: configuration.blockRawBytesMax)
            let outcome = try walker.walkVerifyingPayloads()
            let cleanEnd = (outcome.blocks + outcome.trailing).last?.end ?? Int64(SegmentHeader.size)
            // In a segment another follows, the only tolerated fault is a torn seal: at most a
            // seal's bytes after the last whole block, with the next segment's header linking to
            // that block (checked when it is opened).
            if let fault = outcome.fault, current.header.firstPosition != (later.last ?? first.header.firstPosition),
               fault.offset != cleanEnd || current.length - cleanEnd > Int64(Seal.size) {
                throw .damaged(LogDamage(file: current.file.path, offset: fault.offset, position: fault.position,
                                         reason: fault.reason + "; a later segment follows, so this is not a torn tail"))
            }
            walks.append((current, outcome))
            let all = outcome.blocks + outcome.trailing
            if let last = all.last, let header = outcome.lastHeader {
                link = (last.nextPosition, header.chainHashAfter, header.lastRecordedTime)
            }
        }
        // The segment holding the log's last end flag (the first one when no later one has any).
        let end = walks.indices.last { $0 == 0 || !walks[$0].outcome.blocks.isEmpty }!
        let outcome = walks[end].outcome
        try checkAcknowledged(walks.map { ($0.segment, $0.outcome) }, end: end, witness: witness)
        var segments: [SegmentState] = []
        for (opened, walk) in walks[..<end] {
            let blocks = walk.blocks + walk.trailing
            segments.append(SegmentState(file: opened.file, header: opened.header, blocks: BlockList(blocks),
                                         seal: nil, dataEnd: blocks.last?.end ?? Int64(SegmentHeader.size)))
        }
        let last = walks[end].segment
        segments.append(SegmentState(file: last.file, header: last.header, blocks: BlockList(outcome.blocks), seal: nil,
                                     dataEnd: outcome.batchEnd))
        let removable = walks[(end + 1)...].map(\.segment.file) + leftover
        let unfinished = outcome.batchEnd < last.length || !removable.isEmpty
            ? Unfinished(file: last.file, end: outcome.batchEnd, length: last.length, later: removable) : nil
        let holdsData = !later.isEmpty || first.length > Int64(SegmentHeader.size)
        let lastSegment = segments[segments.count - 1]
        let newHead: LogHead
        if let block = lastSegment.blocks.last {
            newHead = LogHead(nextPosition: block.nextPosition, chainHash: try lastChainHash(lastSegment),
                              lastRecordedTime: RecordedTime(microsecondsSinceEpoch: block.lastRecordedTime))
        } else {
            let previous = lastSegment.header.previousRecordedTime
            newHead = LogHead(nextPosition: lastSegment.firstPosition, chainHash: lastSegment.header.previousChainHash,
                              lastRecordedTime: previous == Int64.min ? nil : RecordedTime(microsecondsSinceEpoch: previous))
        }
        return (segments, newHead, unfinished, holdsData)
    }

    /// Opens a later segment of the tail and checks it links to the blocks before it. An
    /// empty last segment whose creation was torn is nil (and is removed with the unfinished append).
    private func openTailSegment(_ first: Position, isLast: Bool, after link: Link, leftover: inout [any LogFile])
        throws(LogError) -> OpenedSegment?
    {
        let segmentPath = path(LogFiles.segmentName(first))
        let file = try fs.open(segmentPath, writable: writable)
        let length = try file.length()
        switch SegmentHeader.decode(try file.read(count: SegmentHeader.size, at: 0)) {
        case .success(let header):
            do { try checkLink(header, file: segmentPath, named: first, after: link) } catch {
                // A last segment holding nothing but a header that does not link: its creation
                // by an append that was then rolled back was never undone on disk. Nothing to keep.
                guard isLast, length <= Int64(SegmentHeader.size) else { throw error }
                leftover.append(file)
                return nil
            }
            guard try readSeal(file, length: length) == nil else {
                throw .damaged(LogDamage(file: segmentPath, offset: 0, position: first,
                                         reason: "a sealed segment follows an unsealed one"))
            }
            return OpenedSegment(file: file, header: header, length: length, seal: nil)
        case .failure(let reason):
            guard isLast, length <= Int64(SegmentHeader.size) else {
                throw .damaged(LogDamage(file: segmentPath, offset: 0, position: link.position, reason: reason.text))
            }
            leftover.append(file)
            return nil
        }
    }

    /// Refuses a tail that lost acknowledged data: damage below the acknowledged length, or whole
    /// appends that end before it.
    private func checkAcknowledged(_ outcome: BlockWalker.Outcome, of segment: OpenedSegment, acknowledged: Int64)
        throws(LogError)
    {
        let file = segment.file
        if let fault = outcome.fault, fault.offset < acknowledged {
            throw .damaged(LogDamage(
                file: file.path, offset: fault.offset, position: fault.position,
                reason: fault.reason + "; this block was acknowledged (appends were acknowledged up to offset \(acknowledged))"))
        }
        guard outcome.batchEnd >= acknowledged else {
            throw .damaged(LogDamage(
                file: file.path, offset: outcome.batchEnd, position: outcome.blocks.last?.nextPosition ?? segment.header.firstPosition,
                reason: "the segment holds whole appends only up to offset \(outcome.batchEnd), but appends were acknowledged up to offset \(acknowledged): acknowledged records are missing"))
        }
    }

    /// Cuts an unfinished append off the end of the log: the segment is truncated after its last
    /// whole append and the later segments holding only the unfinished append are removed.
    private func cutUnfinished(_ file: any LogFile, to end: Int64, length: Int64, removing later: [any LogFile]) throws(LogError) {
        // Later segments first, newest first: a crash in between leaves a tail this recovers again.
        for segment in later.reversed() {
            try fs.remove(segment.path)
        }
        if !later.isEmpty { try fs.syncDirectory(directory) }
        if end < length {
            try file.truncate(to: end)
            try file.syncData()
        }
    }

    /// How much of the segment the checkpoint says was acknowledged; the header alone when the
    /// checkpoint is missing, unreadable or about an earlier segment.
    /// Finds the segment of the tail the checkpoint names and refuses a tail that ends before
    /// what it says was acknowledged there.
    private func checkAcknowledged(_ walks: [(OpenedSegment, BlockWalker.Outcome)], end: Int, witness: Witness) throws(LogError) {
        guard let checkpoint = witness.checkpoint else { return }
        let named = checkpoint.segmentFirstPosition
        guard let index = walks.firstIndex(where: { $0.0.header.firstPosition == named }) else {
            let first = walks[0].0.header.firstPosition
            guard named > first else { return }  // about a sealed segment before the tail
            throw .damaged(LogDamage(
                file: path(LogFiles.segmentName(first)), offset: 0, position: first,
                reason: "the segment is not sealed and the checkpoint names the later segment \(LogFiles.segmentName(named)), which is not part of the log"))
        }
        let (segment, outcome) = walks[index]
        let acknowledged = Int64(checkpoint.acknowledgedLength)
        guard end >= index else {
            throw .damaged(LogDamage(
                file: segment.file.path, offset: 0, position: segment.header.firstPosition,
                reason: "no whole append ends in this segment, but the checkpoint says appends were acknowledged up to offset \(acknowledged): acknowledged records are missing"))
        }
        if end == index {
            try checkAcknowledged(outcome, of: segment, acknowledged: acknowledged)
        } else if segment.length < acknowledged {
            throw .damaged(LogDamage(
                file: segment.file.path, offset: segment.length, position: nil,
                reason: "the segment is \(segment.length) bytes, but the checkpoint says appends were acknowledged up to offset \(acknowledged)"))
        }
    }

    private func lastChainHash(_ segment: SegmentState) throws(LogError) -> ChainHash {
        guard let last = segment.blocks.last else { return segment.header.previousChainHash }
        let bytes = try segment.file.read(count: BlockHeader.size, at: last.offset)
        switch bytes.withUnsafeBytes({ BlockHeader.decode($0) }) {
        case .success(let header): return header.chainHashAfter
        case .failure(let reason):
            throw .damaged(LogDamage(file: segment.path, offset: last.offset, position: last.firstPosition, reason: reason.text))
        }
    }
}

/// Damage notes collected while opening (derived files that were rebuilt).
final class DamageNotes: @unchecked Sendable {
    // Touched by the one thread that opens the log, before the log is shared.
    private(set) var all: [LogDamage] = []
    func add(_ damage: LogDamage) { all.append(damage) }
}
