import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// The measures catalogue (联合奖惩措施清单): data, validated on load — 于法有据, 不得泛化.
@Suite struct MeasureCatalogueTests {
    let directory = TemporaryDirectory()

    @Test func nationalCatalogueShipsTheConfirmedMeasuresEachWithALegalBasisAndATrigger() throws {
        let catalogue = Measures.national
        #expect(catalogue.measures.map(\.id.text) == [
            "M-BIDDING-RESTRICTION", "M-HIGH-CONSUMPTION", "M-HONOURS-RESTRICTION", "M-JUDGMENT-DEFAULTER-RESTRICTIONS",
            "M-KEY-SUPERVISION", "M-LAND-SUPPLY-RESTRICTION", "M-LR-APPOINTMENT-BAN", "M-NO-NOTIFICATION-COMMITMENT",
            "M-NO-SIMPLIFIED-DEREGISTRATION", "M-PROCUREMENT-BAR", "R-CREDIT-FINANCING", "R-FAST-TRACK", "R-FISCAL-PRIORITY",
            "R-GREEN-CHANNEL", "R-REDUCED-INSPECTION", "R-TAX-A-INCENTIVES", "R-TAX-CREDIT-LOAN",
        ])
        for measure in catalogue.measures {
            #expect(!measure.legalBasis.isEmpty && !measure.triggers.isEmpty && !measure.implementingBodies.isEmpty, "\(measure.id)")
            #expect((measure.kind == .punishment) == (measure.category != nil), "\(measure.id)")
        }
        let highConsumption = try #require(catalogue.measure(MeasureID(unchecked: "M-HIGH-CONSUMPTION")))
        #expect(highConsumption.reaches.roles == [.legalRepresentative, .principal, .directlyResponsible, .actualController])
        #expect(highConsumption.reaches.bindsRole && highConsumption.implementingBodies.map(\.code) == ["FY"])
        #expect(highConsumption.legalBasis.contains("法释〔2015〕17号"))
        #expect(catalogue.category(2)?.wording.hasPrefix("由公共管理机构根据履职需要实施的相关管理措施") == true)
        #expect(catalogue.measures(in: .procurement).map(\.id.text) == ["M-JUDGMENT-DEFAULTER-RESTRICTIONS", "M-PROCUREMENT-BAR"])
    }

    @Test func measureWithoutALegalBasisIsRefusedNamingTheFileAndPath() {
        let data = Measures.district([Measures.districtMeasure(), Measures.districtMeasure(["id": #""JD-2""#, "legalBasis": nil])])
        #expect(Measures.loadError(data) == "district-measures.json: measures[1].legalBasis: a measure needs a legal basis (于法有据)")
        let blank = Measures.district([Measures.districtMeasure(["legalBasis": #""  ""#])])
        #expect(Measures.loadError(blank) == "district-measures.json: measures[0].legalBasis: a measure needs a legal basis (于法有据)")
    }

    @Test func measureWithoutATriggerIsRefused() {
        let missing = Measures.district([Measures.districtMeasure(["triggers": nil])])
        #expect(Measures.loadError(missing)
            == "district-measures.json: measures[0].triggers: a measure needs at least one declared trigger (于法有据, 不得泛化)")
        let empty = Measures.district([Measures.districtMeasure(["triggers": "[]"])])
        #expect(Measures.loadError(empty) == Measures.loadError(missing))
    }

    @Test func unknownSceneListRoleOrTriggerKindIsRefusedWithWhatIsAllowed() {
        let scene = Measures.loadError(Measures.district([Measures.districtMeasure(["scenes": #"["parking"]"#])]))
        #expect(scene?.hasPrefix(#"district-measures.json: measures[0].scenes[0]: unknown value "parking" (allowed: procurement, bidding"#) == true)
        let list = Measures.loadError(Measures.district([Measures.districtMeasure(["triggers": #"[{"kind":"onList","lists":["blackList"]}]"#])]))
        #expect(list?.hasPrefix(#"district-measures.json: measures[0].triggers[0].lists[0]: unknown value "blackList""#) == true)
        let kind = Measures.loadError(Measures.district([Measures.districtMeasure(["triggers": #"[{"kind":"rumour"}]"#])]))
        #expect(kind?.hasPrefix(#"district-measures.json: measures[0].triggers[0].kind: unknown value "rumour" (allowed: onList, grade"#) == true)
        let role = Measures.loadError(Measures.district([Measures.districtMeasure(["reaches": #"{"subject":true,"roles":["cousin"]}"#])]))
        #expect(role?.hasPrefix(#"district-measures.json: measures[0].reaches.roles[0]: unknown value "cousin""#) == true)
    }

    @Test func duplicateIdIsRefusedWithinAFileAndAcrossNationalAndDistrict() throws {
        let twice = Measures.district([Measures.districtMeasure(), Measures.districtMeasure()])
        #expect(Measures.loadError(twice)
            == "district-measures.json: measures[1].id: duplicate id JD-SUBSIDY-BAR (already at measures[0])")
        let clash = try MeasureCatalogue(jsonData: Measures.district([Measures.districtMeasure(), Measures.districtMeasure(["id": #""M-PROCUREMENT-BAR""#])]),
                                         origin: "district-measures.json")
        #expect(throws: MeasureCatalogueError(origin: "district-measures.json", path: "measures[1].id",
                                              message: "duplicate id M-PROCUREMENT-BAR (already in measures-national.json)")) {
            try Measures.national.merged(with: clash)
        }
    }

    @Test func badDatesAndEndlessBreachTriggersAreRefused() {
        let day = Measures.loadError(Measures.district([Measures.districtMeasure(["inForce": #"{"from":"2023-02-30"}"#])]))
        #expect(day?.hasPrefix(#"district-measures.json: measures[0].inForce.from: "2023-02-30" is not a date"#) == true)
        let order = Measures.loadError(Measures.district([Measures.districtMeasure(["inForce": #"{"from":"2023-01-01","to":"2022-01-01"}"#])]))
        #expect(order == "district-measures.json: measures[0].inForce.to: must be after from (2023-01-01)")
        let endless = Measures.loadError(Measures.district([Measures.districtMeasure(["triggers": #"[{"kind":"breachedCommitment","breach":["late"]}]"#])]))
        #expect(endless == "district-measures.json: measures[0].triggers[0]: a breachedCommitment trigger needs withinMonths or untilRepaired: a measure must end")
        let nobody = Measures.loadError(Measures.district([Measures.districtMeasure(["reaches": #"{"subject":false}"#])]))
        #expect(nobody == "district-measures.json: measures[0].reaches: the measure reaches nobody: set subject or roles")
        let uncategorised = Measures.loadError(Measures.district([Measures.districtMeasure(["category": nil])]))
        #expect(uncategorised == "district-measures.json: measures[0].category: a punitive measure needs its category of the national list (1, 2 or 3)")
        #expect(Measures.loadError(Data("[]".utf8)) == "district-measures.json: expected an object, found an array")
    }

    @Test func districtSupplementIsMergedAndMatchedWithItsOrigin() throws {
        let district = try MeasureCatalogue(jsonData: Measures.district([Measures.districtMeasure()]), origin: "district-measures.json")
        let merged = try Measures.national.merged(with: district)
        #expect(merged.measures.count == Measures.national.measures.count + 1)
        #expect(merged.origins == ["measures-national.json", "district-measures.json"])
        let ledger = try Status.ledger(directory)
        try ledger.append([Status.listed("L-KA-1", list: "keyAttention", on: "2023-04-01")])
        let matches = try ledger.measures(scene: .fiscalSupport, asOf: "2023-05-01", catalogue: merged)
        #expect(matches.map(\.measure.id.text) == ["JD-SUBSIDY-BAR"])
        #expect(matches.first?.measure.origin == "district-measures.json")
        #expect(matches.first?.trigger.list == .keyAttention && matches.first?.trigger.ref == "L-KA-1")
        #expect(try ledger.measures(scene: .fiscalSupport, asOf: "2023-05-01").isEmpty, "the national list alone has no such measure")
    }
}
