import Foundation
import Testing

/// The HTML pages (`report --format html`, `quality --html`, `grades --html`, `penetration --html`),
/// read as a user gets them from the built binary: escaped, with identity numbers masked,
/// self-contained, and rendered through templates a district can replace (`--templates DIR`).
@Suite struct HTMLTests {
    let shell = CLITests()

    static let scriptName = #"{"id":"R-1","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"<script>alert(1)</script> & 食品","kind":"enterprise","region":"310114"}}"#

    /// A ledger holding the company of CLITests with its legal representative and its 2023-06-01
    /// general food-safety penalty (public until 2024-06-01).
    func ledger(registration: String = CLITests.registration, penalty: String = CLITests.penalty) throws {
        try shell.write("facts.jsonl", [registration, CLITests.role, penalty])
        #expect(try shell.cli("import", "--ledger", "L", "facts.jsonl").status == 0)
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: shell.directory + "/" + name, encoding: .utf8)
    }

    /// The page loads nothing from elsewhere and runs nothing.
    func expectSelfContained(_ page: String) {
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<style>"))
        for outside in ["<script", "<link", " src=", "@import", "url("] { #expect(!page.contains(outside), "\(outside)") }
    }

    @Test func aSubjectNamedScriptIsShownAsTextNeverRun() throws {
        try ledger(registration: Self.scriptName)
        let run = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10", "--format", "html")
        #expect(run.status == 0)
        #expect(run.stdout.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 食品"))
        expectSelfContained(run.stdout)
    }

    @Test func theLegalRepresentativesIdentityNumberIsMaskedOnTheReportPage() throws {
        try ledger()
        let page = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10", "--format", "html").stdout
        #expect(page.contains("1101**********002X"))
        #expect(!page.contains("11010519491231002X"))
        #expect(page.contains("法定代表人"), "the role in words, Chinese first")
    }

    @Test func aPersonsOwnNumberIsMaskedOnTheirReportAndSpecialReportPages() throws {
        try ledger()
        let report = try shell.cli("report", "11010519491231002X", "--ledger", "L", "--format", "html", "--as-of", "2023-09-10")
        let special = try shell.cli("report", "11010519491231002X", "--ledger", "L", "--format", "html",
                                    "--field", "foodSafety", "--from", "2023-01-01", "--to", "2023-12-31")
        for run in [report, special] {
            #expect(run.status == 0)
            #expect(run.stdout.contains("1101**********002X"))
            #expect(!run.stdout.contains("11010519491231002X"), "the subject's own number is masked too")
        }
        #expect(report.stdout.contains("沪市监嘉处〔2023〕123号"), "the company's penalty reaches its legal representative")
    }

    @Test func aGeneralSamrPenaltyDecided20230601IsPublicUntil20260601AndCostsTenPointsAndEmptySectionsSayNone() throws {
        // SAMR Order 45 Art. 13 (3 years); SAMR 2021 repair measures (repair after 1 year in food safety).
        try ledger()
        let page = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10", "--format", "html").stdout
        let penalties = try #require(section("penalties", of: page))
        #expect(penalties.contains("沪市监嘉处〔2023〕123号") && penalties.contains("2026-06-01") && penalties.contains("2024-06-01"))
        for id in ["lists", "commitments", "repairs", "measures", "warnings"] {
            #expect(section(id, of: page)?.contains(#"<p class="none">无</p>"#) == true, "\(id)")
        }
        let grade = try #require(section("grade", of: page))
        #expect(grade.contains(#"<div class="level level-B">B</div>"#) && grade.contains("分值 90"), "100 less 10 for the general penalty; not A while it is public")
        #expect(grade.contains("一般失信行政处罚公示期内") && grade.contains(#"<td class="num loss">-10</td>"#)
                && grade.contains("不得评为A级：一般或严重失信行政处罚公示期内"), "rules by the model's own titles")
        #expect(grade.contains("区市场监管局 P-1"), "the fact by its reporting department, not 310114-SCJG/P-1")
        let later = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2026-06-01", "--format", "html").stdout
        #expect(try #require(section("penalties", of: later)).contains("依据市场监督管理总局令第45号，最长公示期限已于2026年6月1日届满"),
                "not public after three years, and why, in Chinese")
    }

    @Test func theSpecialReportPageStatesWhetherTheFieldHadAPenaltyInThePeriod() throws {
        try ledger()
        let food = try shell.cli("report", CLITests.company, "--ledger", "L", "--field", "foodSafety", "--from", "2023-01-01",
                                 "--to", "2023-12-31", "--format", "html").stdout
        #expect(food.contains(#"<p class="statement found">"#))
        #expect(food.contains("在食品安全领域 2023年1月1日 至 2023年12月31日 期间有 1 项行政处罚记录"))
        let tax = try shell.cli("report", CLITests.company, "--ledger", "L", "--field", "tax", "--from", "2023-01-01",
                                "--to", "2023-12-31", "--format", "html").stdout
        #expect(tax.contains(#"<p class="statement clean">"#) && tax.contains("在税务领域 2023年1月1日 至 2023年12月31日 期间无行政处罚记录"))
        #expect(try #require(section("penalties", of: tax)).contains("无"))
        expectSelfContained(tax)
    }

    @Test func qualityWritesAPageWithAnOnTimeBarPerSourceAndStillPrintsItsTable() throws {
        try ledger()
        let run = try shell.cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--html", "quality.html")
        #expect(run.status == 0)
        #expect(run.stdout.contains("310114-SCJG"), "the text table is still printed")
        let page = try read("quality.html")
        let chart = try #require(section("on-time", of: page))
        #expect(chart.contains("<svg") && chart.contains("区市场监管局") && chart.contains("<rect"), "the source by its department's name")
        let sources = try #require(section("sources", of: page))
        #expect(sources.contains("区市场监管局") && sources.contains("310114-SCJG"), "the department, and the code beside it")
        expectSelfContained(page)
    }

    static let seriousPenalty = CLITests.penalty.replacingOccurrences(of: #""severity":"general""#, with: #""severity":"serious""#)
    static let person = "11010519491231002X"

    @Test func theGradesPageChartsSubjectsPerLevelWithShareAndInspectionShare() throws {
        try ledger()
        let run = try shell.cli("grades", "--ledger", "L", "--as-of", "2023-09-10", "--html", "grades.html")
        #expect(run.status == 0)
        let page = try read("grades.html")
        let chart = try #require(section("distribution", of: page))
        #expect(chart.components(separatedBy: "<rect").count - 1 == 5, "one bar per level, A to M")
        #expect(chart.contains("1  (100.00 %)") && chart.contains("0  (0.00 %)"), "the company is the one subject, graded B")
        let table = try #require(section("levels", of: page))
        #expect(table.contains(#"<span class="badge level level-B">B级</span>"#) && table.contains("100.00 %"))
        #expect(table.contains("无记载不评价"), "M explained")
        #expect(section("draw", of: page) == nil, "no draw asked for, no section")
        expectSelfContained(page)
    }

    @Test func aDrawShowsItsSeedTheSubjectsDrawnAndHowManyPerGrade() throws {
        try ledger()
        #expect(try shell.cli("grades", "--ledger", "L", "--as-of", "2023-09-10", "--draw", "7", "--html", "draw.html").status == 0)
        let draw = try #require(section("draw", of: try read("draw.html")))
        #expect(draw.contains("随机种子 7 · 抽中主体数 1") && draw.contains("<li>\(CLITests.company)</li>"), "the one graded subject")
        #expect(try #require(section("levels", of: try read("draw.html"))).contains("抽中"))
    }

    @Test func aGradeShowsItsLevelScoreAndReasonsAndAMeasureItsTriggerAndLegalBasis() throws {
        try ledger(penalty: Self.seriousPenalty)
        let page = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10", "--format", "html").stdout
        let grade = try #require(section("grade", of: page))
        #expect(grade.contains(#"<div class="level level-C">C</div>"#) && grade.contains("分值 65"), "100 less 35 for a serious penalty")
        #expect(grade.contains(#"<td class="num loss">-35</td>"#) && grade.contains(#"<td class="num">0</td>"#))
        let measures = try #require(section("measures", of: page))
        #expect(measures.contains("M-NO-NOTIFICATION-COMMITMENT 不适用告知承诺制等简化程序"))
        #expect(measures.contains("严重失信 行政处罚公示中 沪市监嘉处〔2023〕123号 2023-06-01起"))
        #expect(measures.contains("《上海市社会信用条例》第三十条第一项"))
    }

    @Test func thePenetrationPageShowsCoverageAndEveryDataGapWithItsReason() throws {
        try shell.write("facts.jsonl", [CLITests.registration, CLITests.penalty])
        #expect(try shell.cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        #expect(try shell.cli("penetration", "--ledger", "L", "--as-of", "2023-09-10", "--html", "penetration.html").status == 0)
        let page = try read("penetration.html")
        #expect(try #require(section("coverage", of: page)).contains("0.00 % — 已关联 0 / 1"))
        let gaps = try #require(section("gaps", of: page))
        #expect(gaps.contains(CLITests.company) && gaps.contains("2023年6月1日时无已知的法定代表人、主要负责人、实际控制人或直接责任人") && gaps.contains("沪市监嘉处〔2023〕123号"))
        expectSelfContained(page)
    }

    @Test func aDistrictTemplateReplacesTheShippedOneAndStillEscapesAndMasks() throws {
        try ledger(registration: Self.scriptName)
        try FileManager.default.createDirectory(atPath: shell.directory + "/district", withIntermediateDirectories: true)
        try shell.write("district/credit-report.mustache", [
            "<h1>嘉定区信用报告 {{name}}</h1>",
            "{{#persons}}{{#roles}}{{#rows}}<p>{{#cells}}{{{text}}} {{/cells}}</p>{{/rows}}{{/roles}}{{/persons}}",
        ])
        let run = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10", "--format", "html",
                                "--templates", "district")
        #expect(run.status == 0)
        #expect(run.stdout.contains("<h1>嘉定区信用报告 &lt;script&gt;alert(1)&lt;/script&gt; &amp; 食品</h1>"), "the district's wording, values escaped")
        #expect(run.stdout.contains("1101**********002X 法定代表人"), "even a raw {{{ }}} value is masked")
        #expect(!run.stdout.contains(Self.person) && !run.stdout.contains("<section id=\"penalties\">"))
        #expect(run.stdout.contains("<style>"), "the shipped layout and stylesheet frame the district's content")
    }

    @Test func aTemplateWithAnUnclosedSectionIsRefusedNamingTheFileAndLine() throws {
        try ledger()
        try FileManager.default.createDirectory(atPath: shell.directory + "/district", withIntermediateDirectories: true)
        try shell.write("district/quality.mustache", ["<h1>Quality</h1>", "{{#sources}}", "{{> table}}"])
        let run = try shell.cli("quality", "--ledger", "L", "--html", "quality.html", "--templates", "district")
        #expect(run.status == 1)
        #expect(run.stderr.contains("district/quality.mustache:4: a section is opened and never closed"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: shell.directory + "/quality.html"), "no page from a broken template")
    }

    @Test func aMissingTemplatesDirectoryOrAMisspeltTemplateNameIsRefused() throws {
        try ledger()
        let missing = try shell.cli("grades", "--ledger", "L", "--html", "grades.html", "--templates", "nowhere")
        #expect(missing.status == 1 && missing.stderr.contains("nowhere: no such templates directory"))
        try FileManager.default.createDirectory(atPath: shell.directory + "/district", withIntermediateDirectories: true)
        try shell.write("district/credit_report.mustache", ["<h1>{{name}}</h1>"])
        let misspelt = try shell.cli("report", CLITests.company, "--ledger", "L", "--format", "html", "--templates", "district")
        #expect(misspelt.status == 1 && misspelt.stderr.contains("district/credit_report.mustache: not the name of a shipped template"))
        #expect(try shell.cli("quality", "--ledger", "L", "--templates", "district").status == 64, "--templates without a page")
    }

    @Test func aPageThatCannotBeWrittenIsRefusedNamingTheFile() throws {
        try ledger()
        let unwritable = try shell.cli("grades", "--ledger", "L", "--html", "no/such/dir/grades.html")
        #expect(unwritable.status == 1 && unwritable.stderr.contains("cannot write no/such/dir/grades.html"))
    }

    @Test func jsonAndAnHTMLFormatTogetherAreAUsageError() throws {
        try ledger()
        #expect(try shell.cli("report", CLITests.company, "--ledger", "L", "--json", "--format", "html").status == 64)
    }

    /// The markup of `<section id="ID">…</section>` in `page`.
    func section(_ id: String, of page: String) -> String? {
        guard let start = page.range(of: #"<section id="\#(id)">"#) else { return nil }
        guard let end = page.range(of: "</section>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.upperBound])
    }
}
