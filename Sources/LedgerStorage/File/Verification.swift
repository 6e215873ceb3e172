import Dispatch
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Recomputes CRCs and the hash chain over blocks, in parallel: the blocks are cut into one
/// contiguous run per core, and each run starts from the chain hash stored in the block header
/// before it (checked in turn by the run before). The earliest damage wins.
struct ChainVerifier {
    struct Item {
        var segment: SegmentState
        var ref: BlockRef
        /// This is the last block of a sealed segment: the chain must also equal the seal's.
        var closesSeal: Bool
    }

    struct RunResult {
        var records: UInt64 = 0
        var rawBytes: UInt64 = 0
        var storedBytes: UInt64 = 0
        var chain: ChainHash
        var damage: LogDamage?
        /// The position of the record after which the chain equals `expected`.
        var expectedAt: Position?
    }

    let rawBytesMax: Int
    /// The chain's hash function (the log's, from its segment headers).
    var hashAlgorithm: LogHashAlgorithm = .sha256
    /// A head known from before, looked for after every record.
    var expected: ChainHash?
    /// Told the stored bytes verified so far and the total, about every 8 MiB, from any thread.
    var progress: (@Sendable (_ doneBytes: Int64, _ totalBytes: Int64) -> Void)?
    /// Stored bytes verified so far, across runs.
    private let doneBytes = ByteCounter()
    /// Stored bytes to verify.
    var totalBytes: Int64 = 0

    func verify(_ items: [Item], startingAt start: ChainHash, runs requested: Int) -> VerificationReport {
        let runs = max(1, min(requested, items.count / 4))
        let bounds = (0...runs).map { $0 * items.count / runs }
        let results = Mutex([RunResult?](repeating: nil, count: runs))
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            let slice = items[bounds[run]..<bounds[run + 1]]
            let result = verifyRun(slice, startingAt: run == 0 ? start : storedHashBefore(slice.first!, items, bounds[run]))
            results.withLock { $0[run] = result }
        }
        var report = VerificationReport(records: 0, rawBytes: 0, storedBytes: 0, chainHash: start, damage: nil)
        for result in results.withLock({ $0 }) {
            guard let result else { continue }
            report.records += result.records
            report.rawBytes += result.rawBytes
            report.storedBytes += result.storedBytes
            report.chainHash = result.chain
            if let found = result.expectedAt { report.expectedHeadEnd = found.advanced(by: 1) }
            if let damage = result.damage {
                report.damage = damage
                break
            }
        }
        return report
    }

    /// The chain hash a run starts from: the segment header's for a segment's first block,
    /// otherwise the previous block header's (a damaged header yields genesis; the run before
    /// reports that damage first).
    private func storedHashBefore(_ item: Item, _ items: [Item], _ index: Int) -> ChainHash {
        if item.ref.offset == Int64(SegmentHeader.size) { return item.segment.header.previousChainHash }
        let previous = items[index - 1]
        guard let bytes = try? previous.segment.file.read(count: BlockHeader.size, at: previous.ref.offset),
              case .success(let header) = bytes.withUnsafeBytes({ BlockHeader.decode($0) }) else { return .genesis }
        return header.chainHashAfter
    }

    private func verifyRun(_ items: ArraySlice<Item>, startingAt start: ChainHash) -> RunResult {
        let reader = BlockReader(rawBytesMax: rawBytesMax)
        let chain = HashChain(start, frameBytesMax: rawBytesMax, algorithm: hashAlgorithm)
        var result = RunResult(chain: start)
        var previousTime = Int64.min
        for item in items {
            func fail(_ reason: String, _ position: Position? = nil, offset: Int64? = nil) -> RunResult {
                result.chain = chain.hash
                result.damage = LogDamage(file: item.segment.path, offset: offset ?? item.ref.offset,
                                          position: position ?? item.ref.firstPosition, reason: reason)
                return result
            }
            let header: BlockHeader
            do {
                header = try reader.withBlock(item.ref, in: item.segment) { header, frames in
                    try BlockDecoder.forEachRecord(in: frames, header: header, previousTime: previousTime) { frame, view in
                        chain.advance(over: frame)
                        if let expected, chain.isAt(expected) { result.expectedAt = view.position }
                    }
                    return header
                }
            } catch let LogError.damaged(damage) {
                result.damage = damage
                result.chain = chain.hash
                return result
            } catch {
                return fail((error as? BlockFault)?.reason ?? "\(error)", (error as? BlockFault)?.position)
            }
            guard chain.isAt(header.chainHashAfter) else {
                return fail("hash chain broken: recomputed \(chain.hash) after this block, its header stores \(header.chainHashAfter)")
            }
            if item.closesSeal, let seal = item.segment.seal, !chain.isAt(seal.chainHash) {
                return fail("hash chain broken: the seal stores \(seal.chainHash), the blocks give \(chain.hash)",
                            seal.nextPosition, offset: Int64(seal.dataEnd))
            }
            previousTime = header.lastRecordedTime
            result.records += UInt64(header.recordCount)
            result.rawBytes += UInt64(header.rawLength)
            result.storedBytes += UInt64(BlockHeader.size) + UInt64(header.storedLength)
            if let progress {
                let size = Int64(item.ref.end - item.ref.offset)
                let before = doneBytes.value.add(size, ordering: .relaxed).oldValue
                if before >> 23 != (before + size) >> 23 { progress(before + size, totalBytes) }
            }
        }
        result.chain = chain.hash
        return result
    }
}

/// A counter shared by the verifying threads.
final class ByteCounter: Sendable {
    let value = Atomic<Int64>(0)
}

extension FileLog {
    /// Recomputes every checksum and the hash chain over the blocks holding `range` (the whole
    /// log when nil), using every core, and reports the first damage with its file, offset and
    /// position. A range check starts from the chain hash stored before its first block.
    public func verify(_ range: Range<Position>? = nil) throws(LogError) -> VerificationReport {
        try verify(range, expectHead: nil)
    }

    /// Verifies like ``verify(_:)`` and also checks the log against a head hash known from
    /// before (written down, published, or held by another party): it must be the chain hash
    /// after one of the log's records (or genesis), or the log's history was rewritten — even a
    /// whole chain recomputed with valid CRCs is caught. The report says how many records it covers.
    public func verify(_ range: Range<Position>? = nil, expectHead: ChainHash?) throws(LogError) -> VerificationReport {
        let snapshot = try beginRead()
        defer { endRead() }
        var report = Self.verify(snapshot, range: range, rawBytesMax: configuration.blockRawBytesMax,
                                 expectHead: expectHead, progress: nil)
        report.derivedDamage = openDamage
        if range == nil, report.isIntact { report.derivedDamage += try verifyTree() }
        return Self.check(report, expectHead: expectHead, directory: directory)
    }

    /// Adds the damage of an expected head that the log's history does not hold.
    static func check(_ report: VerificationReport, expectHead: ChainHash?, directory: String) -> VerificationReport {
        guard let expectHead, report.isIntact else { return report }
        var report = report
        if expectHead == .genesis { report.expectedHeadEnd = .zero }
        if report.expectedHeadEnd == nil {
            report.damage = LogDamage(
                file: directory, offset: 0, position: nil,
                reason: "the expected head \(expectHead) is not the chain hash after any record of this log (its head is \(report.chainHash)): the history was rewritten, or this is another log")
        }
        return report
    }

    /// Verifies the log in `directory` without taking the writer lock: damage that stops the log
    /// from opening (a header, a seal, the manifest) is reported like damage inside a block.
    /// `progress`, when given, is told the stored bytes verified and the total about every 8 MiB,
    /// from the verifying threads (for a progress line on long work).
    /// `expectHead`, when given, is a head hash known from before (see ``verify(_:expectHead:)``).
    /// Saved block indexes are compared with the block headers; damaged ones are named in
    /// ``VerificationReport/derivedDamage``.
    public static func verify(
        directory: String, configuration: LogConfiguration = LogConfiguration(), expectHead: ChainHash? = nil,
        progress: (@Sendable (_ doneBytes: Int64, _ totalBytes: Int64) -> Void)? = nil
    ) throws(LogError) -> VerificationReport {
        do {
            let opener = LogOpener(directory: directory, configuration: configuration, writable: false)
            let opened = try opener.open()
            let snapshot = LogSnapshot(segments: opened.segments, head: opened.head)
            var report = verify(snapshot, range: nil, rawBytesMax: configuration.blockRawBytesMax,
                                expectHead: expectHead, progress: progress)
            report.derivedDamage = opener.derivedDamage.all
            if report.isIntact {
                let reader = try FileLog.open(directory: directory, configuration: configuration, readOnly: true)
                report.derivedDamage += try reader.verifyTree()
                try reader.close()
            }
            return check(report, expectHead: expectHead, directory: directory)
        } catch {
            guard case .damaged(let damage) = error else { throw error }
            return VerificationReport(records: 0, rawBytes: 0, storedBytes: 0, chainHash: .genesis, damage: damage)
        }
    }

    static func verify(_ snapshot: LogSnapshot, range: Range<Position>?, rawBytesMax: Int, expectHead: ChainHash?,
                       progress: (@Sendable (Int64, Int64) -> Void)?) -> VerificationReport {
        var items: [ChainVerifier.Item] = []
        for segment in snapshot.segments {
            for (index, ref) in segment.blocks.enumerated() {
                if let range, ref.nextPosition <= range.lowerBound || ref.firstPosition >= range.upperBound { continue }
                items.append(.init(segment: segment, ref: ref, closesSeal: segment.seal != nil && index == segment.blocks.count - 1))
            }
        }
        guard let first = items.first else {
            return VerificationReport(records: 0, rawBytes: 0, storedBytes: 0, chainHash: snapshot.head.chainHash, damage: nil)
        }
        var verifier = ChainVerifier(rawBytesMax: rawBytesMax)
        verifier.hashAlgorithm = snapshot.hashAlgorithm
        verifier.expected = expectHead
        verifier.progress = progress
        verifier.totalBytes = items.reduce(0) { $0 + $1.ref.end - $1.ref.offset }
        let start: ChainHash
        if first.ref.offset == Int64(SegmentHeader.size) {
            start = first.segment.header.previousChainHash
        } else {
            let all = first.segment.blocks
            let before = all[all.firstIndex(of: first.ref)! - 1]
            let bytes = (try? first.segment.file.read(count: BlockHeader.size, at: before.offset)) ?? []
            guard case .success(let header) = bytes.withUnsafeBytes({ BlockHeader.decode($0) }) else {
                return VerificationReport(records: 0, rawBytes: 0, storedBytes: 0, chainHash: .genesis, damage: LogDamage(
                    file: first.segment.path, offset: before.offset, position: before.firstPosition,
                    reason: "the block header before the range is damaged"))
            }
            start = header.chainHashAfter
        }
        return verifier.verify(items, startingAt: start, runs: System.coreCount)
    }
}

/// Facts about the machine.
enum System {
    /// Cores available to this process (`sysconf(_SC_NPROCESSORS_ONLN)`).
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
}
