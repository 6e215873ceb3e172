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

    @Test func rulesAreNamedByTheModelsTitlesInChineseAndByTheirEnglishTitlesOrIdInEnglish() throws {
        let model = try GradingModel.bundledDefault()
        #expect(zh.grading(model).rule("deduct.list.abnormalOperation") == "列入经营异常名录")
        #expect(en.grading(model).rule("deduct.list.abnormalOperation") == "abnormal operation list entry open")
        #expect(zh.rule("score.maxAdditions") == "加分上限")
        #expect(zh.rule("deduct.penalty.general") == "一般失信行政处罚公示期内", "the bundled default model's titles without grading(_:)")
        #expect(zh.rule("directD.list") == "直接判为D级：列入严重失信主体名单或失信被执行人名单")
        var district = model
        district.deductions[0].titleEn = nil
        #expect(en.grading(district).rule(district.deductions[0].id) == district.deductions[0].id, "no English title: the id")
        let titles = (model.deductions + model.additions).map { ($0.id, $0.title, $0.titleEn) } + model.caps.map { ($0.id, $0.title, $0.titleEn) }
        for (id, title, english) in titles {
            #expect(title.unicodeScalars.allSatisfy { !CharacterSet.letters.contains($0) || $0.value > 0x7F || "AD".unicodeScalars.contains($0) },
                    "\(id): a Chinese title, no English words in it (A级 and D级 aside): \(title)")
            #expect(english?.isEmpty == false, "\(id): an English title")
        }
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

/// The sentences the views write (why a penalty is not published, why a listing ended, a data gap,
/// an early warning, why notification and commitment is barred): codes and parameters worded from
/// the label table, Chinese first, a district's wording laid over the shipped one.
@Suite struct ExplanationWordingTests {
    let zh = Wording(), en = Wording(language: .en)

    static func day(_ text: String) -> Explanation.Value { .date(try! LegalDate(parsing: text)) }

    /// One explanation of every code, as the views make them, and its Chinese wording.
    static let samples: [(Explanation, String)] = [
        (Explanation(.penaltyRevoked, "revoked on {date}", ["date": day("2024-03-01")]), "2024年3月1日撤销或经异议更正，停止公示"),
        (Explanation(.penaltyRepaired, "repaired (信用修复) on {date}", ["date": day("2024-03-01")]), "2024年3月1日信用修复，停止公示"),
        (Explanation(.penaltyPublicityEnded, "the maximum publicity period under {instrument} ended on {date}",
                     ["instrument": .text("市场监督管理总局令第45号"), "date": day("2026-06-01")]),
         "依据市场监督管理总局令第45号，最长公示期限已于2026年6月1日届满"),
        (Explanation(.penaltyClassNotPublished, "{severity} penalties are not published under {instrument}",
                     ["severity": .word("severity", "minor"), "instrument": .text("市场监督管理总局令第45号")]),
         "依据市场监督管理总局令第45号，轻微行政处罚信息不予公示"),
        (Explanation(.penaltyOnMinor, "the person was under {age} on the decision date", ["age": .number(18)]),
         "决定作出时当事人未满18周岁：予以记录，不予公示（包容审慎）"),
        (Explanation(.listingCorrected, "corrected on objection on {date}", ["date": day("2023-03-01")]), "2023年3月1日经异议更正移出"),
        (Explanation(.listingRepaired, "repaired (信用修复) on {date}", ["date": day("2024-02-05")]), "2024年2月5日信用修复移出"),
        (Explanation(.listingExited, "exited ({reason}) on {date}", ["reason": .word("listExit", "earlyRemoval"), "date": day("2024-02-05")]),
         "2024年2月5日提前移出"),
        (Explanation(.listingPeriodEnded, "planned period ended on {date}", ["date": day("2026-01-01")]), "列入期限已于2026年1月1日届满"),
        (Explanation(.listingInGracePeriod, "within the grace period (宽限期) until {date}", ["date": day("2023-09-01")]),
         "处于宽限期，2023年9月1日起公示"),
        (Explanation(.redEntryBarred, "ended on {date}: the subject is on the {list} list ({listNo}, since {since})",
                     ["date": day("2024-01-10"), "list": .word("list", "seriousDishonesty"), "listNo": .text("L-7"), "since": day("2024-01-10")]),
         "2024年1月10日起该主体被列入严重失信主体名单（L-7，2024年1月10日起），列入失信名单的主体不得列入红名单（红黑名单交叉比对）"),
        (Explanation(.falseCommitmentNotRepaired, "false commitment {commitment} ({date}) not repaired",
                     ["commitment": .text("C-F-1"), "date": day("2023-04-01")]), "虚假承诺C-F-1（2023年4月1日）尚未信用修复"),
        (Explanation(.measureWithdrawsNotification, "{measure}: {trigger} {ref} since {since} ({fact})",
                     ["measure": .text("M-NO-NOTIFICATION-COMMITMENT"), "trigger": .word("triggerKind", "onList"), "ref": .text("L-7"),
                      "since": day("2024-01-10"), "fact": .fact(FactRef(source: SourceID(unchecked: "310114-SCJG"), id: FactID(unchecked: "L-7")))]),
         "M-NO-NOTIFICATION-COMMITMENT：列入名单 L-7，2024年1月10日起（区市场监管局 L-7）"),
        (Explanation(.repeatPenalties, "{count} penalties in {field} between {from} and {to}",
                     ["count": .number(3), "field": .word("field", "foodSafety"), "from": day("2023-01-02"), "to": day("2024-01-01")]),
         "2023年1月2日至2024年1月1日期间食品安全领域受行政处罚3次"),
        (Explanation(.contractDefaults, "{count} contract defaults between {from} and {to}",
                     ["count": .number(2), "from": day("2023-01-02"), "to": day("2024-01-01")]),
         "2023年1月2日至2024年1月1日期间合同违约2次"),
        (Explanation(.overdueCommitment, "commitment {commitment} ({kind}) was due on {due} with no outcome",
                     ["commitment": .text("C-9"), "kind": .word("commitmentKind", "certification"), "due": day("2023-12-31")]),
         "承诺C-9（证明事项告知承诺）应于2023年12月31日前履行，尚无履行结果"),
        (Explanation(.noLinkedPerson, "no {roles} known on {date}",
                     ["roles": .words(vocabulary: "role", codes: ["legalRepresentative", "principal"], english: "legal representative or principal"),
                      "date": day("2022-03-02")]),
         "2022年3月2日时无已知的法定代表人或主要负责人"),
        (Explanation(.noLinkedPersonNorNamed, "no {roles} known on {date} and the decision names no directly responsible person",
                     ["roles": .words(vocabulary: "role", codes: ["legalRepresentative", "principal", "actualController"], english: "…"),
                      "date": day("2022-03-02")]),
         "2022年3月2日时无已知的法定代表人、主要负责人或实际控制人，处罚决定书也未载明直接责任人"),
        (Explanation(.noActUnderDeadline, "no act under the publication deadline", [:]), "本期无适用公示时限的事项"),
        (Explanation(.noActJudged, "no act judged ({count} past the holiday calendar)", ["count": .number(4)]), "无可判定的事项（4项超出节假日日历范围）"),
        (Explanation(.noOrganisationRegistered, "no organisation registered on {date}", ["date": day("2024-01-31")]), "2024年1月31日无已登记的组织"),
        (Explanation(.noSubjectGraded, "no subject graded A to D on {date}", ["date": day("2024-01-31")]), "2024年1月31日无评为A至D级的主体"),
        (Explanation(.noDishonestyRecordInForce, "no organisation's dishonesty record in force on {date}", ["date": day("2024-01-31")]),
         "2024年1月31日无有效的组织失信记录"),
        (Explanation(.noLineReceived, "no line received", [:]), "未收到报送数据"),
        (Explanation(.noCodeReceived, "no code received", [:]), "未收到代码"),
        (Explanation(.noRepairDecided, "no repair decided in the period", [:]), "本期无已办结的信用修复"),
        (Explanation(.noRepairJudged, "no repair decision judged ({count} past the holiday calendar or without an acceptance)", ["count": .number(2)]),
         "无可判定的修复办结（2项超出节假日日历范围或未受理）"),
        (Explanation(.noRepairLimit, "the {regime} regime sets no repair decision limit", ["regime": .text("shanghai2017")]),
         "办理时限规则shanghai2017未规定修复办结时限"),
        (Explanation(.intakeCountedSince, "refusals and duplicates are counted by the day received only since {since}, after {from}",
                     ["since": day("2026-06-01"), "from": day("2026-05-01")]),
         "退回和重复报送自2026年6月1日起才按收到日统计，晚于2026年5月1日"),
        (Explanation(.intakeNotYetCounted, "refusals and duplicates are counted by the day received only since a day not yet recorded, after {from}",
                     ["from": day("2026-05-01")]),
         "退回和重复报送尚未按收到日统计（统计期自2026年5月1日起）"),
        (Explanation(.intakeNotPerInstant, "refusals and duplicates are counted per day, not per instant: as known on {day} the days through {through} are not complete",
                     ["day": day("2026-07-03"), "through": day("2026-07-31")]),
         "退回和重复报送按日统计、不按时点：截至2026年7月3日，至2026年7月31日的各日尚未统计完整"),
    ]

    @Test func everyExplanationIsWordedInChineseWithItsParametersAsWords() {
        #expect(Set(Self.samples.map(\.0.code)) == Set(Explanation.Code.allCases), "a sample of every code")
        for (explanation, chinese) in Self.samples {
            #expect(zh.explain(explanation) == chinese, "\(explanation.code)")
        }
    }

    @Test func theEnglishTextIsTheSentenceWithItsParametersAndEnglishIsWordedToo() {
        let ended = Self.samples[2].0
        #expect(ended.text == "the maximum publicity period under 市场监督管理总局令第45号 ended on 2026-06-01")
        #expect(en.explain(ended) == "the maximum publicity period under 市场监督管理总局令第45号 ended on 2026-06-01")
        #expect(en.explain(Self.samples[3].0) == "minor penalties are not published under 市场监督管理总局令第45号", "codes as English words")
        #expect(en.explain(Self.samples[16].0) == "no legal representative or principal known on 2022-03-02")
        #expect(zh.explain([Self.samples[0].0, Self.samples[1].0]) == "2024年3月1日撤销或经异议更正，停止公示；2024年3月1日信用修复，停止公示")
    }

    @Test func everyWordingNamesOnlyItsOwnParametersInBothLanguages() throws {
        let placeholder = try Regex("\\{([a-zA-Z]+)\\}")
        for (explanation, _) in Self.samples {
            let names = Set(explanation.parameters.map(\.name))
            for language in OutputLanguage.allCases {
                let wording = try #require(LabelTable.shipped.vocabularies["explanation"]?[explanation.code.rawValue]?[language])
                let used = Set(wording.matches(of: placeholder).map { String(wording[$0.range].dropFirst().dropLast()) })
                #expect(used == names, "\(explanation.code) \(language): \(used.sorted()) vs \(names.sorted())")
            }
        }
    }

    @Test func aDistrictRewordsAnExplanationWithItsOwnLabelFile() throws {
        let file = NSTemporaryDirectory() + "labels-\(UUID().uuidString.prefix(8)).json"
        try #"{"vocabularies": {"explanation": {"penaltyPublicityEnded": {"zh": "公示期满（{date}，{instrument}）", "en": "ended {date}"}}}}"#
            .write(toFile: file, atomically: true, encoding: .utf8)
        let district = try Wording(language: .zh, labels: file, sources: nil)
        #expect(district.explain(Self.samples[2].0) == "公示期满（2026年6月1日，市场监督管理总局令第45号）")
        #expect(district.explain(Self.samples[0].0) == "2024年3月1日撤销或经异议更正，停止公示", "the others as shipped")
        try #"{"vocabularies": {"explanation": {"penaltyPublicityEnd": {"zh": "x", "en": "x"}}}}"#.write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: RuleFileError.self) { try Wording(language: .zh, labels: file, sources: nil) }
    }
}
