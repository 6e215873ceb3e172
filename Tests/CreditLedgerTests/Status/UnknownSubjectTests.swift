import CreditFacts
import Testing
@testable import CreditLedger

/// A valid code the ledger holds no fact about is not registered in this ledger: no document may
/// read its empty record as a clean one.
@Suite struct UnknownSubjectTests {
    let directory = TemporaryDirectory()

    @Test func theSpecialReportNeverCertifiesASubjectTheLedgerHasNeverSeen() throws {
        // 信用报告替代无违法记录证明 (the seeds' special report): the audited case printed
        // "无行政处罚记录" for a valid code that nobody registered, as if it were a certificate.
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.registered(Status.company, name: "上海嘉定食品有限公司", on: "2020-01-10")])
        let stranger = subject(Status.otherCompany)
        let unknown = try ledger.specialReport(for: stranger, field: .foodSafety, from: date("2023-01-01"), through: date("2023-12-31"))
        #expect(!unknown.inLedger && !unknown.isClean)
        #expect(unknown.statement.contains("is not registered in this ledger") && !unknown.statement.contains("无行政处罚记录"))
        // A registered subject with no penalty in the field is certified clean.
        let known = try ledger.specialReport(for: subject(Status.company), field: .foodSafety, from: date("2023-01-01"), through: date("2023-12-31"))
        #expect(known.inLedger && known.isClean && known.statement.contains("无行政处罚记录"))
        #expect(try !ledger.creditReport(for: stranger, asOf: date("2023-12-31")).inLedger)
        #expect(try !ledger.subjectDocument(of: stranger, asOf: date("2023-12-31")).inLedger)
    }

    @Test func aSubjectIsNotInTheLedgerAsKnownBeforeItsFirstFact() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.registered(Status.company, name: "上海嘉定食品有限公司", on: "2020-01-10")])
        guard case .appended(_, let recorded) = try ledger.append([Status.penalty(Status.otherCompany, "D-1", on: "2023-03-01")])[0] else {
            Issue.record("not appended"); return
        }
        let other = subject(Status.otherCompany)
        #expect(try ledger.holdsFacts(about: other))
        #expect(try !ledger.holdsFacts(about: other, knownAt: recorded.adding(microseconds: -1)))
        // A person the ledger knows only through an organisation's role is in the ledger.
        try ledger.append([Status.fact("role.assigned", Status.company, on: "2020-01-10", #"{"person":"\#(Status.adult)","role":"legalRepresentative"}"#)])
        #expect(try ledger.holdsFacts(about: subject(Status.adult)))
    }
}

/// Bad input keeps its contract under the intake rules: an all-or-nothing import that hits them
/// appends nothing and lists every refusal with its line, field and reason.
@Suite struct IntakeRuleImportTests {
    let directory = TemporaryDirectory()

    @Test func anAllOrNothingImportHittingTheIntakeRulesAppendsNothingAndListsEveryRefusal() throws {
        let ledger = try Status.ledger(directory)   // the clock reads 2026-06-01
        let facts = [
            Status.registered(Status.company, name: "上海嘉定食品有限公司", on: "2020-01-10"),
            Status.listed("L-1", list: "seriousDishonesty", on: "2023-03-01"),
            Status.delisted("L-1", reason: "performed", on: "2023-04-01"),                              // early removal
            Status.listed("L-2", list: "judgmentDefaulter", on: "2024-03-01", publishFrom: "2025-03-01"),  // 12-month grace
            Status.penalty("D-1", on: "2026-07-01"),                                                   // next month
            Status.commitment("C-1", kind: "voluntary", on: "2024-05-01"),
            Status.penalty("D-2", on: "2024-01-10", severity: "general"),
            Status.repairApplied("R-1", decision: "D-2", commitment: "C-1", on: "2024-05-01"),         // not a repair commitment
        ]
        let lines = facts.map { FactJSONCodec.encode($0) }.joined(separator: "\n")
        let summary = try ledger.importFacts(from: .bytes(Array(lines.utf8), name: "rules.jsonl"), options: ImportOptions(mode: .allOrNothing))
        #expect(summary.appended == 0)
        #expect(try ledger.head.recordCount == 0)
        #expect(summary.refused.map(\.line) == [3, 4, 5, 8])
        #expect(summary.refused.map(\.field) == ["body.reason", "body.publishFrom", "effective", "body.commitmentNo"])
        #expect(summary.refused.map(\.kind) == ["earlyRemovalTooSoon", "gracePeriodOutOfRange", "effectiveAfterRecorded", "repairCommitmentRequired"])
        #expect(summary.refused.allSatisfy { !$0.reason.isEmpty })
    }
}
