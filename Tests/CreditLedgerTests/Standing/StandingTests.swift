import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// A subject's standing: each record judged once on a date, as every judge (grade, measures,
/// penetration, report) then reads it.
@Suite struct StandingTests {
    let directory = TemporaryDirectory()

    static let company = Status.company
    static let otherCompany = Status.otherCompany
    static let legalRep = Codes.person(411, born: "19700101")
    static let debtor = Codes.person(412, born: "19780510")

    /// A serious penalty of 2022-01-10, performed, repaired by approval on 2022-08-10; a false
    /// commitment breached on 2022-04-01 in between, repaired by its own repair on 2022-08-10.
    static let throughRepair: [Fact] = [
        Measures.registered(),
        Measures.penalty("D-SP-9", on: "2022-01-10", severity: "serious"),
        Status.performed("D-SP-9", on: "2022-02-01"),
        Status.commitment("C-AS-9", kind: "approvalSubstitution", on: "2022-03-01"),
        Measures.breached("C-AS-9", breach: "false", on: "2022-04-01"),
        Status.commitment("C-REP-9", on: "2022-08-01"),
        Status.repairApplied("R-9", decision: "D-SP-9", commitment: "C-REP-9", on: "2022-08-01"),
        Status.repairDecided("R-9", on: "2022-08-10"),
        Status.repairApplied("R-9C", commitment: "C-REP-9", on: "2022-08-01", target: "C-AS-9"),
        Status.repairDecided("R-9C", on: "2022-08-10"),
    ]

    @Test func anApprovedRepairEndsPublicityAndRepairsTheEarlierBreachFromTheDecisionDate() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.throughRepair)
        let company = subject(Self.company)

        let before = try ledger.standing(of: company, asOf: date("2022-08-09"))
        let penalty = try #require(before.penalties.first)
        #expect(penalty.status.status == .active && penalty.status.isPublic)
        let breach = try #require(before.commitments.first { $0.record.commitmentNo.text == "C-AS-9" })
        #expect(breach.status.status == .breached && breach.repaired == nil)
        #expect(!before.notificationAndCommitment.isAllowed)
        #expect(before.repairs.map(\.repairNo.text) == ["R-9", "R-9C"])
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2022-08-09") == ["M-PROCUREMENT-BAR"])

        let after = try ledger.standing(of: company, asOf: date("2022-08-10"))
        #expect(after.penalties.first?.status.status == .repaired && after.penalties.first?.status.isPublic == false)
        #expect(after.commitments.first { $0.record.commitmentNo.text == "C-AS-9" }?.repaired == date("2022-08-10"))
        #expect(after.notificationAndCommitment.isAllowed)
        #expect(try ledger.measureIDs(scene: .procurement, asOf: "2022-08-10") == [], "the match reads the same standing")
        #expect(try ledger.creditReport(for: company, asOf: date("2022-08-10")).publicPenalties.isEmpty)
    }

    @Test func aListingInItsGracePeriodStandsActiveButUnpublishedAndTriggersNothingUntilPublication() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Measures.defaulter("(2023)沪0114执9号", of: Self.debtor, on: "2023-03-01", publishFrom: "2023-05-01")])
        let debtor = subject(Self.debtor)

        let grace = try ledger.standing(of: debtor, asOf: date("2023-04-30"))
        let listing = try #require(grace.listings.first)
        #expect(listing.status.isActive && !listing.status.isPublished && listing.status.publishedFrom == date("2023-05-01"))
        let report = try ledger.creditReport(for: debtor, asOf: date("2023-04-30"))
        #expect(report.publishedListings.isEmpty && report.unpublishedListings.first?.why.text.contains("宽限期") == true)
        #expect(try ledger.measures(Self.debtor, scene: .highConsumption, asOf: "2023-04-30").isEmpty)

        let published = try ledger.standing(of: debtor, asOf: date("2023-05-01"))
        #expect(published.listings.first?.status.isPublished == true)
        let match = try #require(try ledger.measures(Self.debtor, scene: .highConsumption, asOf: "2023-05-01").first)
        #expect(match.trigger.since == date("2023-05-01") && match.trigger.recordDate == date("2023-03-01"))
    }

    @Test func aPersonIsReachedThroughEveryOrganisationWhereTheyHeldARoleOrWereNamedAndOnlyThoseKnownAtTheInstant() throws {
        let ledger = try Status.ledger(directory, clock: SteppingClock())
        try ledger.append([
            Measures.registered(), Measures.assigned(Self.legalRep, on: "2019-01-10"),
            PenetrationTests.penalty("嘉市监处〔2022〕41号", on: "2022-03-01"),
        ])
        let onlyFirst = try ledger.head.lastRecordedTime!
        try ledger.append([
            Measures.registered(Self.otherCompany),
            PenetrationTests.penalty("嘉市监处〔2022〕42号", of: Self.otherCompany, on: "2022-06-01", responsible: [Self.legalRep]),
        ])
        let person = subject(Self.legalRep)

        let standing = try ledger.standing(of: person, asOf: date("2022-09-01"))
        #expect(standing.organisations.map(\.subject) == [subject(Self.company), subject(Self.otherCompany)].sorted())
        let links = standing.links.map { "\($0.record.organisation) \($0.record.ref) \($0.role.rawValue) \($0.basis.rawValue)" }
        #expect(Set(links) == [
            "\(Self.company) 嘉市监处〔2022〕41号 legalRepresentative roleOnEffectiveDate",
            "\(Self.otherCompany) 嘉市监处〔2022〕42号 directlyResponsible namedResponsible",
        ])
        #expect(standing.links == standing.links.sorted())

        let then = try ledger.standing(of: person, asOf: date("2022-09-01"), knownAt: onlyFirst)
        #expect(then.organisations.map(\.subject) == [subject(Self.company)], "the other decision was not known yet")
        #expect(then.links.map(\.record.ref) == ["嘉市监处〔2022〕41号"])
    }

    @Test func aStatusViewTheLedgerDoesNotRunIsAnErrorNotAnEmptyStanding() throws {
        var configuration = LedgerConfiguration()
        configuration.views = [SubjectRegistry.self, PenaltyPublicity.self]
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
        defer { try? ledger.close() }
        #expect(throws: LedgerError.self) { try ledger.standing(of: subject(Self.company), asOf: date("2022-01-01")) }
        #expect(throws: LedgerError.self) { try ledger.grade(of: subject(Self.company), asOf: date("2022-01-01")) }
    }
}
