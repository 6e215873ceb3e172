import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// Penetration (穿透式监管): an organisation's dishonesty records linked to the persons responsible.
@Suite struct PenetrationTests {
    let directory = TemporaryDirectory()

    static let company = Status.company
    static let otherCompany = Status.otherCompany
    static let formerLR = Codes.person(201)
    static let newLR = Codes.person(202)
    static let principal = Codes.person(203)
    static let controller = Codes.person(204)
    static let named = Codes.person(205)

    static func assigned(_ person: String, _ role: String = "legalRepresentative", in organisation: String = company, on date: String) -> Fact {
        Facts.role("assigned", organisation, person: person, role: role, on: date)
    }

    static func ended(_ person: String, _ role: String = "legalRepresentative", in organisation: String = company, on date: String) -> Fact {
        Facts.role("ended", organisation, person: person, role: role, on: date)
    }

    /// A general penalty naming `responsible` persons as directly responsible.
    static func penalty(_ number: String, of organisation: String = company, on date: String, responsible: [String] = [],
                        severity: String = "general", field: String = "foodSafety") -> Fact {
        let named = responsible.isEmpty ? "" : #","directlyResponsible":[\#(responsible.map { "\"\($0)\"" }.joined(separator: ","))]"#
        return Status.fact("penalty.decided", organisation, on: date,
                           #"{"decisionNo":"\#(number)","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"\#(severity)","field":"\#(field)","legalBasis":"《食品安全法》第一百二十四条"\#(named)}"#)
    }

    /// The company with a legal representative who hands over on 2022-05-01.
    static let handover: [Fact] = [
        Status.registered(company, name: "上海嘉定示范食品有限公司", on: "2019-01-10"),
        assigned(formerLR, on: "2019-01-10"),
        ended(formerLR, on: "2022-05-01"),
        assigned(newLR, on: "2022-05-01"),
    ]

    func person(_ code: String) -> CitizenIdentityNumber { try! CitizenIdentityNumber(code) }

    @Test func theLegalRepresentativeOnTheDecisionDateIsLinkedAndALaterOneIsNot() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [Self.penalty("嘉市监处〔2022〕31号", on: "2022-03-01")])
        let records = try ledger.dishonestyRecords(of: subject(Self.company), asOf: date("2022-09-01"))
        #expect(records.count == 1)
        let links = try #require(records.first).links
        #expect(links.map(\.person) == [person(Self.formerLR)])
        #expect(links.first?.role == .legalRepresentative && links.first?.basis == .roleOnEffectiveDate)

        let former = try ledger.personPenetration(of: person(Self.formerLR), asOf: date("2022-09-01"))
        #expect(former.links.map(\.record.ref) == ["嘉市监处〔2022〕31号"])
        #expect(former.roles.isEmpty, "the former LR holds no role after the handover")
        let current = try ledger.personPenetration(of: person(Self.newLR), asOf: date("2022-09-01"))
        #expect(current.links.isEmpty)
        #expect(current.roles.map(\.organisation) == [subject(Self.company)])
    }

    @Test func aRecordMadeOnTheHandoverDayIsLinkedToTheNewHolder() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [Self.penalty("嘉市监处〔2022〕40号", on: "2022-05-01")])
        let links = try ledger.dishonestyRecords(of: subject(Self.company), asOf: date("2022-06-01")).flatMap(\.links)
        #expect(links.map(\.person) == [person(Self.newLR)], "role spells run from the assignment day, exclusive of the end day")
    }

    @Test func severalPersonsInLinkedRolesAndNamedPersonsAreAllLinked() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [
            Self.assigned(Self.principal, "principal", on: "2020-01-01"),
            Self.assigned(Self.controller, "actualController", on: "2020-01-01"),
            Self.assigned(Codes.person(206), "shareholder", on: "2020-01-01"),
            Self.penalty("嘉市监处〔2021〕7号", on: "2021-06-01", responsible: [Self.named]),
        ])
        let links = try #require(try ledger.dishonestyRecords(of: subject(Self.company), asOf: date("2021-07-01")).first).links
        let reached = links.map { "\($0.person):\($0.role.rawValue):\($0.basis.rawValue)" }
        #expect(reached.sorted() == [
            "\(Self.formerLR):legalRepresentative:roleOnEffectiveDate",
            "\(Self.principal):principal:roleOnEffectiveDate",
            "\(Self.controller):actualController:roleOnEffectiveDate",
            "\(Self.named):directlyResponsible:namedResponsible",
        ].sorted(), "a shareholder is not a linked role by default")
        let namedView = try ledger.personPenetration(of: person(Self.named), asOf: date("2021-07-01"))
        #expect(namedView.links.map(\.basis) == [.namedResponsible], "a named person without any role still sees the record")
    }

    @Test func aPersonWithRolesInSeveralOrganisationsSeesTheRecordsOfEach() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [
            Status.registered(Self.otherCompany, name: "上海嘉定第二贸易有限公司", on: "2018-01-01"),
            Self.assigned(Self.formerLR, "principal", in: Self.otherCompany, on: "2018-01-01"),
            Self.penalty("嘉市监处〔2021〕1号", on: "2021-02-01"),
            Status.listed(Self.otherCompany, "L-SD-9", list: "seriousDishonesty", on: "2021-08-01"),
        ])
        let view = try ledger.personPenetration(of: person(Self.formerLR), asOf: date("2021-09-01"))
        #expect(view.links.map(\.record.organisation) == [subject(Self.company), subject(Self.otherCompany)].sorted())
        #expect(Set(view.links.map(\.role)) == [.legalRepresentative, .principal])
        #expect(view.roles.count == 2)
    }

    @Test func judgmentDefaulterRestrictionsAlsoReachTheNewLegalRepresentative() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [
            Status.listed(Self.company, "(2022)沪0114执1号", list: "judgmentDefaulter", on: "2022-02-01"),
            Status.listed(Self.company, "L-SD-2", list: "seriousDishonesty", on: "2022-02-01"),
        ])
        let records = try ledger.dishonestyRecords(of: subject(Self.company), asOf: date("2022-06-01"))
        let defaulter = try #require(records.first { $0.record.list == .judgmentDefaulter }).links
        #expect(defaulter.map { "\($0.person):\($0.basis.rawValue)" }.sorted() == [
            "\(Self.formerLR):roleOnEffectiveDate", "\(Self.newLR):currentHolder",
        ].sorted(), "the former LR keeps the link; the new one is reached because the measure binds the role")
        let serious = try #require(records.first { $0.record.list == .seriousDishonesty }).links
        #expect(serious.map(\.person) == [person(Self.formerLR)], "serious-dishonesty links do not move to the new holder")
    }

    @Test func coverageCountsLinkedRecordsAndListsEachDataGapWithItsReason() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [
            Status.registered(Self.otherCompany, name: "上海嘉定第二贸易有限公司", on: "2018-01-01"),
            Self.penalty("嘉市监处〔2022〕31号", on: "2022-03-01"),
            Self.penalty("嘉市监处〔2022〕32号", of: Self.otherCompany, on: "2022-03-02"),
            Self.penalty("嘉市监处〔2022〕33号", of: Self.otherCompany, on: "2022-03-03", responsible: [Self.named]),
            Status.penalty(Status.adult, "嘉市监处〔2022〕34号", on: "2022-03-04"),
        ])
        let coverage = try ledger.penetrationCoverage(asOf: date("2022-06-01"))
        #expect(coverage.records == 3, "a person's own penalty is not an organisation record")
        #expect(coverage.linked == 2)
        #expect(abs(coverage.ratio - 2.0 / 3.0) < 1e-9)
        let gap = try #require(coverage.unlinked.first)
        #expect(coverage.unlinked.count == 1 && gap.record.ref == "嘉市监处〔2022〕32号")
        #expect(gap.reason == "no legal representative, principal, actual controller or directly responsible person known on 2022-03-02 and the decision names no directly responsible person")
    }

    @Test func onlyRecordsInForceNeedALink() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Self.handover + [
            Self.penalty("MINOR-1", on: "2022-03-01", severity: "minor"),
            Self.penalty("GEN-1", on: "2021-01-04"),
            Self.penalty("GEN-2", on: "2022-03-01"),
            Status.revoked(Self.company, "GEN-2", on: "2022-04-01"),
            Status.commitment(Self.company, "C-1", kind: "approvalSubstitution", on: "2022-01-01"),
            Status.fact("commitment.breached", Self.company, on: "2022-02-01", #"{"commitmentNo":"C-1","breach":"false","severity":"general"}"#),
        ])
        let refs = { (day: String) in try ledger.dishonestyRecords(of: subject(Self.company), asOf: date(day)).map(\.record.ref) }
        #expect(try refs("2022-03-15") == ["C-1", "GEN-2"],
                "GEN-1 left publicity after one year; the minor penalty is never a record")
        #expect(try refs("2022-04-01") == ["C-1"], "a revoked penalty stops counting from the revocation date")
        #expect(try refs("2023-02-01") == [], "a breach counts for 12 months")
    }

    @Test func repeatPenaltiesInOneFieldWithinTwoYearsRaiseAWarning() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Self.penalty("P-1", on: "2021-03-01", field: "foodSafety"),
            Self.penalty("P-2", on: "2022-12-01", field: "foodSafety"),
            Self.penalty("P-3", on: "2022-12-05", field: "fireSafety"),
        ])
        let warnings = try ledger.earlyWarnings(of: subject(Self.company), asOf: date("2023-01-01"))
        #expect(warnings.map(\.kind) == [.repeatPenalties])
        #expect(warnings.first?.field == .foodSafety && warnings.first?.refs == ["P-1", "P-2"])
        #expect(try ledger.earlyWarnings(of: subject(Self.company), asOf: date("2023-03-01")).isEmpty, "P-1 is more than 2 years old")
    }

    @Test func contractDefaultsAndOverdueCommitmentsRaiseWarnings() throws {
        let ledger = try Status.ledger(directory)
        let defaulted = { (number: String, day: String) in
            Status.fact("contract.performance", Self.company, on: day, #"{"contractNo":"\#(number)","outcome":"defaulted","amountYuan":120000}"#)
        }
        try ledger.append([
            defaulted("HT-1", "2022-02-01"), defaulted("HT-2", "2022-11-01"),
            Status.commitment(Self.company, "C-9", kind: "approvalSubstitution", on: "2022-06-01", due: "2022-12-31"),
        ])
        let warnings = try ledger.earlyWarnings(of: subject(Self.company), asOf: date("2023-01-15"))
        #expect(warnings.map(\.kind) == [.contractDefaults, .overdueCommitment])
        #expect(warnings.first?.refs == ["HT-1", "HT-2"])
        #expect(try ledger.earlyWarnings(of: subject(Self.company), asOf: date("2022-12-31")).map(\.kind) == [.contractDefaults])
        #expect(try ledger.earlyWarnings(asOf: date("2023-01-15")).count == 2)
    }

    @Test func aPastInstantShowsOnlyTheLinksKnownThen() throws {
        let clock = SteppingClock()
        let ledger = try Status.ledger(directory, clock: clock)
        try ledger.append(Self.handover)
        let before = try ledger.head.lastRecordedTime!
        try ledger.append([Self.penalty("嘉市监处〔2022〕31号", on: "2022-03-01")])
        let then = try ledger.personPenetration(of: person(Self.formerLR), asOf: date("2022-09-01"), knownAt: before)
        #expect(then.links.isEmpty && then.roles.isEmpty == true)
        let now = try ledger.personPenetration(of: person(Self.formerLR), asOf: date("2022-09-01"))
        #expect(now.links.count == 1)
        #expect(try ledger.penetrationCoverage(asOf: date("2022-09-01"), knownAt: before).records == 0)
        #expect(try ledger.penetrationCoverage(asOf: date("2022-09-01")).records == 1)
    }
}
