import CreditFacts
import LedgerStorage

/// How an import treats refused lines.
public enum ImportMode: Sendable {
    /// Nothing is appended when any line is refused; every refused line is reported.
    case allOrNothing
    /// The accepted facts are appended, batch by batch; each refused line goes to the rejects file.
    case skipRefused
}

/// How to run an import.
public struct ImportOptions: Sendable {
    /// What a refused line does to the import.
    public var mode: ImportMode
    /// Keep each line's `recorded` (history migration); otherwise the ledger records the fact now.
    public var backfill = false
    /// Facts per durable append. In `.skipRefused` mode a batch is the unit a failure or a crash
    /// can cut at: batches before it are appended whole, the rest not at all.
    public var batchSize = 10_000
    /// Longest line accepted (longer ones are refused without being held in memory).
    public var maxLineBytes = 1 << 20
    /// Told how far the import got: after each chunk of input read, each batch written and the
    /// commit. It only watches; nothing it does steers the import.
    public var progress: (@Sendable (ImportProgress) -> Void)?

    /// Options for `mode`, with the defaults above.
    public init(mode: ImportMode) {
        self.mode = mode
    }
}

/// How far an import got.
public struct ImportProgress: Sendable {
    /// Lines read so far.
    public var lines: Int
    /// The share of the input read, when it is a regular file.
    public var fraction: Double?
    /// Batches of accepted facts written so far (appended, in `.skipRefused` mode; written in the
    /// pending unit, in `.allOrNothing` mode).
    public var batchesWritten: Int
    /// Whether the import is appended (all of it, in `.allOrNothing` mode).
    public var committed: Bool
}

/// A refused line of an import: where, which field, why.
public struct RefusedLine: Sendable, Hashable, CustomStringConvertible {
    /// The line number in the source (from 1).
    public var line: Int
    /// The field at fault; empty when the line as a whole is.
    public var field: String
    /// The reason class, as the data-quality report counts it (e.g. `malformedJSON`, `conflict`).
    public var kind: String
    /// What is wrong, in words.
    public var reason: String

    /// Creates a refused line.
    public init(line: Int, field: String, kind: String, reason: String) {
        self.line = line
        self.field = field
        self.kind = kind
        self.reason = reason
    }

    /// `LINE: field: reason`.
    public var description: String { "\(line): " + (field.isEmpty ? "" : field + ": ") + reason }
}

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    /// Facts appended.
    public var appended = 0
    /// Identical copies of facts already held (or earlier in the input), not appended again.
    public var duplicates = 0
    /// Lines refused.
    public var refusedCount = 0
    /// Every refused line, in order, in `.allOrNothing` mode (in `.skipRefused` mode they are in the
    /// rejects file instead, so that memory stays bounded).
    public var refused: [RefusedLine] = []
    /// Lines read.
    public var lines = 0
    /// Fields INTERCHANGE v1 does not define, which the import kept verbatim without effect (as the
    /// format says), by name (`body.` for the body's): the first line and how many lines had each.
    /// Sorted by name; at most 64 names are tracked.
    public var unknownFields: [UnknownField] = []

    /// An empty summary.
    public init() {}
}

/// A field an import met that INTERCHANGE v1 does not define.
public struct UnknownField: Sendable, Hashable {
    /// The field's name (`body.` prefixed for a field of the body).
    public var name: String
    /// The first line that had it.
    public var firstLine: Int
    /// How many lines had it.
    public var lines: Int
}

/// Why an import stopped.
public enum ImportError: Error, Sendable, CustomStringConvertible {
    /// The input cannot be read: missing, a directory, not readable. Nothing was appended.
    case input(String)
    /// The rejects file names an input. Nothing was read.
    case rejectsIsInput(String)
    /// The rejects file cannot be written.
    case rejects(String)
    /// The import began and failed (the ledger, the disk, the input or the rejects file):
    /// `appended` facts of it are in the ledger — for an all-or-nothing import, 0 or all of them.
    indirect case interrupted(ImportError?, LedgerError?, appended: Int, mode: ImportMode)

    public var description: String {
        switch self {
        case .input(let message), .rejectsIsInput(let message), .rejects(let message): return message
        case let .interrupted(importError, ledgerError, appended, mode):
            let cause = importError?.description ?? ledgerError?.description ?? "unknown failure"
            let unit = mode == .allOrNothing ? "the import is one unit" : "the import appends whole batches"
            return "\(cause); \(appended) fact(s) of this import were appended (\(unit))"
        }
    }
}

extension Ledger {
    /// Imports the facts of `source` under the append lock: reads it once, decodes each line once,
    /// validates each fact once against the ledger and the facts before it, and appends.
    ///
    /// In `.allOrNothing` mode nothing is appended if any line is refused, and the summary lists
    /// every refused line; otherwise every fact of the source is appended as one unit (see
    /// docs/ledger.md, "Import"). In `.skipRefused` mode accepted facts are appended a batch at a
    /// time and every refused line is written to `rejects` as it is met.
    ///
    /// - Throws: ``ImportError``; once the import has begun, ``ImportError/interrupted(_:_:appended:mode:)``
    ///   saying how many facts were appended.
    public func importFacts(from source: FactSource, options: ImportOptions, rejects: RejectsFile? = nil) throws(ImportError)
        -> ImportSummary
    {
        precondition(options.mode == .allOrNothing || rejects != nil, "a skipping import writes refused lines somewhere")
        let reader = try source.open()
        return try appendLock.withLock { _ throws(ImportError) -> ImportSummary in
            // On a shared log, the import is judged against everything appended before it.
            if log.isShared {
                do throws(LedgerError) { try catchUpLocked() } catch {
                    throw .interrupted(nil, error, appended: 0, mode: options.mode)
                }
            }
            var run = ImportRun(ledger: self, source: source, options: options, rejects: rejects)
            defer { run.discard() }
            do {
                try run.read(reader)
                try run.finish()
            } catch let error as ImportError {
                throw run.failure(error, nil)
            } catch let error as LedgerError {
                throw run.failure(nil, error)
            } catch {
                throw run.failure(.input("\(source.name): \(error)"), nil)
            }
            return run.summary
        }
    }

    /// Brings the live views, the head subscribers wait on and the snapshot schedule up to the log
    /// after facts were appended from `start` on without going through them (an import).
    func catchUp(from start: Position) throws(LedgerError) {
        let head = try self.head
        var position = start
        // The views run ahead of what is known of them until the last slice is applied.
        if position < head.nextPosition { state.withLock { $0.viewsPoint = nil } }
        while position < head.nextPosition {
            // In slices, so that queries are served between them.
            let end = min(head.nextPosition, position.advanced(by: 10_000))
            try state.withLock { (state) throws(LedgerError) in
                try Replay.applyOnTwoThreads(log: log, from: position, to: end, into: &state.views)
                state.factsSinceSnapshot += Int(end.rawValue - position.rawValue)
            }
            position = end
        }
        state.withLock { state in
            state.lastRecorded = head.lastRecordedTime
            state.applied = head.nextPosition
            state.viewsHead = head
            state.viewsPoint = ViewsPoint(next: head.nextPosition, lastRecorded: head.lastRecordedTime)
        }
        waiters.withLock { $0.head = head.nextPosition }
        resumeWaiters()
        snapshotInBackgroundIfDue()
        checkpointer?.appended(recordCount: head.recordCount)
    }
}
