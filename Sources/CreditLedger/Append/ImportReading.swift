import CreditFacts
import Dispatch
import Foundation
import Synchronization

/// The reading half of an import, on a thread of its own: the source read chunk by chunk, split
/// into lines and each line decoded from JSON, while the importing thread judges and writes the
/// lines before. Preparing a fact (``PreparedFact``: its stored bytes, their content hash, its
/// key) goes to whichever thread has time for it: the reading thread prepares the facts of a
/// batch when batches are waiting for the importing thread, else leaves them to it. (On the
/// `district` stream reading with preparing took twice as long as judging, and without it about
/// two thirds as long.) Preparing is a function of the fact alone, so where it runs changes
/// nothing of the outcome. Lines come in order, in batches that own their bytes (a refused line
/// is written verbatim to a rejects file); at most ``batchesAhead`` batches wait, so memory stays
/// bounded whatever the file's size.
///
/// The outcome is the one reading on the importing thread gave: the same lines, in the same order,
/// decoded by the same code.
final class ImportReading: Sendable {
    /// What became of one line, or of a piece of an over-long one.
    enum Item: Sendable {
        /// A decoded fact, prepared when the reading thread had time for it; `raw` is the line's
        /// range in the batch's bytes.
        case fact(Fact, prepared: PreparedFact?, line: Int, raw: Range<Int>)
        /// A line the reader refused (malformed JSON, a blank line, a field it cannot read).
        case refused(FactError, raw: Range<Int>)
        /// The start of a line over the length limit, refused; pieces and an end follow.
        case overlong(FactError, raw: Range<Int>)
        case overlongMore(raw: Range<Int>)
        case overlongEnd
    }

    /// Lines read together, with their bytes.
    struct Batch: Sendable {
        var items: [Item] = []
        var bytes: [UInt8] = []
        /// The share of the source read when the batch was handed over (nil when its size is unknown).
        var fraction: Double?
    }

    /// Lines per batch: large enough that handing a batch over costs nothing per line, small enough
    /// that the importing thread starts at once.
    static let linesPerBatch = 1_024
    /// Bytes of lines per batch, at most (plus one line, or one piece of an over-long line): an
    /// over-long line passes through in pieces without ever being held whole.
    static let bytesPerBatch = 1 << 20
    /// Batches read ahead of the importing thread.
    static let batchesAhead = 4

    private struct Shared {
        var ready: [Batch] = []
        /// Why reading failed, once it has ended.
        var failure: ImportError?
        /// Set by the importing thread when it stops early: the reader stops too.
        var cancelled = false
    }

    private let shared = Mutex(Shared())
    /// Counts the batches in `ready` (plus one signal when reading finishes).
    private let filled = DispatchSemaphore(value: 0)
    /// Counts the free places among ``batchesAhead``. Made with 0 and signalled up to it: a
    /// semaphore left below the value it was made with traps when it is freed (libdispatch), and
    /// this one may be, when the import stops early.
    private let free = DispatchSemaphore(value: 0)
    /// Signalled once when the reading thread has let go of the source.
    private let done = DispatchSemaphore(value: 0)
    /// Whether ``stop()`` waits for the reading thread: for a regular file, whose reads never wait
    /// for a writer; a pipe might keep the thread in a read until its writer closes it.
    private let joinsOnStop: Bool

    /// Starts reading `reader` with the import's options.
    init(_ reader: SourceReader, options: ImportOptions) {
        nonisolated(unsafe) let reader = reader
        let backfill = options.backfill, maxLineBytes = options.maxLineBytes
        joinsOnStop = reader.size != nil
        for _ in 0..<Self.batchesAhead { free.signal() }
        Thread.detachNewThread { [self] in
            Thread.current.name = "import-reading"
            defer { done.signal() }
            var failure: ImportError?
            do {
                try read(reader, backfill: backfill, maxLineBytes: maxLineBytes)
            } catch Stop.cancelled {
            } catch let error as ImportError {
                failure = error
            } catch {
                failure = .input("\(reader.name): \(error)")
            }
            shared.withLock { $0.failure = failure }
            filled.signal()
        }
    }

    private enum Stop: Error { case cancelled }

    private func read(_ reader: SourceReader, backfill: Bool, maxLineBytes: Int) throws {
        var readerOptions = JSONLinesReader.Options()
        readerOptions.maxLineBytes = maxLineBytes
        var lines = JSONLinesReader(options: readerOptions)
        var batch = Batch()
        /// Whether this batch's facts are prepared here: decided per batch, by whether the
        /// importing thread has batches waiting.
        var prepares = false
        func add(_ event: LineEvent) throws {
            switch event {
            case .line(.fact(var fact, let line, _), let raw):
                if !backfill { fact.recorded = nil }
                batch.items.append(.fact(fact, prepared: prepares ? PreparedFact(fact) : nil, line: line, raw: keep(raw)))
            case .line(.refused(let error), let raw):
                batch.items.append(.refused(error, raw: keep(raw)))
            case .overlong(let error, let raw):
                batch.items.append(.overlong(error, raw: keep(raw)))
            case .overlongMore(let raw):
                batch.items.append(.overlongMore(raw: keep(raw)))
            case .overlongEnd:
                batch.items.append(.overlongEnd)
            }
            if batch.items.count >= Self.linesPerBatch || batch.bytes.count >= Self.bytesPerBatch { try handOver() }
        }
        func keep(_ raw: UnsafeBufferPointer<UInt8>) -> Range<Int> {
            let start = batch.bytes.count
            batch.bytes.append(contentsOf: raw)
            return start..<batch.bytes.count
        }
        func handOver() throws {
            batch.fraction = reader.size.map { Double(reader.bytesRead) / Double(max($0, 1)) }
            free.wait()
            let waiting = shared.withLock { shared -> Int? in
                guard !shared.cancelled else { return nil }
                shared.ready.append(batch)
                return shared.ready.count
            }
            guard let waiting else { throw Stop.cancelled }
            filled.signal()
            batch = Batch()
            // Another batch still waiting beside this one: the importing thread is the slower.
            prepares = waiting >= 2
        }
        try reader.forEachChunk(readerOptions.chunkBytes) { chunk in
            try lines.feed(events: chunk) { event in try add(event) }
        }
        try lines.finish(events: { event in try add(event) })
        if !batch.items.isEmpty { try handOver() }
    }

    /// The next batch in order; nil once the source is read to its end.
    /// - Throws: ``ImportError`` when reading the source failed.
    func next() throws(ImportError) -> Batch? {
        filled.wait()
        let (batch, failure) = shared.withLock { shared -> (Batch?, ImportError?) in
            if !shared.ready.isEmpty { return (shared.ready.removeFirst(), nil) }
            return (nil, shared.failure)
        }
        if let batch {
            free.signal()
            return batch
        }
        // Reading finished: let a later call see the end as well.
        filled.signal()
        if let failure { throw failure }
        return nil
    }

    /// Stops the reading thread (when the import stops before the end, or after it) and, for a
    /// regular file, waits until the thread has let go of it. Call once.
    func stop() {
        shared.withLock {
            $0.cancelled = true
            $0.ready = []
        }
        // Whatever the reader waits for, it finds a place and then the cancellation.
        free.signal()
        if joinsOnStop { done.wait() }
    }
}
