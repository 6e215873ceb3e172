import Dispatch
import Synchronization

extension FileLog {
    /// The hash function of the file log's Merkle tree: the log's own (``hashAlgorithm``).
    public var treeAlgorithm: LogHashAlgorithm { hashAlgorithm }

    /// The tree an append starts from, when this writer maintains it.
    func maintainedTree(_ state: WriterState) -> LogTree? {
        maintainsTree.withLock { $0 } ? tree.withLock { $0 } : nil
    }

    /// Loads the tree when a writer opens: from the `MERKLE` file, catching up from the records
    /// where the file is short or damaged (said so in ``derivedDamage``), and rewrites the file
    /// when it did not hold every complete chunk. Then keeps the file open for the commits.
    /// Nothing here can fail the open: the tree is derived. When it cannot be built (a damaged
    /// record), the writer does not maintain it and says why; when the file cannot be written,
    /// the tree is kept in memory only.
    func startTreeMaintenance() {
        let loaded: (tree: LogTree, intactChunks: Int)
        do { loaded = try loadTree() } catch {
            noteTreeDamage(offset: 0, position: nil, "the Merkle tree could not be rebuilt from the records (\(error)); it is not maintained until the log is repaired")
            return
        }
        tree.withLock { $0 = loaded.tree }
        maintainsTree.withLock { $0 = true }
        do {
            if loaded.intactChunks != loaded.tree.chunkCount || !fs.exists(treePath) {
                try fs.writeAtomically(
                    TreeFile.header(treeAlgorithm) + TreeFile.entries(loaded.tree.levels[0][...], first: 0),
                    to: treePath, in: directory, durable: false)
            }
            let file = try fs.open(treePath, writable: true, create: false, exclusive: false)
            treeFile.withLock { $0 = file }
        } catch {
            noteTreeDamage(offset: 0, position: nil, "the Merkle tree file could not be written (\(error)); the tree is kept in memory and the file rebuilt by the next writer")
        }
    }

    func noteTreeDamage(offset: Int64, position: Position?, _ reason: String) {
        treeDamage.withLock { $0.append(LogDamage(file: treePath, offset: offset, position: position, reason: reason)) }
    }

    var treePath: String { directory + "/" + TreeFile.name }

    /// Reads the tree file and completes it from the records: the tree of every record, and how
    /// many chunk hashes the file held intact. Problems are noted in ``derivedDamage``; nothing
    /// is written.
    func loadTree() throws(LogError) -> (tree: LogTree, intactChunks: Int) {
        let records = try head.recordCount
        let contents = try readTreeFile(limit: Int(records >> UInt64(TreeFile.chunkShift)))
        var tree = LogTree(algorithm: treeAlgorithm)
        let hasher = TreeHasher(treeAlgorithm)
        tree.append(chunks: contents.chunks, hasher: hasher)
        if let problem = contents.problem {
            let rebuilt = UInt64(contents.chunks.count) << UInt64(TreeFile.chunkShift)
            noteTreeDamage(offset: problem.offset, position: Position(rebuilt),
                           "Merkle tree file: \(problem.reason); rebuilt from the records from position \(rebuilt)")
        }
        try extend(&tree, to: records)
        return (tree, contents.chunks.count)
    }

    /// The intact entries of the tree file (none when it is missing), at most `limit`.
    func readTreeFile(limit: Int) throws(LogError) -> TreeFile.Contents {
        guard fs.exists(treePath) else {
            var contents = TreeFile.Contents()
            if limit > 0 { contents.problem = (0, "the file is missing") }
            return contents
        }
        let file = try fs.open(treePath, writable: false)
        let length = try file.length()
        let wanted = min(length, TreeFile.offset(ofChunk: limit))
        let bytes = try file.read(count: Int(wanted), at: 0)
        return TreeFile.decode(bytes, algorithm: treeAlgorithm, limit: limit)
    }

    /// Adds the records from `tree.size` up to `end` to `tree`, hashing them as read.
    func extend(_ tree: inout LogTree, to end: UInt64) throws(LogError) {
        guard tree.size < end else { return }
        let hasher = TreeHasher(tree.algorithm)
        var growth = TreeGrowth(partial: tree.partial)
        try scan(from: Position(tree.size), to: Position(end)) { view in
            growth.add(hasher.leaf(position: view.position, recordedTime: view.recordedTime, payload: view.payload),
                       hasher: hasher)
        }
        tree.append(chunks: growth.chunks, hasher: hasher)
        tree.partial = growth.partial
    }

    /// `forEach` for callers whose body cannot fail: only the log's own errors come out.
    /// `checksChain` false skips the reads' chain check, for `verify`'s tree pass only.
    func scan(from start: Position, to end: Position, checksChain: Bool = true, _ body: (LogRecordView) -> Void) throws(LogError) {
        do {
            try forEach(from: start, to: end, checksChain: checksChain && configuration.readChecksChain, body)
        } catch let error as LogError {
            throw error
        } catch {
            preconditionFailure("a scan whose body cannot fail threw \(error)")
        }
    }

    /// Publishes a committed append's growth of the tree and writes the chunks it completed to
    /// the tree file (not synced: the file is derived, and a short file is caught up on open).
    /// A failed write only costs a rebuild on the next open; the tree in memory stays right.
    func publishTree(_ growth: TreeGrowth) {
        let hasher = TreeHasher(treeAlgorithm)
        let first = tree.withLock { (tree) -> Int in
            let first = tree?.chunkCount ?? 0
            tree?.append(chunks: growth.chunks, hasher: hasher)
            tree?.partial = growth.partial
            return first
        }
        guard !growth.chunks.isEmpty, let file = treeFile.withLock({ $0 }) else { return }
        try? file.write(TreeFile.entries(growth.chunks[...], first: first), at: TreeFile.offset(ofChunk: first))
    }

    /// The tree of every record the log holds now: the maintained one, or one built from the
    /// tree file and the records (and kept for the next call).
    func currentTree() throws(LogError) -> LogTree {
        let records = try head.recordCount
        if let kept = tree.withLock({ $0 }), kept.size >= records { return kept }
        var built: LogTree
        if let kept = tree.withLock({ $0 }) { built = kept } else { built = try loadTree().tree }
        try extend(&built, to: records)
        let result = built
        tree.withLock { kept in
            if (kept?.size ?? 0) < result.size { kept = result }
        }
        return result
    }
}

extension FileLog {
    /// Recomputes the Merkle tree's chunk hashes from the records (one run per core) and compares
    /// them with the tree file: a missing, short, damaged or crafted file is named (derived
    /// damage: it does not make the log damaged, and the next writer open rebuilds it). Call it
    /// only once the chain pass found every block intact (``chunkHashes(_:)`` relies on it).
    func verifyTree() throws(LogError) -> [LogDamage] {
        let records = try head.recordCount
        let chunks = Int(records >> UInt64(TreeFile.chunkShift))
        let contents = try readTreeFile(limit: chunks)
        var damage: [LogDamage] = []
        if let problem = contents.problem {
            damage.append(LogDamage(file: treePath, offset: problem.offset,
                                    position: Position(UInt64(contents.chunks.count) << UInt64(TreeFile.chunkShift)),
                                    reason: "Merkle tree file: \(problem.reason)"))
        }
        let computed = try chunkHashes(0..<contents.chunks.count)
        if let bad = contents.chunks.indices.first(where: { contents.chunks[$0] != computed[$0] }) {
            let first = UInt64(bad) << UInt64(TreeFile.chunkShift)
            damage.append(LogDamage(
                file: treePath, offset: TreeFile.offset(ofChunk: bad), position: Position(first),
                reason: "Merkle tree file: chunk \(bad) (records \(first)..<\(first + UInt64(LogTree.chunkLeaves))) holds \(contents.chunks[bad]), the records give \(computed[bad])"))
        }
        return damage
    }

    /// The hashes of complete chunks `chunks`, computed from the records on every core. Only
    /// `verifyTree` calls this, after `verify` recomputed the hash chain over every block: the
    /// reads here skip the chain check, which would hash every record a second time (with SM3,
    /// half of verify's time).
    func chunkHashes(_ chunks: Range<Int>) throws(LogError) -> [TreeHash] {
        let runs = max(1, min(System.coreCount, chunks.count / 16))
        let bounds = (0...runs).map { chunks.lowerBound + $0 * chunks.count / runs }
        let results = Mutex([Result<[TreeHash], LogError>?](repeating: nil, count: runs))
        let shift = UInt64(TreeFile.chunkShift)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            let hasher = TreeHasher(treeAlgorithm)
            var growth = TreeGrowth(partial: [])
            let result = Result { () throws(LogError) -> [TreeHash] in
                try scan(from: Position(UInt64(bounds[run]) << shift), to: Position(UInt64(bounds[run + 1]) << shift),
                         checksChain: false) { view in
                    growth.add(hasher.leaf(position: view.position, recordedTime: view.recordedTime, payload: view.payload),
                               hasher: hasher)
                }
                return growth.chunks
            }
            results.withLock { $0[run] = result }
        }
        var hashes: [TreeHash] = []
        for result in results.withLock({ $0 }) { hashes += try result!.get() }
        return hashes
    }
}
