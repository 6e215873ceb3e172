import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Repair and objection as staged workflows (received → accepted → decided), each stage's
/// deadline in working days from the regime data, and the repair certificate. March 2024 has no
/// holiday: its working days are Monday to Friday.
@Suite struct CaseWorkflowTests {
    let directory = TemporaryDirectory()
    static let company = Status.company

    static func accepted(_ type: String, _ field: String, _ number: String, on date: String) -> Fact {
        Status.fact(type, company, on: date, #"{"\#(field)":"\#(number)"}"#)
    }

    /// - D-1 (2024-01-10): repair R-1 applied Friday 03-01, never accepted.
    /// - D-2 (2023-12-01, performed 12-10): repair R-2 applied Monday 03-04, accepted 03-05,
    ///   approved 03-12 (three months after the decision: eligible).
    /// - D-1: repair R-0 applied 02-01, rejected 02-05 (no acceptance recorded).
    /// - Objection O-1 against D-1 raised Monday 03-11, accepted (marked) Wednesday 03-13.
    func makeLedger() throws -> Ledger {
        let ledger = try Status.ledger(directory)
        let c = Self.company
        try ledger.append([
            Status.registered(c, name: "上海嘉定甲公司", on: "2023-06-01"),
            Status.penalty(c, "D-1", on: "2024-01-10"),
            Status.penalty(c, "D-2", on: "2023-12-01", severity: "general"),
            Status.performed(c, "D-2", on: "2023-12-10"),
            Status.commitment(c, "CR-0", on: "2024-02-01"),
            Status.repairApplied(c, "R-0", decision: "D-1", commitment: "CR-0", on: "2024-02-01"),
            Status.repairDecided(c, "R-0", outcome: "rejected", on: "2024-02-05"),
            Status.commitment(c, "CR-1", on: "2024-03-01"),
            Status.repairApplied(c, "R-1", decision: "D-1", commitment: "CR-1", on: "2024-03-01"),
            Status.commitment(c, "CR-2", on: "2024-03-04"),
            Status.repairApplied(c, "R-2", decision: "D-2", commitment: "CR-2", on: "2024-03-04"),
            Self.accepted("repair.accepted", "repairNo", "R-2", on: "2024-03-05"),
            Status.repairDecided(c, "R-2", on: "2024-03-12"),
            Status.objection(c, "O-1", target: #"{"decisionNo":"D-1"}"#, on: "2024-03-11"),
            Self.accepted("objection.accepted", "objectionNo", "O-1", on: "2024-03-13"),
        ])
        return ledger
    }

    @Test func eachRepairStageHasItsOwnDeadlineAndAnOverdueStageIsFlagged() throws {
        let list = try makeLedger().worklist(.repair, asOf: date("2024-03-08"))
        #expect(list.deadlines.regime == "standard")
        #expect(list.cases.map(\.number) == ["R-1", "R-2"], "R-0 is decided; R-1 is overdue to accept")
        let (r1, r2) = (list.cases[0], list.cases[1])
        // R-1: accept within 3 working days of Friday 03-01 (03-06), decide within 10 (03-15).
        #expect(r1.stage == .received)
        #expect(r1.acceptance?.due == date("2024-03-06") && r1.acceptance?.workingDaysLeft == -2 && r1.acceptance?.isOverdue == true)
        #expect(r1.decision?.due == date("2024-03-15") && r1.decision?.workingDaysLeft == 5 && r1.decision?.isOverdue == false)
        #expect(r1.isOverdue)
        // R-2: accepted 03-05, within its 3 days (03-07); decide by 03-18, six working days after 03-08.
        #expect(r2.stage == .accepted && r2.accepted == date("2024-03-05"))
        #expect(r2.acceptance?.done == date("2024-03-05") && r2.acceptance?.wasLate == false && r2.acceptance?.workingDaysLeft == nil)
        #expect(r2.decision?.due == date("2024-03-18") && r2.decision?.workingDaysLeft == 6 && !r2.isOverdue)
        #expect(list.workingDays == 10 && list.deadlineSource?.contains("22号") == true)
    }

    @Test func objectionsAreJudgedByTheRegimeChosen() throws {
        let ledger = try makeLedger()
        let shanghai = try ledger.worklist(.objection, asOf: date("2024-03-20"), deadlines: CaseDeadlines.bundled(regime: "shanghai2017"))
        let o1 = try #require(shanghai.cases.first)
        // Marked on Wednesday 03-13: one working day after Monday 03-11 is 03-12, so late; decided
        // within 5 working days, by 03-18: two working days overdue on 03-20.
        #expect(o1.acceptance?.due == date("2024-03-12") && o1.acceptance?.wasLate == true)
        #expect(o1.decision?.due == date("2024-03-18") && o1.workingDaysLeft == -2 && o1.isOverdue)
        #expect(o1.decision?.limit.source.contains("第三十六条") == true)
        // Henan: 7 working days, no marking stage: due 03-20, the last day.
        let henan = try ledger.worklist(.objection, asOf: date("2024-03-20"), deadlines: CaseDeadlines.bundled(regime: "henan2019"))
        #expect(henan.cases[0].acceptance == nil && henan.cases[0].due == date("2024-03-20") && henan.cases[0].workingDaysLeft == 0)
        #expect(!henan.cases[0].isOverdue)
    }

    @Test func aRegimeWithoutALimitListsTheCasesWithoutADeadline() throws {
        let list = try makeLedger().worklist(.repair, asOf: date("2024-03-08"), deadlines: CaseDeadlines.bundled(regime: "shanghai2017"))
        #expect(list.cases.map(\.number) == ["R-1", "R-2"])
        #expect(list.cases.allSatisfy { $0.acceptance == nil && $0.decision == nil && $0.due == nil && !$0.isOverdue })
        #expect(list.workingDays == nil && list.deadlineSource == nil)
    }

    @Test func theApplicantSeesEveryCaseStageByStage() throws {
        let ledger = try makeLedger()
        let all = try ledger.caseProgress(of: subject(Self.company), asOf: date("2024-03-20"))
        #expect(all.map(\.number) == ["R-0", "R-1", "R-2", "O-1"], "in the order received")
        #expect(all[0].stage == .decided && all[0].outcome == "rejected" && all[0].acceptance?.done == date("2024-02-05"),
                "a decision without an acceptance fact ends the acceptance stage too")
        #expect(all[2].outcome == "approved" && all[2].decision?.done == date("2024-03-12") && all[2].decision?.wasLate == false)
        let before = try ledger.caseProgress(of: subject(Self.company), number: "R-2", asOf: date("2024-03-04"))
        #expect(before.count == 1 && before[0].stage == .received && before[0].outcome == nil, "as of the day received")
        #expect(try ledger.caseProgress(of: subject(Self.company), number: "R-9", asOf: date("2024-03-20")).isEmpty)
    }

    @Test func anAcceptanceOfAnUnknownCaseIsRefused() throws {
        let ledger = try makeLedger()
        let refusal = try #require(Status.refusal(appending: [Self.accepted("repair.accepted", "repairNo", "R-9", on: "2024-03-20")], to: ledger))
        #expect(refusal.field == "body.repairNo")
    }

    @Test func anApprovedRepairYieldsACertificateNamingTheRecordItStopped() throws {
        let ledger = try makeLedger()
        let certificate = try ledger.repairCertificate(of: subject(Self.company), repairNo: "R-2", asOf: date("2024-03-20"))
        #expect(certificate.name == "上海嘉定甲公司")
        #expect(certificate.repair.decided == date("2024-03-12") && certificate.repair.outcome == "approved")
        #expect(certificate.facts.count == 3, "application, acceptance, decision")
        #expect(certificate.stopped.map(\.kind) == ["penalty"] && certificate.stopped[0].number == "D-2")
        #expect(certificate.stopped[0].from == date("2024-03-12") && certificate.stopped[0].detail == "foodSafety, decided 2023-12-01")
        // The certificate says what the publicity view shows: D-2 is no longer public from the decision.
        #expect(try ledger.penalty("D-2", asOf: "2024-03-11")?.isPublic == true)
        #expect(try ledger.penalty("D-2", asOf: "2024-03-12")?.isPublic == false)
    }

    @Test func aCertificateIsRefusedForARepairNotApproved() throws {
        let ledger = try makeLedger()
        let company = subject(Self.company)
        #expect(throws: RepairCertificateError.notApproved(repairNo: "R-0", outcome: "rejected")) {
            try ledger.repairCertificate(of: company, repairNo: "R-0", asOf: date("2024-03-20"))
        }
        #expect(throws: RepairCertificateError.notDecided(repairNo: "R-1", stage: .received, asOf: date("2024-03-20"))) {
            try ledger.repairCertificate(of: company, repairNo: "R-1", asOf: date("2024-03-20"))
        }
        #expect(throws: RepairCertificateError.notDecided(repairNo: "R-2", stage: .accepted, asOf: date("2024-03-11"))) {
            try ledger.repairCertificate(of: company, repairNo: "R-2", asOf: date("2024-03-11"))
        }
        #expect(throws: RepairCertificateError.noSuchRepair(subject: company, repairNo: "R-9", asOf: date("2024-03-20"))) {
            try ledger.repairCertificate(of: company, repairNo: "R-9", asOf: date("2024-03-20"))
        }
    }

    @Test func repairsDecidedOnTimeNeedARegimeWithADecisionLimit() throws {
        let ledger = try makeLedger()
        let standard = try ledger.indicators(from: date("2024-03-01"), through: date("2024-03-31"), by: .month).periods[0].district
        #expect(IndicatorTests.value(standard, "repairsDecidedOnTime") == .rate(numerator: 1, denominator: 1), "R-2 decided 03-12, due 03-18")
        let shanghai = try ledger.indicators(from: date("2024-03-01"), through: date("2024-03-31"), by: .month,
                                             deadlines: CaseDeadlines.bundled(regime: "shanghai2017")).periods[0].district
        #expect(IndicatorTests.value(shanghai, "repairsDecidedOnTime")?.whyNot == "the shanghai2017 regime sets no repair decision limit")
    }

    @Test func theBundledRegimesAreTheSourcedOnes() throws {
        #expect(try CaseDeadlines.bundledRegimes() == ["henan2019", "order58", "shanghai2017", "standard", "zhejiang2017"])
        let order58 = try CaseDeadlines.bundled(regime: "order58")
        #expect(order58.repair.decide?.workingDays == 10 && order58.repair.accept == nil)
        #expect(try CaseDeadlines.bundled(regime: "zhejiang2017").objection.decide?.source.contains("20") == true)
    }

    @Test func aBadDeadlineFileIsRefusedNamingTheFileAndThePath() throws {
        let cases: [(String, String, String)] = [
            (#"{"default":"x","regimes":{"x":{"title":"t","repair":{"accept":null,"decide":{"workingDays":5,"from":"decided","source":"s"}},"objection":{}}}}"#,
             "regimes.x.repair.decide.from", "received or accepted"),
            (#"{"default":"x","regimes":{"x":{"title":"t","repair":{"decide":{"workingDays":0,"from":"received","source":"s"}},"objection":{}}}}"#,
             "regimes.x.repair.decide.workingDays", "positive integer"),
            (#"{"default":"x","regimes":{"x":{"title":"t","repair":{"decide":{"workingDays":5,"from":"accepted","source":"s"}},"objection":{}}}}"#,
             "regimes.x.repair.decide", "no acceptance stage"),
            (#"{"default":"y","regimes":{"x":{"title":"t","repair":{},"objection":{}}}}"#, "default", "no regime \"y\""),
            (#"{"default":"x","regimes":{"x":{"title":"t","repair":{},"objection":{},"appeal":{}}}}"#, "regimes.x.appeal", "unknown field"),
        ]
        for (json, path, message) in cases {
            let file = directory.path + "/deadlines.json"
            try Data(json.utf8).write(to: URL(fileURLWithPath: file))
            do {
                _ = try CaseDeadlines.load(path: file)
                Issue.record("accepted \(json)")
            } catch let error as RuleFileError {
                #expect(error.origin == file && error.path == path, "\(error)")
                #expect(error.message.contains(message), "\(error)")
            }
        }
        #expect(throws: RuleFileError.self) { try CaseDeadlines.bundled(regime: "beijing") }
    }
}
