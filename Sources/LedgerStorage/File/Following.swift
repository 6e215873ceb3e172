/// A reader in another process following the writer: the acknowledged prefix a read-only open
/// serves, and ``FileLog/refresh()``, which moves a read-only log on to what the writer has
/// acknowledged since.
extension FileLog {
    /// Moves a read-only log on to the records the writer has acknowledged since it opened (or
    /// last refreshed) and returns the new head; a writer's log returns its head as it is.
    ///
    /// It first reads the checkpoint (one small read): when the writer has acknowledged nothing
    /// new, nothing else is read. Otherwise the directory is opened again as a read-only open does
    /// (headers, seals, indexes; the unsealed tail walked with its CRCs checked), and only the
    /// records the checkpoint acknowledges are served — never a torn or unacknowledged tail. The
    /// new history must continue the old one: the chain hash at the old head must be the one this
    /// reader saw, or the call throws ``LogError/damaged(_:)`` and the reader keeps what it had.
    /// Segments sealed and started by the writer in between are picked up by the new open.
    @discardableResult
    public func refresh() throws(LogError) -> LogHead {
        let current = try snapshot()
        guard isReadOnly else { return current.head }
        let opener = LogOpener(directory: directory, configuration: configuration, writable: false)
        if let checkpoint = try Self.readCheckpoint(directory, fs), checkpoint.nextPosition <= current.head.nextPosition {
            return current.head
        }
        var opened = try opener.open()
        (opened.segments, opened.head) = try Self.acknowledgedPrefix(of: opened)
        let fresh = LogSnapshot(segments: opened.segments, head: opened.head)
        try Self.checkContinues(fresh, from: current.head, directory: directory)
        return try shared.withLock { (state) throws(LogError) -> LogHead in
            if state.closed { throw .closed }
            // Another refresh may have published more meanwhile: never go back.
            if state.snapshot.head.nextPosition < fresh.head.nextPosition { state.snapshot = fresh }
            return state.snapshot.head
        }
    }

    /// The newest intact checkpoint in the log's CHECKPOINT file, nil when there is none.
    static func readCheckpoint(_ directory: String, _ fs: any FileSystem) throws(LogError) -> Checkpoint? {
        let path = directory + "/" + LogFiles.checkpoint
        guard fs.exists(path) else { return nil }
        let file = try fs.open(path, writable: false)
        let bytes = try file.read(count: Int(CheckpointFile.copyOffsets[1]) + Checkpoint.size, at: 0)
        return CheckpointFile.decode(bytes).first?.checkpoint
    }

    /// Refuses a history that does not continue the one a reader saw up to `head`.
    private static func checkContinues(_ fresh: LogSnapshot, from head: LogHead, directory: String) throws(LogError) {
        guard fresh.head.nextPosition >= head.nextPosition else {
            throw .damaged(LogDamage(file: directory, offset: 0, position: fresh.head.nextPosition,
                                     reason: "the log now acknowledges \(fresh.head.nextPosition) records, but this reader already served \(head.nextPosition)"))
        }
        let hash = try chainHash(through: head.nextPosition, in: fresh)
        guard hash == head.chainHash else {
            throw .damaged(LogDamage(file: directory, offset: 0, position: head.nextPosition,
                                     reason: "the chain hash at the reader's head \(head.nextPosition) is now \(hash.map { "\($0)" } ?? "unknown"), not \(head.chainHash): the history was rewritten"))
        }
    }

    /// The segments and head of an opened log cut back to what its checkpoint acknowledges: a
    /// writer makes an append durable (its end flag and `fdatasync`) before it moves the
    /// checkpoint, so records past the checkpoint may still be in doubt and a reader does not serve them.
    static func acknowledgedPrefix(of opened: LogOpener.Result) throws(LogError) -> ([SegmentState], LogHead) {
        guard let end = opened.checkpoint?.nextPosition, end < opened.head.nextPosition else { return (opened.segments, opened.head) }
        var segments = opened.segments.filter { $0.firstPosition < end || $0.firstPosition == .zero }
        var last = segments.removeLast()
        let kept = last.blocks.filter { $0.nextPosition <= end }
        guard (kept.last?.nextPosition ?? last.firstPosition) == end else {
            throw .damaged(LogDamage(file: last.path, offset: 0, position: end,
                                     reason: "the checkpoint acknowledges \(end) records, which is not the end of an append in this segment"))
        }
        if kept.count < last.blocks.count { last.seal = nil }
        last.blocks = BlockList(kept)
        last.dataEnd = kept.last?.end ?? Int64(SegmentHeader.size)
        segments.append(last)
        let snapshot = LogSnapshot(segments: segments, head: LogHead(
            nextPosition: end, chainHash: last.header.previousChainHash,
            lastRecordedTime: last.header.previousRecordedTime == Int64.min ? nil : RecordedTime(microsecondsSinceEpoch: last.header.previousRecordedTime)))
        guard let block = kept.last else { return (segments, snapshot.head) }
        let hash = try chainHash(through: end, in: LogSnapshot(segments: segments, head: LogHead(nextPosition: end, chainHash: .genesis, lastRecordedTime: nil)))
        return (segments, LogHead(nextPosition: end, chainHash: hash ?? .genesis,
                                  lastRecordedTime: RecordedTime(microsecondsSinceEpoch: block.lastRecordedTime)))
    }
}
