import CreditFacts
import LedgerStorage

/// How an import treats refused facts.
public enum ImportMode: Sendable {
    /// Nothing is appended when any fact is refused; every refusal is reported.
    case allOrNothing
    /// The accepted facts are appended; the refused ones are reported (for a rejects file).
    case skipRefused
}

/// What an import did.
public struct ImportSummary: Sendable, Hashable {
    /// Facts appended.
    public var appended = 0
    /// Identical copies of facts already held (or earlier in the input), not appended again.
    public var duplicates = 0
    /// Refused facts; each refusal's `index` is the number the producer gave the fact (its line).
    public var refused: [Refusal] = []

    /// An empty summary.
    public init(appended: Int = 0, duplicates: Int = 0, refused: [Refusal] = []) {
        self.appended = appended
        self.duplicates = duplicates
        self.refused = refused
    }
}

extension Ledger {
    /// Imports a stream of facts too large for one append, under the append lock throughout.
    ///
    /// `produce` is called with an `emit(fact, number)` function and must emit the facts in order;
    /// `number` (e.g. the line number) is what refusals report. In `.allOrNothing` mode the stream
    /// is produced twice: once to validate every fact against the ledger and the facts before it
    /// (nothing is appended if anything is refused), once to append it in batches. In
    /// `.skipRefused` mode it is produced once and each batch appends what is accepted.
    /// `proceed` is asked after the validation pass whether to append after all (the caller may
    /// have found lines it could not even read).
    public func importFacts(
        mode: ImportMode, batchSize: Int = 10_000, progress: ((Int) -> Void)? = nil,
        proceed: () -> Bool = { true },
        _ produce: (_ emit: (Fact, Int) throws -> Void) throws -> Void
    ) throws -> ImportSummary {
        try appendLock.withLock { _ in
            if mode == .allOrNothing {
                let refusals = try validateStream(produce)
                guard refusals.isEmpty, proceed() else {
                    // Counted by source, for the data-quality view, even though nothing is appended.
                    for refusal in refusals {
                        intake.recordRefusal(source: refusal.fact.source, kind: refusal.kind.description)
                    }
                    return ImportSummary(refused: refusals)
                }
            }
            var summary = ImportSummary()
            var batch: [Fact] = [], numbers: [Int] = []
            func flush() throws {
                try appendBatch(batch, numbers: numbers, mode: mode, into: &summary)
                progress?(summary.appended + summary.duplicates + summary.refused.count)
                batch.removeAll(keepingCapacity: true)
                numbers.removeAll(keepingCapacity: true)
            }
            try produce { fact, number in
                batch.append(fact)
                numbers.append(number)
                if batch.count == batchSize { try flush() }
            }
            if !batch.isEmpty { try flush() }
            return summary
        }
    }

    /// Validates a whole stream as one append would, keeping only what validation needs. Runs
    /// outside the view lock on shared copies of the views (the append lock, held by the caller,
    /// keeps them unchanged), so queries go on while a large file is checked.
    private func validateStream(_ produce: (_ emit: (Fact, Int) throws -> Void) throws -> Void) throws -> [Refusal] {
        let (views, lastRecorded) = state.withLock { ($0.views, $0.lastRecorded) }
        let index = views.view(LedgerIndex.self)!
        var validator = AppendValidator(previousTime: lastRecorded, now: configuration.log.clock())
        validator.keepsPlan = false
        try produce { fact, number in
            validator.check(fact, at: number, index: index, views: views, context: context)
        }
        return validator.refusals
    }

    /// Appends one batch of an import; in `.skipRefused` mode drops refused facts and tries the
    /// rest again (a dropped fact may be what a later one referred to).
    private func appendBatch(_ facts: [Fact], numbers: [Int], mode: ImportMode, into summary: inout ImportSummary) throws {
        var facts = facts, numbers = numbers
        while !facts.isEmpty {
            let validator = validate(facts)
            if validator.refusals.isEmpty {
                let receipts = try commit(validator.planned)
                intake.record(facts, receipts: receipts)
                for receipt in receipts {
                    if case .duplicate = receipt { summary.duplicates += 1 } else { summary.appended += 1 }
                }
                return
            }
            guard mode == .skipRefused else {
                throw LedgerError.refused(validator.refusals.map { refusal in
                    var numbered = refusal
                    numbered.index = numbers[refusal.index]
                    return numbered
                })
            }
            intake.record(facts, refusals: validator.refusals)
            let refused = Set(validator.refusals.map(\.index))
            for refusal in validator.refusals {
                var numbered = refusal
                numbered.index = numbers[refusal.index]
                summary.refused.append(numbered)
            }
            let kept = facts.indices.filter { !refused.contains($0) }
            facts = kept.map { facts[$0] }
            numbers = kept.map { numbers[$0] }
        }
    }
}
