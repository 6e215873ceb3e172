import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// Validated append: idempotency, references as of the effective date, all-or-nothing batches,
/// backfilled recorded times.
@Suite struct AppendTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()
    let company = Codes.enterprise(1)

    func open() throws -> Ledger { try Ledger.open(directory: directory.path, configuration: configuration(clock: clock)) }

    @Test func appendedFactsGetPositionsAndRecordedTimes() throws {
        let ledger = try open()
        let receipts = try ledger.append([
            Facts.registered(company, name: "上海嘉定食品有限公司", on: "2020-01-10"),
            Facts.penalty(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01"),
        ])
        #expect(receipts.count == 2)
        guard case .appended(let first, let firstTime) = receipts[0], case .appended(let second, let secondTime) = receipts[1] else {
            Issue.record("expected two appended receipts, got \(receipts)")
            return
        }
        #expect(first == Position(0))
        #expect(second == Position(1))
        #expect(firstTime < secondTime)
        #expect(try ledger.head.recordCount == 2)
    }

    @Test func anIdenticalCopyIsADuplicateAndIsNotAppendedAgain() throws {
        let ledger = try open()
        let fact = Facts.penalty(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01")
        try ledger.append([fact])
        let receipts = try ledger.append([fact, fact])
        #expect(receipts == [.duplicate(of: Position(0)), .duplicate(of: Position(0))])
        #expect(try ledger.head.recordCount == 1)
    }

    @Test func aSecondCopyInTheSameAppendIsADuplicateOfTheFirst() throws {
        let ledger = try open()
        let fact = Facts.penalty(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01")
        let receipts = try ledger.append([fact, fact])
        #expect(receipts.count == 2)
        #expect(receipts[1] == .duplicate(of: Position(0)))
        #expect(try ledger.head.recordCount == 1)
    }

    @Test func aDifferentFactUnderTheSameKeyIsAConflictAndNothingIsAppended() throws {
        let ledger = try open()
        try ledger.append([Facts.penalty(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01", id: "JD-1")])
        #expect {
            try ledger.append([
                Facts.registered(company, name: "上海嘉定食品有限公司", on: "2020-01-10"),
                Facts.penalty(company, decision: "沪市监嘉处〔2023〕124号", on: "2023-06-02", id: "JD-1"),
            ])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.count == 1 && refusals[0].index == 1 && refusals[0].kind == .conflict
                && refusals[0].fact.description == "310114-SCJG/JD-1" && refusals[0].field == "id"
        }
        #expect(try ledger.head.recordCount == 1, "the valid fact of the refused append is not appended either")
    }

    @Test func aReferenceToANumberTheSubjectDoesNotHoldIsRefused() throws {
        let ledger = try open()
        #expect {
            try ledger.append([Facts.performed(company, decision: "沪市监嘉处〔2023〕999号", on: "2023-07-01")])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.first?.kind == .unknownReference && refusals.first?.field == "body.decisionNo"
                && refusals.first?.reason.contains("沪市监嘉处〔2023〕999号") == true
        }
    }

    @Test func aReferenceMayPointAtAnEarlierFactOfTheSameAppend() throws {
        let ledger = try open()
        let receipts = try ledger.append([
            Facts.penalty(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01"),
            Facts.performed(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-07-01"),
        ])
        #expect(receipts.count == 2)
    }

    @Test func aReferenceToANumberOfAnotherSubjectIsRefused() throws {
        let ledger = try open()
        try ledger.append([Facts.penalty(Codes.enterprise(2), decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01")])
        #expect(throws: LedgerError.self) {
            try ledger.append([Facts.performed(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-07-01")])
        }
    }

    @Test func aReferenceToANumberThatTakesEffectLaterIsRefused() throws {
        let ledger = try open()
        try ledger.append([Facts.penalty(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-06-01")])
        #expect {
            try ledger.append([Facts.performed(company, decision: "沪市监嘉处〔2023〕123号", on: "2023-05-01")])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.first?.kind == .referenceLater && refusals.first?.reason.contains("2023-06-01") == true
        }
    }

    @Test func everyRefusalOfABatchIsReported() throws {
        let ledger = try open()
        #expect {
            try ledger.append([
                Facts.performed(company, decision: "A-1", on: "2023-07-01"),
                Facts.registered(company, name: "上海嘉定食品有限公司", on: "2020-01-10"),
                Facts.performed(company, decision: "A-2", on: "2023-07-01"),
            ])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.map(\.index) == [0, 2]
        }
        #expect(try ledger.head.recordCount == 0)
    }

    @Test func backfilledFactsKeepTheirRecordedTime() throws {
        let ledger = try open()
        let receipts = try ledger.append([
            Facts.withRecorded(Facts.registered(company, name: "旧名", on: "2019-03-01"), "2019-03-05T10:00:00+08:00"),
            Facts.withRecorded(Facts.penalty(company, decision: "D-1", on: "2019-04-01"), "2019-04-03T10:00:00+08:00"),
        ])
        guard case .appended(_, let recorded) = receipts[1] else { Issue.record("not appended"); return }
        #expect(recorded == (try Timestamp(parsing: "2019-04-03T10:00:00+08:00")).recordedTime)
    }

    @Test func aBackfilledFactRecordedBeforeTheLedgersLastRecordedTimeIsRefused() throws {
        let ledger = try open()
        try ledger.append([Facts.registered(company, name: "新名", on: "2023-05-01")])   // recorded 2023-06-01 (clock)
        #expect {
            try ledger.append([Facts.withRecorded(Facts.penalty(company, decision: "D-1", on: "2019-04-01"), "2019-04-03T10:00:00+08:00")])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.first?.kind == .recordedBackwards && refusals.first?.field == "recorded"
        }
    }

    @Test func backfilledFactsWithTheSameRecordedTimeAreKeptInOrderAMicrosecondApart() throws {
        let ledger = try open()
        let receipts = try ledger.append([
            Facts.withRecorded(Facts.registered(company, name: "旧名", on: "2019-03-01"), "2019-03-05T10:00:00+08:00"),
            Facts.withRecorded(Facts.penalty(company, decision: "D-1", on: "2019-03-01"), "2019-03-05T10:00:00+08:00"),
        ])
        guard case .appended(_, let first) = receipts[0], case .appended(_, let second) = receipts[1] else {
            Issue.record("not appended"); return
        }
        #expect(second == first.adding(microseconds: 1))
    }

    @Test func aBackfillFileWithManyEqualRecordedTimesImportsInFileOrder() throws {
        // INTERCHANGE.md: in a backfill `recorded` is non-decreasing through the file. The audited
        // case: a history migrated from an older platform where facts share one timestamp; the
        // third equal time was refused as "before the ledger's last recorded time".
        let ledger = try open()
        let shared = "2019-03-05T10:00:00+08:00"
        var facts = [Facts.withRecorded(Facts.registered(company, name: "旧名", on: "2019-03-01"), shared)]
        for n in 1...5 { facts.append(Facts.withRecorded(Facts.penalty(company, decision: "D-\(n)", on: "2019-03-01"), shared)) }
        // One microsecond after the shared claim: later in the file, not before it.
        facts.append(Facts.withRecorded(Facts.penalty(company, decision: "D-6", on: "2019-03-01"), "2019-03-05T10:00:00.000001+08:00"))
        let lines = facts.map { FactJSONCodec.encode($0) }.joined(separator: "\n")
        var options = ImportOptions(mode: .allOrNothing)
        options.backfill = true
        options.batchSize = 2   // the run of equal times crosses batches
        let summary = try ledger.importFacts(from: .bytes(Array(lines.utf8), name: "migrated.jsonl"), options: options)
        #expect(summary.appended == 7 && summary.refusedCount == 0, "\(summary.refused)")
        let base = (try Timestamp(parsing: shared)).recordedTime
        let times = try ledger.log.fileLog!.records(from: .zero, limit: 7).map(\.recordedTime)
        #expect(times == (0..<7).map { base.adding(microseconds: $0) })
        // Known at the shared instant, the ledger holds only the first fact of the run: each later
        // one is recorded a microsecond after the one before it (docs/ledger.md).
        let knownThen = try ledger.subjectView(PenaltyPublicity.self, subject: subject(company), knownAt: base)
        #expect(knownThen.penalties(of: subject(company), asOf: date("2019-03-01"), context: ledgerContext).isEmpty)
        let knownAll = try ledger.subjectView(PenaltyPublicity.self, subject: subject(company), knownAt: base.adding(microseconds: 6))
        #expect(knownAll.penalties(of: subject(company), asOf: date("2019-03-01"), context: ledgerContext).count == 6)
    }

    @Test func aClaimedRecordedTimeBeforeThePreviousClaimIsStillRefused() throws {
        let ledger = try open()
        #expect {
            try ledger.append([
                Facts.withRecorded(Facts.registered(company, name: "旧名", on: "2019-03-01"), "2019-03-05T10:00:00+08:00"),
                Facts.withRecorded(Facts.penalty(company, decision: "D-1", on: "2019-03-01"), "2019-03-05T10:00:00+08:00"),
                Facts.withRecorded(Facts.penalty(company, decision: "D-2", on: "2019-03-01"), "2019-03-05T09:59:59+08:00"),
            ])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.map(\.index) == [2] && refusals[0].kind == .recordedBackwards
                && refusals[0].reason.contains("before the previous fact's recorded time")
        }
    }

    @Test func anEffectiveDateLaterThanTheRecordedDateIsRefused() throws {
        // 行政处罚法 2021 Art. 2, Art. 61: a penalty takes effect when the decision is made and
        // served; a decision dated next month cannot have been recorded today. The audited case: a
        // penalty dated 2026-07-01 recorded on 2026-06-01 was accepted.
        let ledger = try open()   // the clock reads 2026-06-01T09:00:01+08:00
        try ledger.append([Facts.registered(company, name: "上海嘉定食品有限公司", on: "2020-01-10")])
        let refusals = try #require(throws: LedgerError.self) {
            try ledger.append([Facts.penalty(company, decision: "D-NEXT-MONTH", on: "2026-07-01")])
        }
        guard case .refused(let list) = refusals else { Issue.record("\(refusals)"); return }
        #expect(list.count == 1 && list[0].kind == .effectiveAfterRecorded && list[0].field == "effective")
        #expect(list[0].reason.contains("effective 2026-07-01 is later than the date it was recorded (2026-06-01"))
        // The tolerance: the recorded instant's date at UTC+14:00, six hours ahead of Beijing.
        // 2026-06-10 19:00 in Beijing is already 2026-06-11 at UTC+14:00; 17:00 is not.
        try ledger.append([Facts.withRecorded(Facts.penalty(company, decision: "D-EAST", on: "2026-06-11"), "2026-06-10T19:00:00+08:00")])
        #expect {
            try ledger.append([Facts.withRecorded(Facts.penalty(company, decision: "D-WEST", on: "2026-06-12"), "2026-06-11T17:00:00+08:00")])
        } throws: { error in
            guard case LedgerError.refused(let refusals) = error else { return false }
            return refusals.first?.kind == .effectiveAfterRecorded
        }
    }
}

/// A view that refuses a second registration of the same subject, to prove the admission hook.
struct SingleRegistration: Projector, SnapshotState, DigestContent, AdmissionRules {
    static let name = "single-registration"
    static let codeVersion = 1
    static let factTypes: FactTypeSet = [.subjectRegistered]
    var registered: Set<SubjectCode> = []
    init() {}
    mutating func apply(_ fact: RecordedFact) {
        if case .subjectRegistered = fact.fact.body { registered.insert(fact.fact.subject) }
    }
    func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem? {
        guard case .subjectRegistered = fact.body, registered.contains(fact.subject) else { return nil }
        return AdmissionProblem(field: "subject", kind: .viewRule("alreadyRegistered"), reason: "\(fact.subject) is already registered")
    }
    mutating func adopt(_ subject: SubjectCode, from live: SingleRegistration) {
        if live.registered.contains(subject) { registered.insert(subject) } else { registered.remove(subject) }
    }
    func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(registered.sorted()) { e, subject in e.write(subject.description) }
    }
    init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        registered = Set(try d.readArray { (d) throws(SnapshotError) in try d.readSubject() })
    }
    func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) { encodeState(into: &encoder) }
}

@Test func aViewCanRefuseAFactThatBreaksARuleOfTheLedgersState() throws {
    let directory = TemporaryDirectory()
    var configuration = configuration(clock: SteppingClock())
    configuration.views = [SubjectRegistry.self, SingleRegistration.self]
    let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
    let company = Codes.enterprise(3)
    try ledger.append([Facts.registered(company, name: "甲", on: "2020-01-01")])
    #expect {
        try ledger.append([Facts.registered(company, name: "乙", on: "2021-01-01", id: "REG-2")])
    } throws: { error in
        guard case LedgerError.refused(let refusals) = error else { return false }
        return refusals.first?.kind == .viewRule("alreadyRegistered") && refusals.first?.field == "subject"
    }
    #expect(try ledger.head.recordCount == 1)
}

@Test func everyAppendFeedsTheIntakeCountersWithDuplicatesAndRefusalsBySource() throws {
    let directory = TemporaryDirectory()
    let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: SteppingClock()))
    let company = Codes.enterprise(4)
    let penalty = Facts.penalty(company, decision: "D-1", on: "2023-06-01")
    try ledger.append([penalty])
    try ledger.append([penalty])
    #expect(throws: LedgerError.self) { try ledger.append([Facts.performed(company, decision: "D-9", on: "2023-07-01")]) }
    let source = SourceID(unchecked: "310114-SCJG")
    #expect(ledger.intake.counts.duplicates[source] == 1)
    #expect(ledger.intake.counts.refusals[source]?["unknownReference"] == 1)
}
