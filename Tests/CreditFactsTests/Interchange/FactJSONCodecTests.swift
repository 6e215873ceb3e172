import Testing
@testable import CreditFacts

/// INTERCHANGE v1: every valid line is accepted and written back canonically.
@Suite struct FactJSONCodecTests {
    @Test func everyFactTypeOfInterchangeV1RoundTripsByteForByte() throws {
        let lines = try fixtureLines("every-type.jsonl")
        var types = Set<FactType>()
        for line in lines {
            let fact = try decodeLine(line)
            types.insert(fact.type)
            #expect(FactJSONCodec.encode(fact) == line)
        }
        #expect(types.count == FactType.allCases.count)
    }

    @Test func specExampleDecodesIntoTypedFields() throws {
        let fact = try decodeLine(specExampleLine)
        #expect(fact.id.text == "JD-SCJG-2023-000123")
        #expect(fact.source.text == "310114-SCJG")
        #expect(fact.subject == .organisation(try UnifiedSocialCreditCode("914403001922038216")))
        #expect(fact.effective == LegalDate(year: 2023, month: 6, day: 1))
        #expect(fact.reported == (try Timestamp(parsing: "2023-06-06T10:12:00+08:00")))
        guard case .penaltyDecided(let p) = fact.body else { Issue.record("not a penalty"); return }
        #expect(p.decisionNo.text == "沪市监嘉处〔2023〕123号")
        #expect(p.kinds == PenaltyKinds([.fine]))
        #expect(p.fine == Yuan(yuan: 50000))
        #expect(p.procedure == .ordinary && p.severity == .general && p.field == .foodSafety)
        #expect(p.directlyResponsible == nil)
    }

    @Test func unknownFieldsAreKeptVerbatimAndWrittenBackSorted() throws {
        let line = specExample(replacing: #""source""#, with: #""zeta": [1, {"b" : "x y"}], "alpha":true,"source""#)
            .replacingOccurrences(of: #""severity":"general""#, with: #""severity":"general","note":"见附件""#)
        let fact = try decodeLine(line)
        #expect(fact.extras.fields.map(\.name) == ["alpha", "zeta"])
        #expect(fact.extras.fields[1].json == #"[1,{"b":"x y"}]"#)
        #expect(fact.bodyExtras.fields == [.init(name: "note", json: #""见附件""#)])
        let written = FactJSONCodec.encode(fact)
        #expect(written.hasSuffix(#""note":"见附件"},"alpha":true,"zeta":[1,{"b":"x y"}]}"#))
        #expect(try decodeLine(written) == fact)
    }

    @Test func keyOrderWhitespaceAndEscapesDoNotChangeTheFact() throws {
        let messy = #" { "body" : {"legalBasis":"\u300a食品安全法\u300b第一百二十四条","field":"foodSafety","severity":"general","procedure":"ordinary","fineYuan":50000.00,"kinds":["fine"],"decisionNo":"沪市监嘉处〔2023〕123号"}, "type":"penalty.decided","reported":"2023-06-06T02:12:00Z","effective":"2023-06-01","source":"310114-SCJG","subject":"914403001922038216","id":"JD-SCJG-2023-000123" } "#
        let fact = try decodeLine(messy)
        let canonical = try decodeLine(specExampleLine)
        #expect(fact.body == canonical.body)
        #expect(fact.reported!.isSameInstant(as: canonical.reported!))
        #expect(FactJSONCodec.encode(fact).contains(#""reported":"2023-06-06T02:12:00Z""#))
    }

    @Test func lowerCaseXInASubjectIsWrittenBackUpperCase() throws {
        let line = #"{"id":"R1","type":"subject.registered","subject":"11010519491231002x","source":"110105-GA","effective":"2020-01-01","body":{"name":"李四","kind":"naturalPerson","region":"110105"}}"#
        #expect(FactJSONCodec.encode(try decodeLine(line)).contains("11010519491231002X"))
    }

    @Test func nullOptionalFieldsReadAsAbsent() throws {
        let fact = try decodeLine(specExample(replacing: #""severity":"general""#, with: #""severity":null"#))
        guard case .penaltyDecided(let p) = fact.body else { Issue.record("not a penalty"); return }
        #expect(p.severity == nil)
    }

    @Test func moneyIsExactToTheFen() throws {
        let fact = try decodeLine(specExample(replacing: "50000", with: "0.1"))
        guard case .penaltyDecided(let p) = fact.body else { Issue.record("not a penalty"); return }
        #expect(p.fine?.fen == 10)
        #expect(FactJSONCodec.encode(fact).contains(#""fineYuan":0.1,"#))
    }

    @Test func controlCharactersInTextAreEscapedOnOutput() throws {
        let fact = try decodeLine(specExample(replacing: "第一百二十四条", with: #"第一百二十四条\n\"二\"\u0001"#))
        #expect(FactJSONCodec.encode(fact).contains(#"第一百二十四条\n\"二\"\u0001""#))
        #expect(try decodeLine(FactJSONCodec.encode(fact)) == fact)
    }
}
