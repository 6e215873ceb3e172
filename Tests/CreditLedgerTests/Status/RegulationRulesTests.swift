import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// The rules the views apply, each reproducing a case an audit against the work plans and the
/// regulations found wrong (issue 14), with real dates and the regulation it follows.
@Suite struct RegulationRulesTests {
    let directory = TemporaryDirectory()

    // MARK: - Red list vs dishonesty lists (item 2)

    @Test func aRedEntryMadeBeforeASeriousDishonestyListingEndsOnTheListingDate() throws {
        // Seed 001 (嘉定): 切实做好红黑名单交叉比对工作，确保已被列入"黑名单"的主体不被列为"红名单".
        // The audited code kept the red entry active and published after the listing.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.registered(),
            Status.listed("L-RED-7", list: "red", on: "2022-05-01"),
            Status.listed("L-SD-7", list: "seriousDishonesty", on: "2023-03-15"),
        ])
        let before = try #require(try ledger.listing("L-RED-7", asOf: "2023-03-14"))
        #expect(before.isActive && before.isPublished)
        #expect(try ledger.measures(scene: .licensing, asOf: "2023-03-14").contains { $0.trigger.ref == "L-RED-7" })

        let after = try #require(try ledger.listing("L-RED-7", asOf: "2023-03-15"))
        #expect(!after.isActive && !after.isPublished && after.ended == date("2023-03-15"))
        #expect(after.endReason?.contains("on the seriousDishonesty list (L-SD-7, since 2023-03-15)") == true)
        let document = try ledger.subjectDocument(of: subject(Status.company), asOf: date("2023-06-01"))
        #expect(document.lists.first { $0.listNo.text == "L-RED-7" }?.endReason?.contains("红黑名单交叉比对") == true)
        #expect(document.report.unpublishedListings.contains { $0.status.listNo.text == "L-RED-7" && $0.why.text.contains("红黑名单交叉比对") })
        #expect(!document.measures.contains { $0.trigger.ref == "L-RED-7" }, "rewards triggered by the red entry stop")
    }

    // MARK: - Grace period (item 3)

    @Test func nothingPunishesFromAJudgmentDefaulterListingBeforeItsPublicationDate() throws {
        // 法发〔2019〕35号: a grace period of 1–3 months before a listing is published; seed 003
        // (适当设置一定宽限期，暂缓发布失信名单信息). The audited code made the company grade D
        // through "direct D" (and so key supervision) and deducted from its legal representative
        // from the listing date.
        let ledger = try Status.ledger(directory)
        try ledger.append(Measures.companyWithRoles + [Measures.defaulter("(2023)沪0114执9号", on: "2023-03-01", publishFrom: "2023-05-01")])
        let grace = try ledger.grade(Status.company, asOf: "2023-04-30")
        #expect(grace.level != .D && !grace.rules.contains("directD.list"))
        let graceDocument = try ledger.subjectDocument(of: subject(Status.company), asOf: date("2023-04-30"))
        #expect(graceDocument.measures.isEmpty, "no measure, key supervision included, before publication")
        #expect(!(try ledger.grade(Measures.legalRep, asOf: "2023-04-30").rules.contains("deduct.linked.seriousDishonesty")))

        #expect(try ledger.grade(Status.company, asOf: "2023-05-01").level == .D)
        let published = try ledger.subjectDocument(of: subject(Status.company), asOf: date("2023-05-01"))
        #expect(published.measures.contains { $0.measure.id.text == "M-KEY-SUPERVISION" })
        #expect(try ledger.grade(Measures.legalRep, asOf: "2023-05-01").rules.contains("deduct.linked.seriousDishonesty"))
    }

    // MARK: - Abnormal list → serious list (item 4)

    @Test func aRolledOverSeriousListingOutlivesTheAbnormalEntryWithItsOwnMinimumAndPeriod() throws {
        // 企业信息公示暂行条例 Art. 17: still on the abnormal list after 3 years → the serious list;
        // SAMR Order 44: early removal after at least one year on that list, removal after three.
        // The audited code ended the serious listing with the abnormal exit and let it be removed
        // early at any time.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-AB-7", list: "abnormalOperation", on: "2020-07-01"),
            Status.delisted("L-AB-7", reason: "performed", on: "2023-09-01"),
        ])
        let afterDuty = try ledger.listings("L-AB-7", asOf: "2023-09-01")
        #expect(afterDuty.map(\.list) == [.abnormalOperation, .seriousDishonesty])
        #expect(!afterDuty[0].isActive && afterDuty[0].ended == date("2023-09-01"))
        #expect(afterDuty[1].isActive && afterDuty[1].onListSince == date("2023-07-01") && afterDuty[1].plannedExpiry == date("2026-07-01"))

        let early = try #require(Status.refusal(appending: [Status.delisted("L-AB-7", reason: "earlyRemoval", on: "2024-03-01")], to: ledger))
        #expect(early.kind == .earlyRemovalTooSoon && early.reason.contains("from 2024-07-01 (listed on 2023-07-01)"))
        try ledger.append([Status.delisted("L-AB-7", reason: "earlyRemoval", on: "2024-07-01")])
        let removed = try ledger.listings("L-AB-7", asOf: "2024-07-01")
        #expect(removed.last?.list == .seriousDishonesty && removed.last?.isActive == false && removed.last?.ended == date("2024-07-01"))
    }

    // MARK: - One truth for 告知承诺 (item 7)

    @Test func theCreditReportsNotificationAndCommitmentLineIsTheMatchersAnswer() throws {
        // Shanghai Art. 30(1), Henan Art. 32(1): dishonest subjects do not use 告知承诺. The audited
        // report printed "allowed" for a subject on the serious-dishonesty list while the matcher
        // applied M-NO-NOTIFICATION-COMMITMENT.
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.registered(), Status.listed("L-SD-8", list: "seriousDishonesty", on: "2023-03-01")])
        #expect(try ledger.measureIDs(scene: .licensing, asOf: "2023-06-01").contains("M-NO-NOTIFICATION-COMMITMENT"))
        let report = try ledger.creditReport(for: subject(Status.company), asOf: date("2023-06-01"))
        #expect(!report.notificationAndCommitment.isAllowed)
        #expect(report.notificationAndCommitment.reasons.first?.hasPrefix("M-NO-NOTIFICATION-COMMITMENT: onList L-SD-8 since 2023-03-01") == true)
        let document = try ledger.subjectDocument(of: subject(Status.company), asOf: date("2023-06-01"))
        #expect(document.report.notificationAndCommitment == report.notificationAndCommitment)
        #expect(try ledger.creditReport(for: subject(Status.company), asOf: date("2023-02-28")).notificationAndCommitment.isAllowed)
    }

    // MARK: - Repairability by channel and regime (item 8)

    @Test func samrsNoEarlyStopKindsBindMarketRegulationsDecisionsOnly() throws {
        // SAMR Order 45 Art. 14(3): no early stop for suspensions (market regulation's channel).
        // On the 信用中国 channel Order 58 (from 2023-05-01) lets a serious penalty be repaired after
        // its minimum period. The audited code refused the repair whatever the department.
        let ledger = try Status.ledger(directory)
        let suspension = #"["fine","suspension"]"#
        try ledger.append([
            Status.penalty("沪市监嘉处〔2023〕31号", on: "2023-06-01", kinds: suspension, fine: 80000, field: "foodSafety", source: Status.samrSource),
            Status.penalty("嘉应急罚〔2023〕7号", on: "2023-06-01", kinds: suspension, fine: 80000, field: "workSafety", source: "310114-YJJ"),
            Status.performed("沪市监嘉处〔2023〕31号", on: "2023-07-01"),
            Status.performed("嘉应急罚〔2023〕7号", on: "2023-07-01"),
            Status.commitment("C-REP-S", on: "2024-07-01"),
            Status.repairApplied("R-S-1", decision: "沪市监嘉处〔2023〕31号", commitment: "C-REP-S", on: "2024-07-01"),
            Status.repairApplied("R-S-2", decision: "嘉应急罚〔2023〕7号", commitment: "C-REP-S", on: "2024-07-01"),
        ])
        #expect(try ledger.penalty("沪市监嘉处〔2023〕31号", asOf: "2023-06-01")?.instrument == "市场监督管理总局令第45号")
        let refusal = try #require(Status.refusal(appending: [Status.repairDecided("R-S-1", on: "2024-07-05")], to: ledger))
        #expect(refusal.kind == .repairNotAllowed && refusal.reason.contains("suspension cannot be repaired under 市场监督管理总局令第45号"))
        try ledger.append([Status.repairDecided("R-S-2", on: "2024-07-05")])
        #expect(try ledger.penalty("嘉应急罚〔2023〕7号", asOf: "2024-07-05")?.status == .repaired)
    }

    @Test func the2019RegimesSpecificSeriousConductIsNotRepairableInItsFields() throws {
        // 发改办财金〔2019〕527号 特定严重失信行为: 责令停产停业 in work safety is shown for the full
        // three years; the same penalty in transport may be repaired after six months.
        let ledger = try Status.ledger(directory)
        let suspension = #"["fine","suspension"]"#
        try ledger.append([
            Status.penalty("嘉应急罚〔2020〕3号", on: "2020-03-02", kinds: suspension, fine: 60000, field: "workSafety"),
            Status.penalty("嘉交罚〔2020〕4号", on: "2020-03-02", kinds: suspension, fine: 60000, field: "transport"),
            Status.performed("嘉应急罚〔2020〕3号", on: "2020-04-01"),
            Status.performed("嘉交罚〔2020〕4号", on: "2020-04-01"),
            Status.commitment("C-REP-19", on: "2020-10-12"),
            Status.repairApplied("R-19-1", decision: "嘉应急罚〔2020〕3号", commitment: "C-REP-19", on: "2020-10-12"),
            Status.repairApplied("R-19-2", decision: "嘉交罚〔2020〕4号", commitment: "C-REP-19", on: "2020-10-12"),
        ])
        let refusal = try #require(Status.refusal(appending: [Status.repairDecided("R-19-1", on: "2020-10-20")], to: ledger))
        #expect(refusal.reason.contains("suspension cannot be repaired under 发改办财金〔2019〕527号"))
        try ledger.append([Status.repairDecided("R-19-2", on: "2020-10-20")])
    }

    // MARK: - Retention anchor (item 10)

    @Test func aDistrictMayCountRetentionFromTheEndOfPublicity() throws {
        // The anchor is a regime parameter: by default the finding (Zhejiang Art. 16); a district
        // whose rule counts from the end of publicity says so in its file.
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.penalty("嘉市监处〔2019〕89号", on: "2019-08-01")])
        let district = #"{"regimes":[{"from":"2019-07-01","dishonestyRetentionFrom":"publicityEnded"}]}"#
        let context = ViewContext(rules: try RuleBook.national(districtOverrides: [Data(district.utf8)]), calendar: ledger.context.calendar)
        let archived = { (context: ViewContext) in
            try ledger.withView(PenaltyPublicity.self) { $0.penalty(DecisionNo(unchecked: "嘉市监处〔2019〕89号"), of: subject(Status.company), asOf: date("2024-09-01"), context: context)?.archivedFrom }
        }
        #expect(try archived(ledger.context) == date("2024-08-01"))
        #expect(try archived(context) == date("2025-08-01"))
    }

    // MARK: - Minors (item 11)

    @Test func aPenaltyOnAPersonUnderFourteenIsRefusedAndOneUnderEighteenIsNotPublished() throws {
        // 行政处罚法 (2021) Art. 30: 不满十四周岁的未成年人有违法行为的，不予行政处罚; from 14 to 18
        // the penalty is lighter. Seed 003: 对未成年人失信行为…应宽容审慎进行认定、记录和惩戒.
        // Refused at append, so an import refuses it too; a log written before the rule still reads.
        let ledger = try Status.ledger(directory)
        let child = Status.penalty(Status.child, "嘉公罚〔2024〕1号", on: "2024-03-14", fine: 200, severity: "general")
        let refusal = try #require(Status.refusal(appending: [child], to: ledger))
        #expect(refusal.kind == .invalid(.invalidValue) && refusal.field == "subject")
        #expect(refusal.reason.contains("under 14") && refusal.reason.contains("the subject is 13 on 2024-03-14"))

        try ledger.append([Status.penalty(Status.child, "嘉公罚〔2024〕2号", on: "2024-03-15", fine: 200, severity: "general")])
        let status = try #require(try ledger.penalty("嘉公罚〔2024〕2号", of: Status.child, asOf: "2024-04-01"))
        #expect(status.status == .active && !status.isPublic && status.whyNotPublic?.contains("under 18") == true)
    }
}

/// The rules a channel sets judge its own sources' facts everywhere: the reporting deadline, the
/// grace period of a listing, the repair commitment (issue 14's item 8 carried to every rule).
extension RegulationRulesTests {
    @Test func aChannelsOwnDeadlineJudgesTheTimelinessOfItsSourcesOnly() throws {
        let ledger = try Status.ledger(directory)
        // Decided on Wednesday 2023-09-27, both reported on 2023-10-20: late by the national seven
        // working days; the district gives the market-regulation channel thirty.
        let body = #"{"decisionNo":"D-CH-%","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"tax","legalBasis":"《税收征收管理法》"}"#
        try ledger.append([
            Status.fact("penalty.decided", Status.company, on: "2023-09-27", body.replacingOccurrences(of: "%", with: "1"),
                        source: "310114-SCJG", reported: "2023-10-20T09:00:00+08:00"),
            Status.fact("penalty.decided", Status.otherCompany, on: "2023-09-27", body.replacingOccurrences(of: "%", with: "2"),
                        source: "310114-SWJ", reported: "2023-10-20T09:00:00+08:00"),
        ])
        let district = #"{"channels":{"samrPublicity":{"regimes":[{"from":"2021-09-01","publicationDeadlineWorkingDays":30}]}}}"#
        let context = ViewContext(rules: try RuleBook.national(districtOverrides: [Data(district.utf8)]), calendar: ledger.context.calendar)
        let national = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2023-12-31"), context: ledger.context) }
        #expect(national.map(\.late) == [1, 1])
        let report = try ledger.withView(DataQuality.self) { $0.report(asOf: date("2023-12-31"), context: context) }
        #expect(report.map(\.source.text) == ["310114-SCJG", "310114-SWJ"])
        #expect(report.map(\.onTime) == [1, 0] && report.map(\.late) == [0, 1])
    }
}

/// SAMR Order 45 Art. 13: 仅受到通报批评或者较低数额罚款的, 公示期满三个月停止公示.
extension RegulationRulesTests {
    @Test func marketRegulationPublishesACriticismOnlyDecisionForThreeMonthsAndTheNationalChannelNotAtAll() throws {
        let ledger = try Status.ledger(directory)
        let criticism = #"["criticism"]"#
        try ledger.append([
            Status.penalty(Status.company, "嘉市监处〔2023〕13号", on: "2023-03-01", kinds: criticism, fine: nil, source: Status.samrSource),
            Status.penalty(Status.otherCompany, "嘉发改罚〔2023〕13号", on: "2023-03-01", kinds: criticism, fine: nil),
            Status.penalty(Status.company, "嘉市监简〔2023〕14号", on: "2023-03-02", kinds: criticism, fine: nil, procedure: "summary",
                           source: Status.samrSource),
            Status.penalty(Status.company, "嘉市监处〔2023〕15号", on: "2023-03-03", fine: 20000, field: "tax", source: Status.samrSource),
        ])
        let samr = try #require(try ledger.penalty("嘉市监处〔2023〕13号", asOf: "2023-04-01"))
        #expect(samr.isPublic && samr.publicityEnd == date("2023-06-01") && samr.repairEligibleFrom == date("2023-06-01"))
        let ended = try #require(try ledger.penalty("嘉市监处〔2023〕13号", asOf: "2023-06-01"))
        #expect(ended.status == .expired && !ended.isPublic)
        // The same decision by a department of the national channel: a minor penalty, not published.
        let national = try #require(try ledger.penalty("嘉发改罚〔2023〕13号", of: Status.otherCompany, asOf: "2023-04-01"))
        #expect(!national.isPublic && national.publicityEnd == nil)
        // Decided under the summary procedure: not published by market regulation either (Art. 2).
        #expect(try ledger.penalty("嘉市监简〔2023〕14号", asOf: "2023-04-01")?.isPublic == false)
        // A fine is light only below the province's figure (较低数额罚款), which the bundled rules
        // leave to the district: without it the fine is published for three years.
        #expect(try ledger.penalty("嘉市监处〔2023〕15号", asOf: "2025-03-01")?.isPublic == true)
        let district = #"{"channels":{"samrPublicity":{"regimes":[{"from":"2021-09-01","penaltyPublicity":{"shortPublicity":{"fineUpToYuan":30000}}}]}}}"#
        let context = ViewContext(rules: try RuleBook.national(districtOverrides: [Data(district.utf8)]), calendar: ledger.context.calendar)
        let light = try ledger.withView(PenaltyPublicity.self) {
            $0.penalty(DecisionNo(unchecked: "嘉市监处〔2023〕15号"), of: subject(Status.company), asOf: date("2023-04-01"), context: context)
        }
        #expect(light?.isPublic == true && light?.publicityEnd == date("2023-06-03"))
    }
}
