import Testing
@testable import CreditFacts

/// The binary codes of every vocabulary, as stored records and snapshots use them. This table is the
/// record of what stored codes mean: add an entry for a new case, never change or remove one.
let frozenVocabularyCodes: [FrozenCodes] = [
    FrozenCodes(FactType.self, [
        "subject.registered": 0, "subject.deregistered": 1, "role.assigned": 2, "role.ended": 3,
        "licence.granted": 4, "penalty.decided": 5, "penalty.performed": 6, "penalty.revoked": 7,
        "act.recorded": 8, "commitment.made": 9, "commitment.fulfilled": 10, "commitment.breached": 11,
        "list.entered": 12, "list.exited": 13, "repair.applied": 14, "repair.decided": 15,
        "objection.raised": 16, "objection.resolved": 17, "honour.granted": 18, "contract.performance": 19,
        "evaluation.published": 20, "measure.applied": 21, "repair.accepted": 22, "objection.accepted": 23,
    ]),
    FrozenCodes(SubjectKind.self, [
        "enterprise": 0, "individualBusiness": 1, "farmerCooperative": 2, "socialOrganisation": 3,
        "publicInstitution": 4, "governmentBody": 5, "naturalPerson": 6,
    ]),
    FrozenCodes(Role.self, [
        "legalRepresentative": 0, "principal": 1, "actualController": 2, "directlyResponsible": 3,
        "safetyHead": 4, "director": 5, "supervisor": 6, "seniorManager": 7, "shareholder": 8,
    ]),
    FrozenCodes(PenaltyKind.self, [
        "warning": 0, "criticism": 1, "fine": 2, "confiscation": 3, "qualificationDowngrade": 4,
        "licenceRevoked": 5, "businessLicenceRevoked": 6, "businessRestricted": 7, "suspension": 8,
        "closure": 9, "occupationBan": 10, "detention": 11,
    ]),
    FrozenCodes(Procedure.self, [
        "summary": 0, "ordinary": 1,
    ]),
    FrozenCodes(Severity.self, [
        "minor": 0, "general": 1, "serious": 2,
    ]),
    FrozenCodes(RegulatoryField.self, [
        "foodSafety": 0, "drugs": 1, "specialEquipment": 2, "workSafety": 3, "fireSafety": 4, "environment": 5,
        "tax": 6, "construction": 7, "transport": 8, "other": 9,
    ]),
    FrozenCodes(RevocationReason.self, [
        "reconsideration": 0, "litigation": 1, "selfCorrection": 2, "objection": 3,
    ]),
    FrozenCodes(AdministrativeAct.self, [
        "compulsion": 0, "confirmation": 1, "levy": 2, "benefit": 3, "ruling": 4, "compensation": 5,
        "reward": 6, "inspection": 7,
    ]),
    FrozenCodes(CommitmentKind.self, [
        "approvalSubstitution": 0, "missingDocuments": 1, "certification": 2, "voluntary": 3,
        "industrySelfDiscipline": 4, "repair": 5,
    ]),
    FrozenCodes(BreachKind.self, [
        "late": 0, "false": 1, "violated": 2,
    ]),
    FrozenCodes(ListKind.self, [
        "seriousDishonesty": 0, "abnormalOperation": 1, "judgmentDefaulter": 2, "keyAttention": 3, "red": 4,
        "financingWhitelist": 5,
    ]),
    FrozenCodes(ListExitReason.self, [
        "expired": 0, "repaired": 1, "performed": 2, "revoked": 3, "courtDeleted": 4, "earlyRemoval": 5,
    ]),
    FrozenCodes(RepairOutcome.self, [
        "approved": 0, "rejected": 1,
    ]),
    FrozenCodes(ObjectionOutcome.self, [
        "upheld": 0, "corrected": 1, "withdrawn": 2,
    ]),
    FrozenCodes(HonourLevel.self, [
        "national": 0, "provincial": 1, "municipal": 2, "district": 3,
    ]),
    FrozenCodes(ContractOutcome.self, [
        "performed": 0, "defaulted": 1,
    ]),
    FrozenCodes(MeasureScene.self, [
        "procurement": 0, "bidding": 1, "fiscalSupport": 2, "landSupply": 3, "licensing": 4, "honours": 5,
        "highConsumption": 6, "publicOffice": 7, "marketEntry": 8, "inspection": 9, "financing": 10,
        "other": 11,
    ]),
    FrozenCodes(MeasureOutcome.self, [
        "applied": 0, "notApplicable": 1, "waived": 2,
    ]),
]

/// One vocabulary's frozen codes, checked against today's enum.
struct FrozenCodes: Sendable {
    let name: String
    /// Today's cases: spelling and code.
    let today: [(spelling: String, code: UInt8)]
    /// The frozen codes by spelling.
    let frozen: [String: UInt8]

    init<Word: FactVocabulary>(_ type: Word.Type, _ frozen: [String: UInt8]) {
        name = "\(type)"
        today = type.allCases.map { ($0.rawValue, $0.code) }
        self.frozen = frozen
    }
}

/// Codes are frozen: a case keeps its code, a removed case's code is never given to another, and a
/// new case takes a code no case ever had. Severities are ordered by gravity, not by code.
@Suite struct FrozenCodeTests {
    @Test(arguments: frozenVocabularyCodes.map { $0.name })
    func everyFrozenCaseKeepsItsCode(_ name: String) throws {
        let codes = try #require(frozenVocabularyCodes.first { $0.name == name })
        for (spelling, code) in codes.frozen.sorted(by: { $0.value < $1.value }) {
            let now = codes.today.first { $0.spelling == spelling }
            #expect(now != nil, "\(name).\(spelling) (code \(code)) was removed: stored records still name it")
            #expect(now?.code == code, "\(name).\(spelling) was renumbered from \(code)")
        }
    }

    @Test(arguments: frozenVocabularyCodes.map { $0.name })
    func newCasesTakeCodesNoCaseEverHad(_ name: String) throws {
        let codes = try #require(frozenVocabularyCodes.first { $0.name == name })
        #expect(Set(codes.today.map(\.code)).count == codes.today.count, "\(name) uses a code twice")
        for (spelling, code) in codes.today where codes.frozen[spelling] == nil {
            #expect(!codes.frozen.values.contains(code), "\(name).\(spelling) reuses code \(code)")
        }
    }

    @Test func penaltyKindCodesFitTheKindSetBits() {
        #expect(PenaltyKind.allCases.allSatisfy { $0.code < 16 })
    }

    @Test func severitiesAreOrderedByGravity() {
        #expect(Severity.minor < .general && Severity.general < .serious)
        #expect(Severity.allCases.sorted() == [.minor, .general, .serious])
        #expect(Severity.allCases.map(\.rank) == [0, 1, 2])
    }
}
