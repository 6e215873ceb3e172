import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// Interchange lines and helpers for the joint-measures tests (联合奖惩), on top of `Status`.
enum Measures {
    static let company = Status.company
    static let otherCompany = Status.otherCompany
    /// A natural-person judgment defaulter.
    static let debtor = Codes.person(301, born: "19780510")
    /// Persons in the company's roles.
    static let legalRep = Codes.person(311, born: "19700101")
    static let principal = Codes.person(312, born: "19710202")
    static let controller = Codes.person(313, born: "19720303")
    static let responsible = Codes.person(314, born: "19730404")
    static let laterLegalRep = Codes.person(315, born: "19740505")
    static let bystander = Codes.person(316, born: "19750606")

    /// The bundled national catalogue, loaded once.
    static let national = try! MeasureCatalogue.national()

    static func registered(_ subject: String = company, on date: String = "2019-01-10") -> Fact {
        Status.registered(subject, name: "上海嘉定联合奖惩测试\(subject.suffix(4))", on: date)
    }

    static func assigned(_ person: String, _ role: String = "legalRepresentative", in organisation: String = company,
                         on date: String) -> Fact {
        Facts.role("assigned", organisation, person: person, role: role, on: date)
    }

    static func ended(_ person: String, _ role: String = "legalRepresentative", in organisation: String = company,
                      on date: String) -> Fact {
        Facts.role("ended", organisation, person: person, role: role, on: date)
    }

    /// The company, registered with a legal representative, principal, actual controller and a
    /// directly responsible person recorded as a role.
    static let companyWithRoles: [Fact] = [
        registered(),
        assigned(legalRep, on: "2019-01-10"),
        assigned(principal, "principal", on: "2019-01-10"),
        assigned(controller, "actualController", on: "2019-01-10"),
        assigned(responsible, "directlyResponsible", on: "2019-01-10"),
    ]

    static func penalty(_ number: String, of subject: String = company, on date: String, severity: String) -> Fact {
        Status.penalty(subject, number, on: date, severity: severity)
    }

    /// A judgment-defaulter listing by the district court.
    static func defaulter(_ number: String, of subject: String = company, on date: String, publishFrom: String? = nil) -> Fact {
        let extra = publishFrom.map { #","publishFrom":"\#($0)""# } ?? ""
        return Status.fact("list.entered", subject, on: date,
                           #"{"listNo":"\#(number)","list":"judgmentDefaulter","field":"other","reason":"有履行能力而拒不履行生效法律文书确定义务"\#(extra)}"#,
                           source: "310114-FY")
    }

    static func breached(_ number: String, of subject: String = company, breach: String, on date: String) -> Fact {
        Status.fact("commitment.breached", subject, on: date, #"{"commitmentNo":"\#(number)","breach":"\#(breach)","severity":"general"}"#)
    }

    static func honour(_ subject: String = company, on date: String) -> Fact {
        Status.fact("honour.granted", subject, on: date, #"{"title":"区级诚信示范企业","level":"district"}"#, source: "310114-FGW")
    }

    /// Feedback from a department (`measure.applied`).
    static func applied(_ subject: String, _ measure: String, scene: String, outcome: String = "applied", caseRef: String? = nil,
                        on date: String, department: String) -> Fact {
        let ref = caseRef.map { #","caseRef":"\#($0)""# } ?? ""
        return Status.fact("measure.applied", subject, on: date,
                           #"{"measureId":"\#(measure)","scene":"\#(scene)","outcome":"\#(outcome)"\#(ref)}"#,
                           source: "310114-\(department)")
    }

    /// A district's supplementary catalogue file with `measures` (JSON objects).
    static func district(_ measures: [String]) -> Data {
        Data(#"{"catalogue":"嘉定区补充清单","measures":[\#(measures.joined(separator: ","))]}"#.utf8)
    }

    /// A valid district measure, with fields replaced or removed by `overrides` (nil removes).
    static func districtMeasure(_ overrides: [String: String?] = [:]) -> String {
        var fields: [(String, String)] = [
            ("id", #""JD-SUBSIDY-BAR""#),
            ("kind", #""punishment""#),
            ("category", "1"),
            ("measure", #"{"zh":"限制申请区级财政扶持资金","en":"no district subsidies"}"#),
            ("legalBasis", #""《嘉定区财政扶持资金管理办法》第十条""#),
            ("implementingBodies", #"[{"code":"CZJ","name":"区财政局"}]"#),
            ("scenes", #"["fiscalSupport"]"#),
            ("subjectKinds", #"["organisation"]"#),
            ("triggers", #"[{"kind":"onList","lists":["keyAttention"]}]"#),
            ("reaches", #"{"subject":true}"#),
            ("edition", #""2023""#),
            ("inForce", #"{"from":"2023-01-01"}"#),
            ("status", #""CONFIRMED""#),
        ]
        for (key, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == key }) {
                if let value { fields[index].1 = value } else { fields.remove(at: index) }
            } else if let value {
                fields.append((key, value))
            }
        }
        return "{" + fields.map { #""\#($0.0)":\#($0.1)"# }.joined(separator: ",") + "}"
    }

    /// The error of loading `data` as `district-measures.json`, as text.
    static func loadError(_ data: Data) -> String? {
        do {
            _ = try MeasureCatalogue(jsonData: data, origin: "district-measures.json")
            return nil
        } catch {
            return error.description
        }
    }
}

extension Ledger {
    /// The matches for `subject` in `scene` on `date` under the national catalogue.
    func measures(_ subject: String = Measures.company, scene: MeasureScene, asOf date: String, knownAt: RecordedTime? = nil,
                  catalogue: MeasureCatalogue? = nil) throws -> [MeasureMatch] {
        try match(CreditLedgerTests.subject(subject), scene: scene, asOf: CreditLedgerTests.date(date), knownAt: knownAt,
                  catalogue: catalogue)
    }

    /// The ids of the measures that apply, one per match, in order.
    func measureIDs(_ subject: String = Measures.company, scene: MeasureScene, asOf date: String,
                    catalogue: MeasureCatalogue? = nil) throws -> [String] {
        try measures(subject, scene: scene, asOf: date, catalogue: catalogue).map(\.measure.id.text)
    }
}
