import CreditFacts
import LedgerStorage

/// One fact of an append after validation: to be appended, or a duplicate of a held fact.
enum Planned {
    case append(payload: [UInt8], recordedTime: RecordedTime, contentHash: UInt64, fact: Fact, key: FactKey)
    /// A duplicate of a fact already in the log, or of an earlier fact of the same call.
    case duplicate(of: Position?, batchIndex: Int?)
}

/// Validates an append against the ledger's index: the fact's own rules, idempotency by
/// `(source, id)`, references to numbers the subject holds as of the fact's effective date, and
/// recorded times that never go back.
struct AppendValidator {
    /// Whether to keep the encoded facts for a commit (a validation-only pass over a large import
    /// keeps only keys and definitions).
    var keepsPlan = true
    var previousTime: RecordedTime?
    /// The `recorded` the previous accepted fact of this call brought (nil when the ledger gave it
    /// the time): a run of equal claimed times continues from it, whatever the spreading made of it.
    private var lastClaim: RecordedTime?
    let now: RecordedTime
    var planned: [Planned] = []
    var refusals: [Refusal] = []
    private var batchKeys: [FactKey: (index: Int, content: UInt64)] = [:]
    private var batchDefinitions: [SubjectCode: [ReferenceKey: LegalDate]] = [:]
    /// Scratch copies of the views with admission rules, holding the live state of each subject
    /// this append touched plus the facts of this append accepted so far; nil until first needed.
    private var scratch: AdmissionScratch?
    private var seeded: Set<SubjectCode> = []

    init(previousTime: RecordedTime?, now: RecordedTime) {
        self.previousTime = previousTime
        self.now = now
    }

    /// Checks one fact. `index` is borrowed from the live state for the call only: holding a copy
    /// past the lock would make the next view update copy the whole index.
    mutating func check(_ original: Fact, at position: Int, index: LedgerIndex, views: ViewSet, context: ViewContext) {
        check(PreparedFact(original), at: position, index: index, views: views, context: context)
    }

    /// Checks one prepared fact: what its preparation found, then everything that depends on the
    /// ledger's state and on the facts of this call before it.
    mutating func check(_ prepared: PreparedFact, at position: Int, index: LedgerIndex, views: ViewSet, context: ViewContext) {
        let original = prepared.fact
        let key = original.ref
        func refuse(_ field: String, _ kind: RefusalKind, _ reason: String) {
            refusals.append(Refusal(index: position, fact: key, field: field, kind: kind, reason: reason))
            if keepsPlan { planned.append(.duplicate(of: nil, batchIndex: nil)) }
        }
        if let problem = prepared.problem {
            return refuse(problem.field, .invalid(problem.kind), problem.reason)
        }
        var fact = original
        fact.recorded = nil
        let payload = prepared.payload
        let content = prepared.contentHash
        let factKey = prepared.key
        if let held = index.keys[factKey] {
            guard held.content == content else {
                return refuse("id", .conflict, "the ledger already holds a different fact \(key) (at position \(held.position))")
            }
            if keepsPlan { planned.append(.duplicate(of: Position(held.position), batchIndex: nil)) }
            return
        }
        if let earlier = batchKeys[factKey] {
            guard earlier.content == content else {
                return refuse("id", .conflict, "fact \(earlier.index) of this append is a different fact under the same key")
            }
            if keepsPlan { planned.append(.duplicate(of: nil, batchIndex: earlier.index)) }
            return
        }
        for reference in fact.body.requiredReferences {
            let defined = index.definition(of: reference.key, for: fact.subject)
                ?? batchDefinitions[fact.subject]?[reference.key]
            guard let defined else {
                return refuse(reference.field, .unknownReference,
                              "no \(reference.key.kind.noun) \(reference.key.text) is recorded for subject \(fact.subject)")
            }
            guard defined <= fact.effective else {
                return refuse(reference.field, .referenceLater,
                              "\(reference.key.kind.noun) \(reference.key.text) takes effect on \(defined), after this fact's effective date \(fact.effective)")
            }
        }
        if scratch == nil { scratch = AdmissionScratch(of: views) }
        if seeded.insert(fact.subject).inserted { scratch!.adopt(fact.subject, from: views) }
        if let problem = scratch!.admissionProblem(for: fact, context: context) {
            return refuse(problem.field, problem.kind, problem.reason)
        }
        let time: RecordedTime
        switch recordedTime(claimed: original.recorded?.recordedTime) {
        case .success(let assigned): time = assigned
        case .failure(let problem): return refuse("recorded", .recordedBackwards, problem.reason)
        }
        if let problem = Self.futureEffectiveProblem(fact.effective, recorded: time) {
            return refuse("effective", .effectiveAfterRecorded, problem)
        }
        previousTime = time
        lastClaim = original.recorded?.recordedTime
        scratch!.apply(RecordedFact(position: Position(UInt64(position)), recorded: time, fact: fact))
        batchKeys[factKey] = (position, content)
        if let defined = fact.body.definedReference, batchDefinitions[fact.subject]?[defined] == nil {
            batchDefinitions[fact.subject, default: [:]][defined] = fact.effective
        }
        if keepsPlan { planned.append(.append(payload: payload, recordedTime: time, contentHash: content, fact: fact, key: factKey)) }
    }
}

extension AppendValidator {
    /// Why a claimed recorded time is refused.
    struct ClaimProblem: Error { var reason: String }

    /// The recorded time of the next fact: its own (`claimed`, history migration) or the clock's,
    /// moved to one microsecond after the previous fact when it is not later, so that the log's
    /// times stay strictly increasing. Equal claimed times (INTERCHANGE: non-decreasing) thus keep
    /// their file order a microsecond apart, however many there are; a claim is refused only when
    /// it is before the previous claim of this call, or — for the first claim after the ledger's
    /// or the clock's own time — before the ledger's last recorded time.
    func recordedTime(claimed: RecordedTime?) -> Result<RecordedTime, ClaimProblem> {
        let floor = previousTime.map { $0.adding(microseconds: 1) }
        guard let claimed else { return .success(max(now, floor ?? now)) }
        if let lastClaim, claimed < lastClaim {
            return .failure(ClaimProblem(reason: "recorded \(claimed) is before the previous fact's recorded time \(lastClaim)"))
        }
        if lastClaim == nil, let previousTime, claimed < previousTime {
            return .failure(ClaimProblem(reason: "recorded \(claimed) is before the ledger's last recorded time \(previousTime)"))
        }
        return .success(max(claimed, floor ?? claimed))
    }

    /// How far an effective date may run ahead of the recorded instant's date in China Standard
    /// Time: the effective date is a legal date (UTC+08:00), and a fact recorded late in the
    /// evening by a source whose clock runs on a zone east of Beijing — up to UTC+14:00, the
    /// earliest zone — may already carry the next day. So the date is compared with the recorded
    /// instant's date at UTC+14:00, six hours ahead of Beijing: no place on Earth has reached a
    /// later date yet.
    static let effectiveToleranceSeconds: Int64 = 6 * 3600

    /// Why `effective` cannot be true of a fact recorded at `recorded`: an act cannot take legal
    /// effect after the ledger learned of it (a penalty dated next month, recorded today).
    static func futureEffectiveProblem(_ effective: LegalDate, recorded: RecordedTime) -> String? {
        let instant = Timestamp(recorded)
        let latest = Timestamp(secondsSinceEpoch: instant.secondsSinceEpoch + effectiveToleranceSeconds, offsetMinutes: 0)!
            .chinaStandardDate
        guard effective > latest else { return nil }
        return "effective \(effective) is later than the date it was recorded (\(instant.chinaStandardDate) in China "
            + "Standard Time, \(latest) at UTC+14:00, the earliest time zone): an act cannot take effect after it is recorded"
    }
}

/// What became of one fact of a stream.
enum Judgement {
    /// Accepted: to be appended, with its encoded size.
    case append(Planned, bytes: Int)
    /// An identical copy of a held fact, or of an earlier fact of the stream.
    case duplicate
    /// Refused.
    case refused(Refusal)
}

extension AppendValidator {
    /// Checks one fact of a stream and hands back what became of it; the validator keeps only what
    /// later facts are judged against.
    mutating func judge(_ fact: Fact, at number: Int, index: LedgerIndex, views: ViewSet, context: ViewContext) -> Judgement {
        judge(PreparedFact(fact), at: number, index: index, views: views, context: context)
    }

    /// ``judge(_:at:index:views:context:)`` of a fact prepared beforehand (an import prepares its
    /// facts on another thread while it judges the ones before).
    mutating func judge(_ fact: PreparedFact, at number: Int, index: LedgerIndex, views: ViewSet, context: ViewContext) -> Judgement {
        check(fact, at: number, index: index, views: views, context: context)
        let outcome = planned.removeLast()
        if let refusal = refusals.popLast() { return .refused(refusal) }
        if case .append(let payload, _, _, _, _) = outcome { return .append(outcome, bytes: payload.count) }
        return .duplicate
    }
}

extension Ledger {
    /// Validates and appends `facts` as one durable group commit, updates the live views and
    /// returns a receipt per fact, in order.
    ///
    /// Each fact is checked against the ledger as of its effective date: its own field rules,
    /// idempotency by `(source, id)` (an identical copy is a ``FactReceipt/duplicate(of:)`` and is
    /// not appended again; a different fact under the same key is refused), references to numbers
    /// the subject holds, and — for facts that bring their own `recorded` (history migration) — a
    /// recorded time not earlier than the ledger's last. If any fact is refused, nothing is
    /// appended and ``LedgerError/refused(_:)`` lists every refusal.
    ///
    /// On a log other processes append to (PostgreSQL), the views first catch up with the log, and
    /// the facts are appended only right after what the views have seen: when another process
    /// appended in between, nothing is appended, the views catch up again and the facts are judged
    /// again (a fact the other process appended meanwhile is now a duplicate).
    ///
    /// Queries see the facts of one call together: the views apply them in one hold of their lock.
    @discardableResult
    public func append(_ facts: [Fact]) throws(LedgerError) -> [FactReceipt] {
        try append(facts, parts: [facts.count])
    }

    /// Appends the facts of several callers as one durable group commit (one `fdatasync`), as
    /// ``append(_:)`` does — validated together, all or nothing, one receipt per fact in order —
    /// with `parts` saying how many facts each caller contributed, in order (they add up to
    /// `facts.count`). Queries see each part's facts together, never some of them: the views apply
    /// the commit in runs of whole parts of about ``applyRun`` facts, each in one hold of their
    /// lock, so that a query waits for one run rather than the whole commit. Between runs the views
    /// hold exactly a prefix of the log (what the ledger answers as known at its last fact), and
    /// every fact they show is already durable.
    @discardableResult
    public func append(_ facts: [Fact], parts: [Int]) throws(LedgerError) -> [FactReceipt] {
        try append(prepared: facts.map(PreparedFact.init), parts: parts)
    }

    /// ``append(_:parts:)`` of facts prepared by the caller (``PreparedFact``): the same checks and
    /// outcome, with the part that needs no ledger state already done outside the append lock.
    @discardableResult
    public func append(prepared: [PreparedFact], parts: [Int]) throws(LedgerError) -> [FactReceipt] {
        precondition(parts.allSatisfy { $0 >= 0 } && parts.reduce(0, +) == prepared.count, "parts must add up to the facts appended")
        return try appendLock.withLock { _ throws(LedgerError) -> [FactReceipt] in
            for _ in 0..<Self.racesLostMax {
                if log.isShared { try catchUpLocked() }
                prepareForAppend(facts: prepared.count)
                let validator = validate(prepared)
                guard validator.refusals.isEmpty else {
                    intake.record(prepared.map(\.fact), refusals: validator.refusals)
                    throw .refused(validator.refusals)
                }
                guard let receipts = try tryCommit(validator.planned, parts: parts) else {
                    racesLost.withLock { $0 += 1 }
                    continue
                }
                // Only duplicates are counted of an append that went through.
                if receipts.contains(where: { if case .duplicate = $0 { true } else { false } }) { intake.record(prepared.map(\.fact), receipts: receipts) }
                return receipts
            }
            throw .log(.unavailable(log: log.locationDescription, reason:
                "other processes appended before every one of \(Self.racesLostMax) tries of this append; nothing of it was appended"))
        }
    }

    /// What an append of `facts` facts does first, off the views' lock (``GrowsAhead``): tables of
    /// their own for the live views if a background snapshot still shares them, and room in every
    /// table for the facts. Called with the append lock held.
    func prepareForAppend(facts: Int) {
        if tablesSharedWithSnapshot.withLock({ shared in defer { shared = false }; return shared }) {
            prepareViewTables(.unshared)
        }
        prepareViewTables(.ahead(facts))
    }

    /// Prepares the views' tables for `room` off the views' lock (``GrowsAhead``): queries go on
    /// reading the live views while copies are built, then the copies take their place in one
    /// short hold of the lock. Called with the append lock held, so nothing changes the views
    /// meanwhile and the copies hold exactly what the live views hold.
    func prepareViewTables(_ room: TableRoom) {
        let live = state.withLock { $0.views }
        guard var prepared = live.preparingTables(room) else { return }
        state.withLock { swap(&$0.views, &prepared) }
        // `prepared` now holds the views replaced: their tables are freed here, off the lock, and
        // with `live` gone the live views' tables are held once again (changed in place, not copied).
    }

    /// Facts checked per hold of the views' lock while an append is validated.
    static let validationRun = 32

    /// Facts applied to the views per hold of the views' lock after a group commit of several
    /// parts (``append(_:parts:)``): runs end at the first end of a part at or past this many.
    public static let applyRun = 48

    /// How many times an append on a shared log is judged again after another process appended
    /// first, before it gives up.
    static let racesLostMax = 64

    /// Validates one append against the live state. Called with the append lock held.
    ///
    /// The views change only under the append lock (appends, imports, catch-up), which the caller
    /// holds: checking the facts in short runs, each under the views' lock, sees the same state as
    /// one long hold would, and lets queries read the views in between — a group commit of a
    /// thousand facts would otherwise keep every query waiting for the whole validation.
    func validate(_ facts: [PreparedFact]) -> AppendValidator {
        var validator = state.withLock { AppendValidator(previousTime: $0.lastRecorded, now: configuration.log.clock()) }
        var start = 0
        while start < facts.count {
            let end = min(start + Self.validationRun, facts.count)
            state.withLock { state in
                let index = state.views.view(LedgerIndex.self)!
                for position in start..<end {
                    validator.check(facts[position], at: position, index: index, views: state.views, context: context)
                }
            }
            start = end
        }
        return validator
    }

    /// Appends the planned facts, or throws when another process appended to a shared log since
    /// the views last caught up (nothing of `planned` is appended then): an import's batches are
    /// judged against views it keeps itself, which cannot be judged again.
    func commit(_ planned: [Planned]) throws(LedgerError) -> [FactReceipt] {
        guard let receipts = try tryCommit(planned) else {
            throw .log(.unavailable(log: log.locationDescription, reason:
                "another process appended to the shared log during this import; this batch was not appended "
                + "(run the import again: facts already appended are recognised as duplicates)"))
        }
        return receipts
    }

    /// Appends the planned facts and applies them to the views; nil when the log is shared and its
    /// head is no longer the one the views stand at (nothing appended). Called with the append lock held.
    /// `parts` (adding up to `planned.count`): the facts queries see together; nil, all of them.
    func tryCommit(_ planned: [Planned], parts: [Int]? = nil) throws(LedgerError) -> [FactReceipt]? {
        var entries: [LogEntry] = []
        var pending: [(fact: Fact, contentHash: UInt64, key: FactKey)] = []
        for case let .append(payload, time, content, fact, key) in planned {
            entries.append(LogEntry(payload: payload, recordedTime: time))
            pending.append((fact, content, key))
        }
        var appended: [RecordedFact] = []
        if !entries.isEmpty {
            // A shared log's append lands only right after what the views have seen.
            let expected = log.isShared ? state.withLock { $0.viewsHead } : nil
            if log.isShared && expected == nil { return nil }
            let appendedReceipt: AppendReceipt?
            do { appendedReceipt = try log.append(entries, ifHeadIs: expected) } catch { throw .log(error) }
            guard let receipt = appendedReceipt else { return nil }
            for (offset, item) in pending.enumerated() {
                var fact = item.fact
                fact.recorded = Timestamp(receipt.recordedTimes[offset])
                appended.append(RecordedFact(
                    position: receipt.firstPosition.advanced(by: UInt64(offset)), recorded: receipt.recordedTimes[offset],
                    fact: fact, contentHash: item.contentHash, key: item.key))
            }
            // Applied in runs of whole parts, each under the views' lock, so that a query waits for
            // at most one run rather than the whole group commit. The facts are durable first;
            // after each run the views hold exactly a prefix of the log (``LiveState/viewsPoint``),
            // which is what the ledger answers as known at that run's last fact — so a query sees a
            // state of the log's history, never a fact not yet durable nor part of a caller's
            // facts, and a question bound to a history (``HistoryBinding``) is answered from that
            // history whichever run it sees.
            let runEnds = Self.runEnds(planned, parts: parts)
            var start = 0
            for end in runEnds {
                state.withLock { state in
                    for fact in appended[start..<end] { state.views.apply(fact) }
                    let last = appended[end - 1]
                    state.viewsPoint = ViewsPoint(next: last.position.advanced(by: 1), lastRecorded: last.recorded)
                    if end == appended.count {
                        state.lastRecorded = receipt.head.lastRecordedTime
                        state.factsSinceSnapshot += appended.count
                        state.applied = receipt.head.nextPosition
                        state.viewsHead = receipt.head
                    }
                }
                start = end
            }
            waiters.withLock { $0.head = receipt.head.nextPosition }
            resumeWaiters()
            checkpointer?.appended(recordCount: receipt.head.recordCount)
        }
        var receipts: [FactReceipt] = []
        var next = appended.makeIterator()
        for item in planned {
            switch item {
            case .append: let fact = next.next()!; receipts.append(.appended(position: fact.position, recorded: fact.recorded))
            case .duplicate(let position?, _): receipts.append(.duplicate(of: position))
            case .duplicate(nil, let batchIndex?):
                guard case .appended(let position, _) = receipts[batchIndex] else { preconditionFailure("duplicate of a duplicate") }
                receipts.append(.duplicate(of: position))
            case .duplicate(nil, nil): preconditionFailure("a refused fact reached commit")
            }
        }
        // The facts are durable and the views updated: a periodic snapshot runs in the background
        // and a failure of it never turns this append into an error.
        snapshotInBackgroundIfDue()
        return receipts
    }

    /// Where the runs of applied facts end, counted in appended facts (duplicates are not
    /// applied): at the first end of a part at or past ``applyRun`` facts after the previous run,
    /// so a part is never split; the last run ends with the last appended fact.
    static func runEnds(_ planned: [Planned], parts: [Int]?) -> [Int] {
        var appendedCount = 0
        var partEnds: [Int] = []
        var index = 0
        for size in parts ?? [planned.count] {
            for item in planned[index..<(index + size)] {
                if case .append = item { appendedCount += 1 }
            }
            index += size
            partEnds.append(appendedCount)
        }
        var ends: [Int] = []
        var start = 0
        for end in partEnds where end > start && (end - start >= applyRun || end == appendedCount) {
            ends.append(end)
            start = end
        }
        return ends
    }
}
