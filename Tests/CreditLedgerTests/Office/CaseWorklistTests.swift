import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Worklists of open repairs and objections with deadlines in working days, the district's risk
/// worklist, and the subject's credit file.
@Suite struct CaseWorklistTests {
    let directory = TemporaryDirectory()

    static let company = Status.company
    static let other = Status.otherCompany

    /// Two food-safety penalties of the company (2024-01-10, 01-15); repairs, each with its repair
    /// commitment (CR-0, CR-1, CR-2, on the day applied): R-0 of D-1 applied
    /// 02-01 and rejected 02-05; R-1 of D-1 applied 03-01 (due 03-15, 10 working days) and R-2 of
    /// D-2 applied 03-18 (due 04-01), both open; objection O-1 against D-1 raised 03-11 (due 03-18,
    /// 5 working days), open; O-2 raised 03-01 and upheld 03-05. A 告知承诺 of each company due
    /// 03-01 with no outcome.
    func makeLedger() throws -> Ledger {
        let ledger = try Status.ledger(directory)
        let c = Self.company
        try ledger.append([
            Status.registered(c, name: "上海嘉定甲公司", on: "2023-06-01"),
            Status.penalty(c, "D-1", on: "2024-01-10"),
            Status.penalty(c, "D-2", on: "2024-01-15"),
            Status.commitment(c, "CR-0", on: "2024-02-01"),
            Status.repairApplied(c, "R-0", decision: "D-1", commitment: "CR-0", on: "2024-02-01"),
            Status.repairDecided(c, "R-0", outcome: "rejected", on: "2024-02-05"),
            Status.commitment(c, "CR-1", on: "2024-03-01"),
            Status.repairApplied(c, "R-1", decision: "D-1", commitment: "CR-1", on: "2024-03-01"),
            Status.commitment(c, "CR-2", on: "2024-03-18"),
            Status.repairApplied(c, "R-2", decision: "D-2", commitment: "CR-2", on: "2024-03-18"),
            Status.objection(c, "O-1", target: #"{"decisionNo":"D-1"}"#, on: "2024-03-11"),
            Status.objection(c, "O-2", target: #"{"decisionNo":"D-2"}"#, on: "2024-03-01"),
            Status.resolved(c, "O-2", outcome: "upheld", on: "2024-03-05"),
            Status.commitment(c, "C-1", kind: "approvalSubstitution", on: "2024-01-20", due: "2024-03-01"),
            Status.commitment(Self.other, "C-9", kind: "approvalSubstitution", on: "2024-01-20", due: "2024-03-01"),
        ])
        return ledger
    }

    @Test func openRepairsAreListedOverdueFirstWithWorkingDaysLeft() throws {
        let ledger = try makeLedger()
        let list = try ledger.worklist(.repair, asOf: date("2024-03-20"))
        #expect(list.cases.map(\.number) == ["R-1", "R-2"], "R-0 is decided")
        #expect(list.cases[0].due == date("2024-03-15") && list.cases[0].workingDaysLeft == -3 && list.cases[0].isOverdue)
        #expect(list.cases[0].target == "penalty D-1")
        #expect(list.cases[1].due == date("2024-04-01") && list.cases[1].workingDaysLeft == 8 && !list.cases[1].isOverdue)
        let earlier = try ledger.worklist(.repair, asOf: date("2024-03-15"))
        #expect(earlier.cases.map(\.number) == ["R-1"] && earlier.cases[0].workingDaysLeft == 0, "the last day is not overdue")
    }

    @Test func openObjectionsAreJudgedAgainstFiveWorkingDays() throws {
        let list = try makeLedger().worklist(.objection, asOf: date("2024-03-20"))
        #expect(list.cases.map(\.number) == ["O-1"], "O-2 was upheld")
        #expect(list.cases[0].due == date("2024-03-18") && list.cases[0].workingDaysLeft == -2)
        #expect(list.workingDays == 5)
    }

    @Test func riskWorklistRanksSubjectsBySignals() throws {
        let rows = try makeLedger().riskWorklist(asOf: date("2024-03-20"))
        #expect(rows.map(\.subject.description) == [Self.company, Self.other])
        #expect(rows[0].signals.map(\.kind) == [.overdueCommitment, .repeatPenalties])
        #expect(rows[1].signals.map(\.kind) == [.overdueCommitment])
    }

    @Test func subjectFileListsEveryFactInTimeOrderWithItsStatus() throws {
        let ledger = try makeLedger()
        let file = try ledger.subjectFile(of: subject(Self.company), asOf: date("2024-03-20"))
        #expect(file.entries.map(\.fact.fact.effective) == file.entries.map(\.fact.fact.effective).sorted())
        #expect(file.entries.count == 14, "every fact of the company but C-9 of the other")
        let status = Dictionary(file.entries.map { ($0.fact.fact.type.rawValue + " " + $0.fact.fact.effective.description, $0.status) }) { a, _ in a }
        #expect(status["repair.applied 2024-02-01"] == "rejected on 2024-02-05")
        #expect(status["repair.applied 2024-03-01"] == "pending since 2024-03-01")
        #expect(status["objection.raised 2024-03-11"] == "open since 2024-03-11")
        #expect(status["objection.raised 2024-03-01"] == "upheld on 2024-03-05")
        #expect(status["commitment.made 2024-01-20"] == "overdue")
        #expect(status["penalty.decided 2024-01-10"]?.hasPrefix("active") == true)
        let before = try ledger.subjectFile(of: subject(Self.company), asOf: date("2024-02-03"))
        #expect(before.entries.count == 6, "registration, two penalties, C-1, CR-0, R-0")
        #expect(before.entries.last?.status == "pending since 2024-02-01", "R-0 is decided only on 02-05")
    }
    @Test func aDeadlinePastTheHolidayCalendarIsNotMadeUp() throws {
        // The bundled calendar ends on 2026-12-31: ten working days after 2026-12-28 lie beyond it.
        let ledger = try Status.ledger(directory, clock: SteppingClock(start: "2027-01-05T09:00:00+08:00"))
        try ledger.append([
            Status.penalty(Self.company, "D-9", on: "2026-06-01"),
            Status.commitment(Self.company, "CR-9", on: "2026-12-28"),
            Status.repairApplied(Self.company, "R-9", decision: "D-9", commitment: "CR-9", on: "2026-12-28"),
        ])
        let list = try ledger.worklist(.repair, asOf: date("2026-12-30"))
        #expect(list.cases.map(\.number) == ["R-9"])
        #expect(list.cases[0].due == nil && list.cases[0].workingDaysLeft == nil && !list.cases[0].isOverdue)
    }
}
