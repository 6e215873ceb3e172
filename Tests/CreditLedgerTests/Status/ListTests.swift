import CreditFacts
import Testing
import LedgerStorage
@testable import CreditLedger

/// Lists (名单): periods, grace periods, rollover and the red/black cross-check.
@Suite struct ListTests {
    let directory = TemporaryDirectory()

    @Test func seriousDishonestyListingExpiresAfterThreeYears() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-SD-1", list: "seriousDishonesty", on: "2022-03-15")])
        let during = try #require(try ledger.listing("L-SD-1", asOf: "2025-03-14"))
        #expect(during.isActive && during.isPublished && during.plannedExpiry == date("2025-03-15"))
        #expect(try ledger.listing("L-SD-1", asOf: "2025-03-15")?.isActive == false)
    }

    @Test func judgmentDefaulterIsNotPublishedBeforeTheGracePeriodEnds() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed(Status.adult, "L-JD-1", list: "judgmentDefaulter", on: "2023-03-01", publishFrom: "2023-05-01")])
        let grace = try #require(try ledger.listing("L-JD-1", of: Status.adult, asOf: "2023-04-30"))
        #expect(grace.isActive && !grace.isPublished && grace.plannedExpiry == date("2025-03-01"))
        #expect(try ledger.listing("L-JD-1", of: Status.adult, asOf: "2023-05-01")?.isPublished == true)
    }

    @Test func abnormalOperationStillOpenAfterThreeYearsRollsIntoSeriousDishonesty() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-AB-1", list: "abnormalOperation", on: "2020-07-01")])
        #expect(try ledger.listing("L-AB-1", asOf: "2023-06-30")?.list == .abnormalOperation)
        let rolled = try #require(try ledger.listing("L-AB-1", asOf: "2023-07-01"))
        #expect(rolled.list == .seriousDishonesty && rolled.rolledOver == date("2023-07-01"))
        #expect(rolled.plannedExpiry == date("2026-07-01") && rolled.isPublished)
    }

    @Test func abnormalOperationExitedBeforeThreeYearsDoesNotRollOver() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-AB-2", list: "abnormalOperation", on: "2020-07-01"),
            Status.delisted("L-AB-2", reason: "performed", on: "2021-02-01"),
        ])
        let status = try #require(try ledger.listing("L-AB-2", asOf: "2024-01-01"))
        #expect(status.list == .abnormalOperation && !status.isActive && status.ended == date("2021-02-01"))
    }

    @Test func redListEntryForASubjectOnADishonestyListIsRefused() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-SD-2", list: "seriousDishonesty", on: "2023-01-10")])
        let refusal = try #require(Status.refusal(appending: [Status.listed("L-RED-1", list: "red", on: "2023-06-01")], to: ledger))
        #expect(refusal.kind == .redListConflict && refusal.field == "body.list")
        #expect(refusal.reason.contains("seriousDishonesty list (L-SD-2, since 2023-01-10) on 2023-06-01"))
        // After the listing ends the subject may be put on the red list.
        try ledger.append([Status.listed("L-RED-2", list: "red", on: "2026-02-01")])
    }

    @Test func redListEntryAfterABlackListEntryInTheSameAppendIsRefused() throws {
        let ledger = try Status.ledger(directory)
        let refusal = try #require(Status.refusal(appending: [
            Status.listed("L-SD-3", list: "seriousDishonesty", on: "2023-01-10"),
            Status.listed("L-RED-3", list: "red", on: "2023-06-01"),
        ], to: ledger))
        #expect(refusal.index == 1 && refusal.kind == .redListConflict)
        #expect(try ledger.head.recordCount == 0, "nothing of the refused append is recorded")
    }

    @Test func anAllOrNothingImportJudgesEachFactAfterTheFactsBeforeItInTheFile() throws {
        let ledger = try Status.ledger(directory)
        let facts = [
            Status.registered(Status.company, name: "上海嘉定示范食品有限公司", on: "2020-01-01"),
            Status.listed("L-SD-4", list: "seriousDishonesty", on: "2023-01-10"),
            Status.listed("L-RED-4", list: "red", on: "2023-06-01"),
        ]
        // Batches of one fact: the conflicting pair lies in different batches of the import.
        var options = ImportOptions(mode: .allOrNothing)
        options.batchSize = 1
        let lines = facts.map { FactJSONCodec.encode($0) }.joined(separator: "\n")
        let summary = try ledger.importFacts(from: .bytes(Array(lines.utf8), name: "facts.jsonl"), options: options)
        #expect(summary.refused.map(\.line) == [3] && summary.refused.first?.kind == "redListConflict")
        #expect(try summary.appended == 0 && ledger.head.recordCount == 0, "the validation pass refused the file before any batch was appended")
    }

    @Test func earlyRemovalIsJudgedAgainstAnEntryMadeEarlierInTheSameAppend() throws {
        let ledger = try Status.ledger(directory)
        let refusal = try #require(Status.refusal(appending: [
            Status.listed("L-SD-5", list: "seriousDishonesty", on: "2023-01-10"),
            Status.delisted("L-SD-5", reason: "earlyRemoval", on: "2023-06-01"),
        ], to: ledger))
        #expect(refusal.index == 1 && refusal.kind == .earlyRemovalTooSoon)
    }

    @Test func minorIsNeverPutOnTheJudgmentDefaulterList() throws {
        // The interchange reader already refuses such a line; a fact built in code reaches the
        // ledger, whose validation refuses it the same way.
        let ledger = try Status.ledger(directory)
        var listing = Status.listed(Status.adult, "L-JD-2", list: "judgmentDefaulter", on: "2023-06-01")
        listing.subject = subject(Status.child)
        let refusal = try #require(Status.refusal(appending: [listing], to: ledger))
        #expect(refusal.kind == .invalid(.invalidValue) && refusal.field == "body.list")
        #expect(refusal.reason.contains("minors are never put on the judgment-defaulter list"))
    }

    @Test func earlyRemovalFromTheSeriousListBeforeOneYearIsRefused() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-SD-3", list: "seriousDishonesty", on: "2023-01-10")])
        let refusal = try #require(Status.refusal(appending: [Status.delisted("L-SD-3", reason: "earlyRemoval", on: "2023-10-10")], to: ledger))
        #expect(refusal.kind == .earlyRemovalTooSoon && refusal.field == "body.reason")
        #expect(refusal.reason.contains("from 2024-01-10 (listed on 2023-01-10)"))
        try ledger.append([Status.delisted("L-SD-3", reason: "earlyRemoval", on: "2024-01-10")])
        #expect(try ledger.listing("L-SD-3", asOf: "2024-01-10")?.isActive == false)
    }

    @Test func everyExitFromTheSeriousListBeforeOneYearIsAnEarlyRemovalWhateverItsReason() throws {
        // SAMR Order 44 (市场监督管理严重违法失信名单管理办法): removal before one year on the list is
        // early removal, whatever the exit calls itself. The audited case: listed 2023-03-01, an exit
        // "performed" one month later was accepted.
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-SD-44", list: "seriousDishonesty", on: "2023-03-01")])
        for reason in ["performed", "repaired", "expired", "courtDeleted", "earlyRemoval"] {
            let refusal = try #require(Status.refusal(appending: [Status.delisted("L-SD-44", reason: reason, on: "2023-04-01")], to: ledger))
            #expect(refusal.kind == .earlyRemovalTooSoon && refusal.field == "body.reason")
            #expect(refusal.reason.contains("(reason \(reason)) on 2023-04-01 is an early removal"))
            #expect(refusal.reason.contains("minimum period of P1Y") && refusal.reason.contains("SAMR Order 44"))
        }
        #expect(try ledger.listing("L-SD-44", asOf: "2023-04-01")?.isActive == true)
        // After the minimum the same exit is accepted.
        try ledger.append([Status.delisted("L-SD-44", reason: "performed", on: "2024-03-01")])
        #expect(try ledger.listing("L-SD-44", asOf: "2024-03-01")?.isActive == false)
    }

    @Test func aRevokedSeriousListingLeavesTheListBeforeOneYear() throws {
        // Our reading of SAMR Order 44: a listing decision revoked (reconsideration, litigation, the
        // authority's own correction) never stood, so no minimum period holds it on the list.
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-SD-45", list: "seriousDishonesty", on: "2023-03-01"),
            Status.delisted("L-SD-45", reason: "revoked", on: "2023-04-01"),
        ])
        #expect(try ledger.listing("L-SD-45", asOf: "2023-04-01")?.isActive == false)
    }

    @Test func aJudgmentDefaultersGracePeriodIsOneToThreeMonths() throws {
        // 法发〔2019〕35号 item 17: courts may give 1–3 months (宽限期) before publishing a listing;
        // the rule file's gracePeriodMinimum/gracePeriodMaximum. The audited case: a 12-month grace
        // period was accepted.
        let ledger = try Status.ledger(directory)
        let tooLong = Status.listed("L-JD-12", list: "judgmentDefaulter", on: "2024-03-01", publishFrom: "2025-03-01")
        let refusal = try #require(Status.refusal(appending: [tooLong], to: ledger))
        #expect(refusal.kind == .gracePeriodOutOfRange && refusal.field == "body.publishFrom")
        #expect(refusal.reason.contains("publishFrom must be between 2024-04-01 and 2024-06-01"))
        let tooShort = Status.listed("L-JD-0", list: "judgmentDefaulter", on: "2024-03-01", publishFrom: "2024-03-10")
        #expect(try #require(Status.refusal(appending: [tooShort], to: ledger)).kind == .gracePeriodOutOfRange)
        try ledger.append([
            Status.listed("L-JD-3", list: "judgmentDefaulter", on: "2024-03-01", publishFrom: "2024-06-01"),
            Status.listed("L-JD-N", list: "judgmentDefaulter", on: "2024-03-01"),
        ])
    }

    @Test func approvedListRepairEndsTheListingAndEarlyRepairIsRefused() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-SD-4", list: "seriousDishonesty", on: "2023-01-10"),
            Status.commitment("C-REP-L", on: "2023-05-01"),
            Status.repairApplied("R-L-1", list: "L-SD-4", commitment: "C-REP-L", on: "2023-05-01"),
            Status.repairApplied("R-L-2", list: "L-SD-4", commitment: "C-REP-L", on: "2024-02-01"),
        ])
        let refusal = try #require(Status.refusal(appending: [Status.repairDecided("R-L-1", on: "2023-05-10")], to: ledger))
        #expect(refusal.kind == .repairNotAllowed && refusal.field == "body.outcome")
        #expect(refusal.reason.contains("early removal from the serious-dishonesty list is possible from 2024-01-10"))
        try ledger.append([Status.repairDecided("R-L-2", on: "2024-02-05")])
        let status = try #require(try ledger.listing("L-SD-4", asOf: "2024-02-05"))
        #expect(!status.isActive && status.endReason == "repaired (信用修复) on 2024-02-05")
    }

    @Test func objectionResolvedAsCorrectedTakesTheEntryOffTheList() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-KA-1", list: "keyAttention", on: "2023-01-10"),
            Status.objection("O-L-1", target: #"{"listNo":"L-KA-1"}"#, on: "2023-02-01"),
        ])
        #expect(try ledger.listing("L-KA-1", asOf: "2023-02-02")?.disputed == true)
        try ledger.append([Status.resolved("O-L-1", outcome: "corrected", on: "2023-03-01")])
        let status = try #require(try ledger.listing("L-KA-1", asOf: "2023-03-01"))
        #expect(!status.isActive && !status.disputed && status.endReason == "corrected on objection on 2023-03-01")
    }
}

/// Dishonesty information stays queryable for the retention period (5 years, Shanghai Art. and
/// Zhejiang) after it ends, then is archived from the views — never deleted from the log.
@Suite struct RetentionTests {
    let directory = TemporaryDirectory()

    @Test func anExpiredPenaltyIsArchivedFiveYearsAfterItsPublicityEnded() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.penalty("嘉市监处〔2019〕88号", on: "2019-08-01")])
        let expired = try #require(try ledger.penalty("嘉市监处〔2019〕88号", asOf: "2025-07-31"))
        #expect(expired.status == .expired && expired.publicityEnd == date("2020-08-01") && expired.archivedFrom == date("2025-08-01"))
        let listed = { (day: String) in
            try ledger.withView(PenaltyPublicity.self) { $0.penalties(of: subject(Status.company), asOf: date(day), context: ledger.context) }
        }
        #expect(try listed("2025-07-31").count == 1)
        #expect(try listed("2025-08-01").isEmpty, "archived from the view")
        #expect(try ledger.fact(at: Position(0)).fact.subject == subject(Status.company), "the log still holds the fact")
    }

    @Test func aListEntryIsArchivedFiveYearsAfterItLeftTheList() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed("L-AB-9", list: "abnormalOperation", on: "2019-03-01"),
            Status.delisted("L-AB-9", reason: "performed", on: "2019-09-02"),
            Status.listed("L-SD-9", list: "seriousDishonesty", on: "2019-03-01", plannedExit: "2030-01-01"),
        ])
        let numbers = { (day: String) in
            try ledger.withView(ListRegister.self) { $0.entries(of: subject(Status.company), asOf: date(day), context: ledger.context).map(\.listNo.text) }
        }
        #expect(try numbers("2024-09-01") == ["L-AB-9", "L-SD-9"])
        #expect(try numbers("2024-09-02") == ["L-SD-9"], "an entry still on the list is never archived")
    }
}
