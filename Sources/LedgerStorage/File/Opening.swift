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

    struct Result {
        var segments: [SegmentState]
        var head: LogHead
        var manifest: Manifest
        /// The manifest file is missing or lacks segments sealed before a crash.
        var manifestNeedsWrite: Bool
    }

    func path(_ name: String) -> String { directory + "/" + name }

    func open() throws(LogError) -> Result {
        let names = try Directory.list(directory)
        let firsts = names.compactMap(LogFiles.segmentFirstPosition)
        let manifest = try readManifest()
        guard manifest.entries.count <= firsts.count else {
            let missing = LogFiles.segmentName(manifest.entries[firsts.count].seal.firstPosition)
            throw .damaged(LogDamage(file: path(missing), offset: 0, position: manifest.entries[firsts.count].seal.firstPosition,
                                     reason: "segment file listed in the manifest is missing"))
        }
        let manifestMissing = !Directory.exists(path(LogFiles.manifest))
        var result = Result(segments: [], head: .empty, manifest: manifest, manifestNeedsWrite: writable && manifestMissing)
        for (index, first) in firsts.enumerated() {
            if index < manifest.entries.count, manifest.entries[index].seal.firstPosition != first {
                let expected = manifest.entries[index].seal.firstPosition
                throw .damaged(LogDamage(file: path(LogFiles.segmentName(expected)), offset: 0, position: expected,
                                         reason: "segment file listed in the manifest is missing"))
            }
            let isLast = index == firsts.count - 1
            guard let segment = try openSegment(first, index: index, isLast: isLast, result: result) else { break }
            result.segments.append(segment)
            if let seal = segment.seal {
                result.head = LogHead(nextPosition: seal.nextPosition, chainHash: seal.chainHash,
                                      lastRecordedTime: RecordedTime(microsecondsSinceEpoch: seal.lastRecordedTime))
                if writable && index >= result.manifest.entries.count {
                    result.manifest.entries.append(ManifestEntry(seal: seal, fileLength: UInt64(segment.dataEnd) + UInt64(Seal.size)))
                    result.manifestNeedsWrite = true
                }
            } else if let last = segment.blocks.last {
                result.head = LogHead(nextPosition: last.nextPosition, chainHash: try lastChainHash(segment),
                                      lastRecordedTime: RecordedTime(microsecondsSinceEpoch: last.lastRecordedTime))
            }
        }
        return result
    }

    private func readManifest() throws(LogError) -> Manifest {
        let manifestPath = path(LogFiles.manifest)
        guard Directory.exists(manifestPath) else { return Manifest() }
        let file = try SystemFile.open(manifestPath, writable: false)
        let bytes = try file.read(count: Int(try file.length()), at: 0)
        switch Manifest.decode(bytes) {
        case .success(let manifest): return manifest
        case .failure(let reason): throw .damaged(LogDamage(file: manifestPath, offset: 0, position: nil, reason: reason.text))
        }
    }

    /// Opens one segment; nil when it is an empty last segment whose creation was torn (the
    /// caller starts it again).
    private func openSegment(_ first: Position, index: Int, isLast: Bool, result: Result) throws(LogError) -> SegmentState? {
        let segmentPath = path(LogFiles.segmentName(first))
        let file = try SystemFile.open(segmentPath, writable: writable && isLast)
        let length = try file.length()
        let head = result.head
        func damage(_ offset: Int64, _ reason: String, _ position: Position? = nil) -> LogError {
            .damaged(LogDamage(file: segmentPath, offset: offset, position: position ?? head.nextPosition, reason: reason))
        }
        let header: SegmentHeader
        switch SegmentHeader.decode(try file.read(count: SegmentHeader.size, at: 0)) {
        case .success(let decoded): header = decoded
        case .failure(let reason):
            // A crash while starting the next segment leaves a short, empty file after a sealed one.
            if isLast, index > 0, result.segments.last?.seal != nil, length <= Int64(SegmentHeader.size) { return nil }
            throw damage(0, reason.text)
        }
        guard header.firstPosition == first else {
            throw damage(0, "segment header says first position \(header.firstPosition), the file name says \(first)")
        }
        guard header.firstPosition == head.nextPosition else {
            throw damage(0, "segment starts at position \(header.firstPosition), but the log before it ends at \(head.nextPosition)")
        }
        guard header.previousChainHash == head.chainHash,
              header.previousRecordedTime == (head.lastRecordedTime?.microsecondsSinceEpoch ?? Int64.min) else {
            throw damage(0, "segment header does not link to the previous segment's seal (chain hash or recorded time differ)")
        }
        if let seal = try readSeal(file, length: length) {
            return try openSealed(file, header: header, seal: seal, index: index, manifest: result.manifest, length: length)
        }
        guard isLast else { throw damage(max(length - Int64(Seal.size), 0), "segment is not sealed, but a later segment exists") }
        return try recoverTail(file, header: header, length: length)
    }

    /// The seal at the end of the file, if the file ends with a valid one.
    private func readSeal(_ file: SystemFile, length: Int64) throws(LogError) -> Seal? {
        guard length >= Int64(SegmentHeader.size + Seal.size) else { return nil }
        guard case .success(let seal) = Seal.decode(try file.read(count: Seal.size, at: length - Int64(Seal.size))),
              seal.dataEnd == UInt64(length) - UInt64(Seal.size) else { return nil }
        return seal
    }

    private func openSealed(
        _ file: SystemFile, header: SegmentHeader, seal: Seal, index: Int, manifest: Manifest, length: Int64
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
        return SegmentState(file: file, header: header, blocks: blocks, seal: seal, dataEnd: sealOffset)
    }

    /// The saved index when it is intact and agrees with the seal; otherwise rebuilt from the
    /// block headers (and saved again when writable).
    private func loadIndex(_ file: SystemFile, header: SegmentHeader, seal: Seal) throws(LogError) -> [BlockRef] {
        let indexPath = path(LogFiles.indexName(header.firstPosition))
        if Directory.exists(indexPath), let saved = try? SystemFile.open(indexPath, writable: false),
           let blocks = SegmentIndexFile.decode(try saved.read(count: Int(try saved.length()), at: 0)),
           indexAgrees(blocks, header: header, seal: seal) {
            return blocks
        }
        var walker = BlockWalker(file: file, header: header, end: Int64(seal.dataEnd), rawBytesMax: configuration.blockRawBytesMax)
        let blocks = try walker.walkHeaders()
        guard indexAgrees(blocks, header: header, seal: seal) else {
            throw .damaged(LogDamage(file: file.path, offset: Int64(seal.dataEnd), position: header.firstPosition,
                                     reason: "the blocks of a sealed segment disagree with its seal (count, positions or times)"))
        }
        if writable {
            try? Directory.writeAtomically(SegmentIndexFile.encode(blocks), to: indexPath, in: directory, durable: false)
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

    /// Walks the unsealed last segment block by block and cuts off a torn tail.
    private func recoverTail(_ file: SystemFile, header: SegmentHeader, length: Int64) throws(LogError) -> SegmentState {
        let acknowledged = try acknowledgedLength(of: header)
        var walker = BlockWalker(file: file, header: header, end: length, rawBytesMax: configuration.blockRawBytesMax)
        let outcome = try walker.walkVerifyingPayloads()
        if let fault = outcome.fault, fault.offset < acknowledged {
            throw .damaged(LogDamage(
                file: file.path, offset: fault.offset, position: fault.position,
                reason: fault.reason + "; this block was acknowledged (appends were acknowledged up to offset \(acknowledged))"))
        }
        guard outcome.batchEnd >= acknowledged else {
            throw .damaged(LogDamage(
                file: file.path, offset: outcome.batchEnd, position: outcome.blocks.last?.nextPosition ?? header.firstPosition,
                reason: "the segment holds whole appends only up to offset \(outcome.batchEnd), but appends were acknowledged up to offset \(acknowledged): acknowledged records are missing"))
        }
        if writable && outcome.batchEnd < length {
            try file.truncate(to: outcome.batchEnd)
            try file.syncData()
        }
        return SegmentState(file: file, header: header, blocks: outcome.blocks, seal: nil, dataEnd: outcome.batchEnd)
    }

    /// How much of the segment the checkpoint says was acknowledged; the header alone when the
    /// checkpoint is missing, unreadable or about an earlier segment.
    private func acknowledgedLength(of header: SegmentHeader) throws(LogError) -> Int64 {
        let checkpointPath = path(LogFiles.checkpoint)
        guard Directory.exists(checkpointPath) else { return Int64(SegmentHeader.size) }
        let bytes = try SystemFile.open(checkpointPath, writable: false).read(count: Checkpoint.size, at: 0)
        guard let checkpoint = Checkpoint.decode(bytes) else { return Int64(SegmentHeader.size) }
        if checkpoint.segmentFirstPosition > header.firstPosition {
            throw .damaged(LogDamage(
                file: checkpointPath, offset: 0, position: checkpoint.segmentFirstPosition,
                reason: "the checkpoint names segment \(LogFiles.segmentName(checkpoint.segmentFirstPosition)), which is missing"))
        }
        return checkpoint.segmentFirstPosition == header.firstPosition
            ? Int64(checkpoint.acknowledgedLength) : Int64(SegmentHeader.size)
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
