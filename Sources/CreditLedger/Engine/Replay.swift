import CreditFacts
import Dispatch
import Foundation
import LedgerStorage
import Synchronization

/// Feeds stored facts to views.
enum Replay {
    /// Decodes one stored record into a recorded fact.
    /// `hashingContent` computes the content hash the ledger's index keeps for idempotency; views
    /// never read it, so a replay of the views alone skips it.
    static func decode(_ record: LogRecordView, hashingContent: Bool = true) throws(LedgerError) -> RecordedFact {
        var fact: Fact
        do {
            fact = try BinaryFactCodec.decode(record.payload.assumingMemoryBound(to: UInt8.self))
        } catch {
            throw .undecodable(position: record.position, reason: "\(error)")
        }
        fact.recorded = Timestamp(record.recordedTime)
        return RecordedFact(position: record.position, recorded: record.recordedTime, fact: fact,
                            contentHash: hashingContent ? ContentHash.fnv1a(record.payload) : 0)
    }

    /// Whether some view of `reads` may read `record`: false only for a record of a known type
    /// that no view reads, which is then not decoded at all (an unknown type is decoded, so that it
    /// is reported).
    @inline(__always)
    static func isRead(_ record: LogRecordView, by reads: FactTypeSet) -> Bool {
        // Every schema version starts with a version byte and the type code.
        guard record.payload.count >= 2, FactTypeSet.all.contains(code: record.payload[1]) else { return true }
        return reads.contains(code: record.payload[1])
    }

    /// Calls `body` with each fact at positions `start ..< end` that some view of `reads` reads,
    /// decoded, in log order.
    static func forEachFact(log: any LedgerLog, from start: Position, to end: Position, reads: FactTypeSet,
                            _ body: (RecordedFact) -> Void) throws(LedgerError) {
        guard start < end else { return }
        do {
            try log.forEach(from: start, to: end) { record in
                guard isRead(record, by: reads) else { return }
                body(try decode(record))
            }
        } catch let error as LedgerError {
            throw error
        } catch let error as LogError {
            throw .log(error)
        } catch {
            preconditionFailure("unexpected error \(error)")
        }
    }

    /// Applies the facts at positions `start ..< end` to `views`, in log order.
    static func apply(log: any LedgerLog, from start: Position, to end: Position, into views: inout ViewSet) throws(LedgerError) {
        try forEachFact(log: log, from: start, to: end, reads: views.anyReads) { views.apply($0) }
    }
}

extension Replay {
    /// ``apply(log:from:to:into:)`` on two threads when the machine has two cores or more: the
    /// facts are decoded a slice at a time (``parallelChunk``, so memory stays bounded), then the
    /// ledger's index takes them on one thread while the other views take them on another
    /// (``ViewSet/applyOnTwoThreads(_:)``). For an import's catch-up (its facts read back once it is
    /// committed) and the facts after a snapshot when a ledger opens.
    static func applyOnTwoThreads(log: any LedgerLog, from start: Position, to end: Position, into views: inout ViewSet) throws(LedgerError) {
        guard ProcessInfo.processInfo.activeProcessorCount > 1 else { return try apply(log: log, from: start, to: end, into: &views) }
        let reads = views.anyReads
        var sliceStart = start
        var facts: [RecordedFact] = []
        while sliceStart < end {
            let sliceEnd = min(end, sliceStart.advanced(by: UInt64(parallelChunk)))
            facts.removeAll(keepingCapacity: true)
            try forEachFact(log: log, from: sliceStart, to: sliceEnd, reads: reads) { facts.append($0) }
            views.applyOnTwoThreads(facts)
            sliceStart = sliceEnd
        }
    }
}

extension Timestamp {
    /// A recorded time as a timestamp in China Standard Time (UTC+08:00), to the microsecond.
    public init(_ time: RecordedTime) {
        let micros = time.microsecondsSinceEpoch
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        self.init(secondsSinceEpoch: seconds, nanoseconds: UInt32((micros - seconds * 1_000_000) * 1_000),
                  offsetMinutes: Timestamp.chinaStandardTimeOffsetMinutes)!
    }

    /// The instant as a recorded time (sub-microsecond digits dropped).
    public var recordedTime: RecordedTime {
        RecordedTime(microsecondsSinceEpoch: secondsSinceEpoch * 1_000_000 + Int64(nanoseconds / 1_000))
    }
}

extension Replay {
    /// Records decoded per round of a parallel replay: large enough that the two barriers per
    /// round cost nothing, small enough to keep the decoded facts in cache-friendly memory.
    static let parallelChunk = 32_768

    /// Rebuilds `types` from the facts at `start ..< end` on every core: each round, the cores
    /// decode one chunk of the log between them, then each applies the facts of its own share of
    /// subjects, in log order, to its own copy of the views; the copies are merged at the end.
    /// Every view must be partitioned by subject; otherwise this is a sequential replay.
    static func rebuild(_ types: [any Projector.Type], log: any LedgerLog, to end: Position, cores: Int,
                        progress: ((_ replayed: UInt64) -> Void)? = nil) throws(LedgerError) -> ViewSet {
        let partitions = max(1, cores)
        guard partitions > 1, ViewSet.arePartitioned(types) else {
            var views = ViewSet(types)
            try apply(log: log, from: .zero, to: end, into: &views)
            progress?(end.rawValue)
            return views
        }
        let parts = PartitionedViews(types, count: partitions, facts: Int(end.rawValue),
                                     hashingContent: types.contains { $0 == LedgerIndex.self })
        var chunk = RecordChunk()
        var position = Position.zero
        while position < end {
            let chunkEnd = Swift.min(end, position.advanced(by: UInt64(parallelChunk)))
            do {
                chunk.removeAll()
                try log.forEach(from: position, to: chunkEnd) { chunk.append($0) }
            } catch let error as LogError {
                throw .log(error)
            } catch {
                preconditionFailure("unexpected error \(error)")
            }
            try parts.consume(chunk)
            position = chunkEnd
            progress?(position.rawValue)
        }
        return parts.merged()
    }
}

/// One copy of the views per core, and the decoded facts of the current chunk.
private final class PartitionedViews: @unchecked Sendable {
    // Each task touches only its own slot of `views` and its own stride of `decoded`, and the two
    // phases of a round are separated by `concurrentPerform`'s barrier.
    private var views: [ViewSet]
    private var decoded: [RecordedFact?] = []
    /// The partition of each decoded fact's subject, computed once by the decoding task (-1 for a
    /// record no view reads, left undecoded).
    private var owners: [Int] = []
    /// The fact types any view reads.
    private let reads: FactTypeSet
    /// The first decoding failure of a round.
    private let failure = Mutex<LedgerError?>(nil)

    private let hashingContent: Bool

    init(_ types: [any Projector.Type], count: Int, facts: Int, hashingContent: Bool) {
        self.hashingContent = hashingContent
        reads = ViewSet(types).anyReads
        views = (0..<count).map { _ in
            var views = ViewSet(types)
            views.reserveCapacity(facts: facts / count + facts / (8 * count))
            return views
        }
    }

    func consume(_ chunk: RecordChunk) throws(LedgerError) {
        let count = views.count
        // Reused round after round: the previous round's facts are released here.
        decoded.removeAll(keepingCapacity: true)
        decoded.append(contentsOf: repeatElement(nil, count: chunk.count))
        owners.removeAll(keepingCapacity: true)
        owners.append(contentsOf: repeatElement(-1, count: chunk.count))
        decoded.withUnsafeMutableBufferPointer { slots in
          owners.withUnsafeMutableBufferPointer { ownerSlots in
            let output = UncheckedBuffer(slots), owner = UncheckedBuffer(ownerSlots)
            DispatchQueue.concurrentPerform(iterations: count) { part in
                // Contiguous shares, so two cores never write neighbouring slots (false sharing).
                let share = (chunk.count + count - 1) / count
                var index = part * share
                while index < Swift.min(chunk.count, (part + 1) * share) {
                    do {
                        let fact = try chunk.withRecord(index) { record in
                            Replay.isRead(record, by: reads) ? try Replay.decode(record, hashingContent: hashingContent) : nil
                        }
                        if let fact {
                            owner.buffer[index] = Self.partition(of: fact.fact.subject, count)
                            output.buffer[index] = fact
                        }
                    } catch {
                        let failed = (error as? LedgerError) ?? .undecodable(position: chunk.positions[index], reason: "\(error)")
                        failure.withLock { $0 = $0 ?? failed }
                    }
                    index += 1
                }
            }
          }
        }
        if let failed = failure.withLock({ $0 }) { throw failed }
        let facts = decoded, factOwners = owners
        views.withUnsafeMutableBufferPointer { slots in
            let parts = UncheckedBuffer(slots)
            DispatchQueue.concurrentPerform(iterations: count) { part in
                for index in facts.indices where factOwners[index] == part {
                    parts.buffer[part].apply(facts[index]!)
                }
            }
        }
    }

    /// A subject's partition, so one subject's facts stay together. The process's hash seed
    /// decides which part a subject lands in; the merged result does not depend on it.
    static func partition(of subject: SubjectCode, _ count: Int) -> Int {
        Int(UInt(bitPattern: subject.hashValue) % UInt(count))
    }

    /// The parts merged into one set. Consumes the parts: each is released once merged, and the
    /// first is moved out rather than copied, so merging never holds two copies of a part.
    func merged() -> ViewSet {
        var parts = views
        views = []
        var result = parts.removeFirst()
        while !parts.isEmpty { result.merge(parts.removeFirst()) }
        return result
    }
}

/// A buffer whose elements parallel tasks write at disjoint indexes.
private struct UncheckedBuffer<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
    init(_ buffer: UnsafeMutableBufferPointer<Element>) { self.buffer = buffer }
}

/// The records of one replay round, their payloads in one buffer (no allocation per record).
struct RecordChunk: Sendable {
    private(set) var positions: [Position] = []
    private var times: [RecordedTime] = []
    private var ends: [Int] = []
    private var bytes: [UInt8] = []

    var count: Int { positions.count }
    var isEmpty: Bool { positions.isEmpty }

    mutating func removeAll() {
        positions.removeAll(keepingCapacity: true)
        times.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
    }

    mutating func append(_ record: LogRecordView) {
        positions.append(record.position)
        times.append(record.recordedTime)
        bytes.append(contentsOf: record.payload)
        ends.append(bytes.count)
    }

    /// Calls `body` with a view of record `index`, borrowing its bytes from the chunk.
    func withRecord<R>(_ index: Int, _ body: (LogRecordView) throws -> R) rethrows -> R {
        let start = index == 0 ? 0 : ends[index - 1]
        return try bytes.withUnsafeBytes { raw in
            try body(LogRecordView(position: positions[index], recordedTime: times[index],
                                   payload: UnsafeRawBufferPointer(rebasing: raw[start..<ends[index]])))
        }
    }
}
