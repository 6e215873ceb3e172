import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Commitments (信用承诺), data quality (归集质量) and reports (信用报告, 专项信用报告).
@Suite struct CommitmentQualityReportTests {
    let directory = TemporaryDirectory()

    func commitments(_ ledger: Ledger, asOf day: String) throws -> [String: CommitmentStatus.Status] {
        try ledger.withView(CommitmentRegister.self) { view in
            Dictionary(uniqueKeysWithValues: view.commitments(of: subject(Status.company), asOf: date(day)).map { ($0.commitmentNo.text, $0.status) })
        }
    }

    @Test func commitmentsAreOpenFulfilledBreachedOrOverdue() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.commitment("C-1", kind: "approvalSubstitution", on: "2023-03-01", due: "2023-06-30"),
            Status.commitment("C-2", kind: "missingDocuments", on: "2023-03-01", due: "2023-04-30"),
            Status.commitment("C-3", kind: "certification", on: "2023-03-01", due: "2023-05-31"),
            Status.commitment("C-4", kind: "voluntary", on: "2023-03-01"),
            Status.fact("commitment.fulfilled", Status.company, on: "2023-04-20", #"{"commitmentNo":"C-2"}"#),
            Status.fact("commitment.breached", Status.company, on: "2023-05-10", #"{"commitmentNo":"C-3","breach":"violated","severity":"general"}"#),
        ])
        #expect(try commitments(ledger, asOf: "2023-07-01") == ["C-1": .overdue, "C-2": .fulfilled, "C-3": .breached, "C-4": .open])
        #expect(try commitments(ledger, asOf: "2023-04-01") == ["C-1": .open, "C-2": .open, "C-3": .open, "C-4": .open])
    }

    @Test func onlyTheRepairOfTheFalseCommitmentItselfLiftsTheNotificationAndCommitmentBar() throws {
        // 国办发〔2020〕42号: 曾作出虚假承诺等情形的，在信用修复前不适用告知承诺制 — until *that*
        // dishonesty is repaired; the audited case lifted the bar with the repair of a penalty.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.commitment("C-F-1", kind: "approvalSubstitution", on: "2023-03-01"),
            Status.fact("commitment.breached", Status.company, on: "2023-04-01", #"{"commitmentNo":"C-F-1","breach":"false","severity":"serious"}"#),
            Status.penalty("D-F-1", on: "2023-04-15", severity: "general"),
            Status.performed("D-F-1", on: "2023-04-20"),
            Status.commitment("C-REP-F", on: "2023-08-01"),
            Status.repairApplied("R-F-1", decision: "D-F-1", commitment: "C-REP-F", on: "2023-08-01"),
            Status.repairDecided("R-F-1", on: "2023-08-08"),
            Status.commitment("C-REP-F2", on: "2023-09-01"),
            Status.repairApplied("R-F-2", commitment: "C-REP-F2", on: "2023-09-01", target: "C-F-1"),
            Status.repairDecided("R-F-2", on: "2023-09-06"),
        ])
        let eligibility = { (day: String) in
            try ledger.withView(CommitmentRegister.self) { $0.notificationAndCommitment(for: subject(Status.company), asOf: date(day)) }
        }
        #expect(try eligibility("2023-03-31").isAllowed)
        let barred = try eligibility("2023-08-07")
        #expect(!barred.isAllowed && barred.reasons == ["false commitment C-F-1 (2023-04-01) not repaired"])
        #expect(try !eligibility("2023-08-08").isAllowed, "the repair of penalty D-F-1 does not repair the false commitment")
        #expect(try !eligibility("2023-09-05").isAllowed)
        #expect(try eligibility("2023-09-06").isAllowed)
    }

    @Test func factReportedWithinSevenWorkingDaysAcrossNationalDayIsOnTime() throws {
        // 2023-09-27 + 7 working days: 09-28, then 09-29 … 10-06 are holidays, 10-07 and 10-08 are
        // make-up working days, so the deadline is 2023-10-12.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.fact("penalty.decided", Status.company, on: "2023-09-27",
                        #"{"decisionNo":"D-Q-1","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}"#,
                        reported: "2023-10-07T09:00:00+08:00"),
            Status.fact("penalty.decided", Status.otherCompany, on: "2023-09-27",
                        #"{"decisionNo":"D-Q-2","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"tax","legalBasis":"《税收征收管理法》"}"#,
                        reported: "2023-10-12T17:00:00+08:00"),
            Status.fact("penalty.decided", Status.adult, on: "2023-09-27",
                        #"{"decisionNo":"D-Q-3","kinds":["warning"],"procedure":"ordinary","field":"tax","legalBasis":"《税收征收管理法》"}"#,
                        reported: "2023-10-13T09:00:00+08:00"),
        ])
        let report = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2023-12-31"), context: ledger.context) }
        // The first was reported on a make-up working day (2023-10-07), within the deadline.
        #expect(report.count == 1 && report[0].facts == 3 && report[0].onTime == 2 && report[0].late == 1)
        #expect(report[0].onTimeRate == 2.0 / 3.0)
    }

    @Test func theSevenWorkingDayDeadlineJudgesOnlyTheAdministrativeActs() throws {
        // A commitment or a list entry reported a month late is counted, not judged: 双公示 covers
        // licences, penalties and the other acts of the ten.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.fact("licence.granted", Status.company, on: "2023-03-01", #"{"decisionNo":"许可-1","item":"食品经营许可"}"#,
                        reported: "2023-04-03T09:00:00+08:00"),
            Status.fact("commitment.made", Status.company, on: "2023-03-01",
                        #"{"commitmentNo":"C-Q-1","kind":"voluntary","matter":"守法经营"}"#, reported: "2023-04-03T09:00:00+08:00"),
            Status.fact("act.recorded", Status.company, on: "2023-03-01",
                        #"{"act":"inspection","decisionNo":"检-1","outcome":"合格","negative":false}"#, reported: "2023-03-02T09:00:00+08:00"),
        ])
        let report = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2023-12-31"), context: ledger.context) }
        #expect(report.count == 1 && report[0].facts == 3)
        #expect(report[0].onTime == 1 && report[0].late == 1 && report[0].onTimeRate == 0.5)
    }

    @Test func oneCodeReportedUnderTwoNamesIsACodeConflict() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.registered(Status.company, name: "上海嘉定甲食品有限公司", on: "2019-05-01"),
            Status.registered(Status.company, name: "上海嘉定甲食品有限公司", on: "2019-05-01", source: "310114-SWJ"),
            Status.registered(Status.company, name: "上海乙贸易有限公司", on: "2019-05-01", source: "310114-SWJ"),
        ])
        let report = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2023-12-31"), context: ledger.context) }
        #expect(report.map(\.source.text) == ["310114-SCJG", "310114-SWJ"])
        #expect(report[0].codeConflicts.isEmpty && report[1].codeConflicts == [subject(Status.company)])
    }

    @Test func duplicatesAndRefusalsAreCountedPerSourceByTheIntakeCounters() throws {
        let ledger = try Status.ledger(directory)
        let counters = IntakeCounters()
        let first = [Status.penalty("D-I-1", on: "2023-06-01", severity: "general")]
        counters.record(first, receipts: try ledger.append(first))
        counters.record(first, receipts: try ledger.append(first))
        try ledger.append([Status.listed("L-I-1", list: "seriousDishonesty", on: "2023-01-10")])
        let bad = [Status.listed("L-I-2", list: "red", on: "2023-06-01")]
        do { try ledger.append(bad) } catch { if case .refused(let refusals) = error { counters.record(bad, refusals: refusals) } }
        let report = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2023-12-31"), context: ledger.context, intake: counters.counts) }
        #expect(report[0].duplicates == 1)
        #expect(report[0].refusals == [SourceQuality.RefusalCount(kind: "redListConflict", count: 1)])
    }

    @Test func creditReportSaysWhatIsPublicAndWhyTheRestIsNot() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-C-1", on: "2023-06-01", severity: "general"),
            Status.penalty("D-C-2", on: "2023-06-02", kinds: #"["warning"]"#, fine: nil, procedure: "summary"),
            Status.listed("L-C-1", list: "keyAttention", on: "2023-07-01", publishFrom: "2023-09-01"),
        ])
        let report = try ledger.creditReport(for: subject(Status.company), asOf: date("2023-08-01"))
        #expect(report.publicPenalties.map(\.decisionNo.text) == ["D-C-1"])
        #expect(report.unpublishedPenalties.map(\.decisionNo.text) == ["D-C-2"])
        #expect(report.unpublishedListings.map(\.why.text) == ["within the grace period (宽限期) until 2023-09-01"])
        #expect(report.notificationAndCommitment.isAllowed && !report.hasOpenObjection)
    }

    @Test func specialReportListsPenaltiesOfTheFieldInThePeriodOrStatesThereAreNone() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.penalty("D-X-1", on: "2022-04-01", severity: "general", field: "foodSafety"),
            Status.penalty("D-X-2", on: "2023-04-01", severity: "general", field: "workSafety"),
            Status.penalty("D-X-3", on: "2023-05-01", severity: "general", field: "foodSafety"),
            Status.revoked("D-X-3", on: "2023-06-01"),
        ])
        let food = try ledger.specialReport(for: subject(Status.company), field: .foodSafety, from: date("2023-01-01"), through: date("2023-12-31"))
        #expect(food.isClean && food.statement.contains("no administrative penalty in the field foodSafety"))
        let work = try ledger.specialReport(for: subject(Status.company), field: .workSafety, from: date("2023-01-01"), through: date("2023-12-31"))
        #expect(work.penalties.map(\.decisionNo.text) == ["D-X-2"])
    }

    @Test func statusDigestIsIdenticalLiveRebuiltOnOneAndTwoCoresAndReopenedFromSnapshot() throws {
        let ledger = try Status.ledger(directory)
        for n in 0..<60 {
            let code = Codes.enterprise(8000 + n)
            try ledger.append([
                Status.registered(code, name: "企业\(n)", on: "2021-01-01"),
                Status.penalty(code, "D-\(n)", on: "2022-0\(1 + n % 9)-15", severity: n % 3 == 0 ? "serious" : "general"),
                Status.listed(code, "L-\(n)", list: n % 2 == 0 ? "abnormalOperation" : "keyAttention", on: "2021-03-01"),
                Status.commitment(code, "C-\(n)", kind: "voluntary", on: "2022-01-01", due: "2022-12-31"),
                Status.objection(code, "O-\(n)", target: #"{"decisionNo":"D-\#(n)"}"#, on: "2022-10-01"),
            ])
        }
        let day = date("2024-06-30")
        let live = try ledger.digest(asOf: day)
        #expect(Ledger.digest(of: try ledger.rebuild(cores: 1).views, asOf: day, context: ledger.context) == live)
        #expect(Ledger.digest(of: try ledger.rebuild(cores: 2).views, asOf: day, context: ledger.context) == live)
        try ledger.close()
        let reopened = try Status.ledger(directory)
        #expect(try reopened.digest(asOf: day) == live)
        #expect(try reopened.withView(ListRegister.self) { $0.subjects.count } == 60)
    }
}
