import CreditFacts
import LedgerStorage

/// One import in progress, under the append lock: turns line events into judged facts, batches the
/// accepted ones and hands them to the log (skipping mode) or to the import's pending unit
/// (all-or-nothing mode), and refused lines to the summary or the rejects file.
struct ImportRun {
    let ledger: Ledger
    let source: FactSource
    let options: ImportOptions
    let rejects: RejectsFile?
    var summary = ImportSummary()
    /// The log position where the import began.
    let start: Position
    /// The ledger's state when the import began; the validator adds the import's own facts.
    /// Released (``releaseJudgingState()``) before the live views take the import.
    var views: ViewSet
    var index: LedgerIndex
    var validator: AppendValidator
    var batch: [Planned] = []
    var batchBytes = 0
    /// Duplicates of an all-or-nothing import, counted once it is appended.
    var duplicatesBySource: [SourceID: Int] = [:]
    /// The facts of an all-or-nothing import written so far, not yet part of the ledger.
    var pending: PendingImport?
    var batchesWritten = 0
    var fraction: Double?

    /// A batch is appended once it holds this many bytes of records, well under the log's limit
    /// for one append.
    static let batchBytesMax = 8 << 20

    init(ledger: Ledger, source: FactSource, options: ImportOptions, rejects: RejectsFile?) {
        self.ledger = ledger
        self.source = source
        self.options = options
        self.rejects = rejects
        let (views, lastRecorded) = ledger.state.withLock { ($0.views, $0.lastRecorded) }
        self.views = views
        self.index = views.view(LedgerIndex.self)!
        self.start = ledger.waiters.withLock { $0.head }
        validator = AppendValidator(previousTime: lastRecorded, now: ledger.configuration.log.clock())
    }

    /// Reads the whole source, judging each line as it comes. The lines are read and decoded on
    /// another thread (``ImportReading``) while this one judges the lines before.
    mutating func read(_ reader: SourceReader) throws {
        let reading = ImportReading(reader, options: options)
        defer { reading.stop() }
        while let batch = try reading.next() {
            try batch.bytes.withUnsafeBufferPointer { bytes in
                for item in batch.items { try handle(item, bytes) }
            }
            fraction = batch.fraction
            report()
        }
    }

    private func report(committed: Bool = false) {
        options.progress?(ImportProgress(lines: summary.lines, fraction: fraction, batchesWritten: batchesWritten, committed: committed))
    }

    private mutating func handle(_ item: ImportReading.Item, _ bytes: UnsafeBufferPointer<UInt8>) throws {
        func raw(_ range: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range]) }
        switch item {
        case .fact(let fact, let prepared, let line, let range):
            summary.lines += 1
            if !fact.extras.fields.isEmpty || !fact.bodyExtras.fields.isEmpty { noteUnknownFields(of: fact, line: line) }
            try judge(prepared ?? PreparedFact(fact), line: line, raw: raw(range))
        case .refused(let error, let range):
            summary.lines += 1
            countRefusal(of: raw(range), kind: error.kind)
            try refuse(RefusedLine(line: error.line, field: error.field, kind: error.kind.rawValue, reason: error.reason), raw: raw(range))
        case .overlong(let error, let range):
            summary.lines += 1
            countRefusal(of: raw(range), kind: error.kind)
            summary.refusedCount += 1
            if let rejects {
                try rejects.beginOverlong(file: source.name, line: error.line, reason: error.reason, raw: raw(range))
            } else {
                summary.refused.append(RefusedLine(line: error.line, field: "", kind: error.kind.rawValue, reason: error.reason))
            }
        case .overlongMore(let range): try rejects?.continueOverlong(raw(range))
        case .overlongEnd: try rejects?.endOverlong()
        }
    }

    /// Counts a line the reader refused in the intake counters (data quality, 重错码率), under the
    /// source the line names when that much of it can be read (``RefusedLineSource``), else under
    /// ``IntakeCounters/unnamedSource``.
    private func countRefusal(of raw: UnsafeBufferPointer<UInt8>, kind: FactError.Kind) {
        ledger.intake.recordRefusal(source: RefusedLineSource.source(in: raw) ?? IntakeCounters.unnamedSource, kind: kind.rawValue)
    }

    /// Remembers the unknown fields of a line, so that the caller can say they had no effect.
    private mutating func noteUnknownFields(of fact: Fact, line: Int) {
        let names = fact.extras.fields.map(\.name) + fact.bodyExtras.fields.map { "body." + $0.name }
        for name in names {
            if let index = summary.unknownFields.firstIndex(where: { $0.name == name }) {
                summary.unknownFields[index].lines += 1
            } else if summary.unknownFields.count < 64 {
                summary.unknownFields.append(UnknownField(name: name, firstLine: line, lines: 1))
                summary.unknownFields.sort { $0.name < $1.name }
            }
        }
    }

    private mutating func judge(_ prepared: PreparedFact, line: Int, raw: UnsafeBufferPointer<UInt8>) throws {
        let fact = prepared.fact
        switch validator.judge(prepared, at: line, index: index, views: views, context: ledger.context) {
        case .refused(let refusal):
            ledger.intake.recordRefusal(source: fact.source, kind: refusal.kind.description)
            try refuse(RefusedLine(line: line, field: refusal.field, kind: refusal.kind.description, reason: refusal.reason), raw: raw)
        case .duplicate:
            summary.duplicates += 1
            if options.mode == .skipRefused { ledger.intake.recordDuplicates(source: fact.source, count: 1) } else {
                duplicatesBySource[fact.source, default: 0] += 1
            }
        case .append(let planned, let bytes):
            // Once an all-or-nothing import has a refused line nothing of it will be appended:
            // the rest is only judged, to list every bad line.
            guard options.mode == .skipRefused || summary.refusedCount == 0 else { return }
            batch.append(planned)
            batchBytes += bytes
            if batch.count >= options.batchSize || batchBytes >= Self.batchBytesMax { try flush() }
        }
    }

    private mutating func refuse(_ line: RefusedLine, raw: UnsafeBufferPointer<UInt8>) throws {
        summary.refusedCount += 1
        if let rejects {
            try rejects.write(file: source.name, line: line.line, field: line.field, reason: line.reason, raw: raw)
        } else {
            summary.refused.append(line)
            batch.removeAll()
            pending?.discard()
            pending = nil
        }
    }

    /// Appends the batch (skipping mode) or adds it to the pending import (all-or-nothing mode).
    private mutating func flush() throws {
        guard !batch.isEmpty else { return }
        defer { batch.removeAll(keepingCapacity: true); batchBytes = 0 }
        switch options.mode {
        case .skipRefused:
            _ = try ledger.commit(batch)
            summary.appended += batch.count
        case .allOrNothing:
            if pending == nil { pending = try PendingImport(ledger: ledger) }
            try pending!.write(batch)
        }
        batchesWritten += 1
        report()
    }

    /// Ends the import: appends the last batch, or the whole pending import when nothing was refused.
    mutating func finish() throws {
        if options.mode == .allOrNothing && summary.refusedCount > 0 { return }
        try flush()
        guard options.mode == .allOrNothing else { return }
        if let pending {
            self.pending = nil
            defer { pending.discard() }
            summary.appended = try pending.commit()
            report(committed: true)
            releaseJudgingState()
            try ledger.catchUp(from: start)
        }
        for (source, count) in duplicatesBySource { ledger.intake.recordDuplicates(source: source, count: count) }
    }

    /// Lets go of what judging the import held — the views as it began, the validator's keys and
    /// admission scratch — before the live views take the import: the views held here share their
    /// storage with the live ones, so the catch-up would otherwise copy every view it touches and
    /// keep two sets in memory.
    private mutating func releaseJudgingState() {
        views = ViewSet([])
        index = LedgerIndex()
        validator = AppendValidator(previousTime: nil, now: validator.now)
    }

    /// The error to report for `cause`, saying how many facts of this import the ledger now holds;
    /// the views are first brought up to whatever reached the log.
    mutating func failure(_ importError: ImportError?, _ ledgerError: LedgerError?) -> ImportError {
        var appended = summary.appended
        if options.mode == .allOrNothing, let head = try? ledger.log.head {
            appended = Int(head.nextPosition.rawValue - start.rawValue)
        }
        var catchUpError: LedgerError?
        do throws(LedgerError) { try ledger.catchUp(from: ledger.waiters.withLock { $0.head }) } catch { catchUpError = error }
        return .interrupted(importError, ledgerError ?? catchUpError, appended: appended, mode: options.mode)
    }

    /// Deletes what an import that did not finish left behind.
    mutating func discard() {
        pending?.discard()
        pending = nil
    }
}
