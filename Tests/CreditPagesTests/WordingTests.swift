import CreditFacts
import CreditLedger
import Foundation
import Testing
@testable import CreditPages

/// The label table, the source directory and the words they give: complete for every code the
/// ledger's vocabularies have, for every text the shipped templates read, in both languages.
@Suite struct LabelTableTests {
    @Test func theShippedTableHasAWordForEveryCodeOfEveryVocabularyInBothLanguages() {
        let table = LabelTable.shipped
        for (vocabulary, codes) in LabelTable.required {
            for code in codes {
                #expect(table.vocabularies[vocabulary]?[code]?[.zh]?.isEmpty == false, "\(vocabulary).\(code) zh")
                #expect(table.vocabularies[vocabulary]?[code]?[.en]?.isEmpty == false, "\(vocabulary).\(code) en")
            }
        }
    }

    @Test func everyTextAShippedTemplateReadsIsInTheTable() throws {
        let directory = Self.templatesDirectory()
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".mustache") }
        #expect(files.count == PageRenderer.templateNames.count)
        var keys: Set<String> = []
        for file in files {
            let text = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            var rest = text[...]
            while let start = rest.range(of: "{{t.") {
                let end = try #require(rest[start.upperBound...].range(of: "}}"))
                keys.insert(String(rest[start.upperBound..<end.lowerBound]))
                rest = rest[end.upperBound...]
            }
        }
        #expect(keys.count > 40)
        for key in keys.sorted() {
            #expect(LabelTable.shipped.text[key]?[.zh]?.isEmpty == false, "\(key)")
        }
    }

    /// The shipped templates, where the module's bundle keeps them.
    static func templatesDirectory() -> String {
        let labels = shippedResource("labels")
        return (labels as NSString).deletingLastPathComponent + "/templates"
    }
}

@Suite struct WordingUnitTests {
    let zh = Wording(), en = Wording(language: .en)

    @Test func codesBecomeWordsChineseFirst() {
        #expect(zh.role(.legalRepresentative) == "法定代表人" && en.role(.legalRepresentative) == "legal representative")
        #expect(zh.field(.foodSafety) == "食品安全" && zh.severity(.serious) == "严重失信" && zh.list(.abnormalOperation) == "经营异常名录")
        #expect(zh.level(.M) == "M级（无记载不评价）" && zh.flag(true) == "是" && en.flag(false) == "no")
    }

    @Test func aFullSourceCodeWinsOverItsDepartmentAndAnUnknownSourceStaysACode() throws {
        let ref = FactRef(source: SourceID(unchecked: "310114-SCJG"), id: FactID(unchecked: "SYN-4685-7"))
        #expect(zh.fact(ref) == "区市场监管局 SYN-4685-7")
        #expect(zh.source(SourceID(unchecked: "310114-XYZ")) == "310114-XYZ")
        let file = NSTemporaryDirectory() + "sources-\(UUID().uuidString.prefix(8)).json"
        try #"{"sources": {"310114-SCJG": {"zh": "嘉定区市场监管局"}, "XYZ": {"zh": "区某局"}}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        let district = try Wording(language: .zh, labels: nil, sources: file)
        #expect(district.fact(ref) == "嘉定区市场监管局 SYN-4685-7")
        #expect(district.source(SourceID(unchecked: "350100-SCJG")) == "区市场监管局", "other regions keep the shipped department name")
        #expect(district.source(SourceID(unchecked: "310114-XYZ")) == "区某局")
        let english = try Wording(language: .en, labels: nil, sources: file)
        #expect(english.source(SourceID(unchecked: "310114-SCJG")) == "嘉定区市场监管局", "without an English name, the Chinese one")
    }

    @Test func instantsAreShownToTheSecondInChinaStandardTime() {
        #expect(zh.instant("2026-06-30T15:59:59.999999Z") == "2026-06-30 23:59:59（北京时间）")
        #expect(en.instant("2026-06-30T23:59:59.5+08:00") == "2026-06-30 23:59:59 UTC+8")
        #expect(zh.instant("now") == "now", "not a timestamp: as given")
        #expect(zh.date(try! LegalDate(parsing: "2026-06-30")) == "2026年6月30日" && en.date(try! LegalDate(parsing: "2026-06-30")) == "2026-06-30")
    }

    @Test func rulesAreNamedByTheModelsTitlesInChineseAndByIdInEnglish() throws {
        let model = try GradingModel.bundledDefault()
        #expect(zh.grading(model).rule("deduct.list.abnormalOperation") == "经营异常名录 entry open")
        #expect(en.grading(model).rule("deduct.list.abnormalOperation") == "deduct.list.abnormalOperation")
        #expect(zh.rule("score.maxAdditions") == "加分上限")
        #expect(zh.rule("deduct.penalty.general") == "一般失信行政处罚 in publicity", "the bundled default model's titles without grading(_:)")
    }

    @Test func aReportNumberDependsOnTheLedgerHeadSubjectAndDates() throws {
        let subject = try SubjectCode("91350100M000100Y43"), day = try LegalDate(parsing: "2026-06-30")
        let issue = ReportIssue(issuer: nil, issued: day, records: 3, headHash: "ab", viewDigest: "cd", verifyCommand: "")
        var later = issue
        later.headHash = "ac"
        #expect(issue.number(subject: subject, asOf: day) == issue.number(subject: subject, asOf: day))
        #expect(issue.number(subject: subject, asOf: day).hasPrefix("XYBG-20260630-") && issue.number(subject: subject, asOf: day).count == 24)
        #expect(issue.number(subject: subject, asOf: day) != later.number(subject: subject, asOf: day))
        #expect(issue.number(subject: subject, asOf: day) != issue.number(subject: subject, asOf: day.adding(days: 1)))
    }
}
