import Foundation
import Testing

/// The HTML pages (`report --format html`, `quality --html`, `credit-ledger html PAGE`), read as a
/// user gets them from the built binary: escaped, with identity numbers masked, self-contained, and
/// rendered from the same JSON documents the commands print with `--json`.
@Suite struct HTMLTests {
    let shell = CLITests()

    static let scriptName = #"{"id":"R-1","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"<script>alert(1)</script> & 食品","kind":"enterprise","region":"310114"}}"#

    /// A ledger holding the company of CLITests with its legal representative and its 2023-06-01
    /// general food-safety penalty (public until 2024-06-01).
    func ledger(registration: String = CLITests.registration) throws {
        try shell.write("facts.jsonl", [registration, CLITests.role, CLITests.penalty])
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
        #expect(page.contains("legalRepresentative"))
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
            #expect(section(id, of: page)?.contains(#"<p class="none">none</p>"#) == true, "\(id)")
        }
        let grade = try #require(section("grade", of: page))
        #expect(grade.contains(#"<div class="level level-B">B</div>"#) && grade.contains("Score 90"), "100 less 10 for the general penalty; not A while it is public")
        #expect(grade.contains("deduct.penalty.general") && grade.contains(#"<td class="num loss">-10</td>"#) && grade.contains("notA.penalty"))
        let later = try shell.cli("report", CLITests.company, "--ledger", "L", "--as-of", "2026-06-01", "--format", "html").stdout
        #expect(try #require(section("penalties", of: later)).contains("the maximum publicity period under 市场监督管理总局令第45号"),
                "not public after three years, and why")
    }

    @Test func theReportPageIsRenderedFromTheDocumentReportJSONPrints() throws {
        try ledger()
        let json = try shell.cli("report", CLITests.company, "--json", "--ledger", "L", "--as-of", "2023-09-10", "--known-at", "2030-01-01")
        try shell.write("report.json", [json.stdout])
        let written = try shell.cli("report", CLITests.company, "--format", "html", "--out", "report.html",
                                    "--ledger", "L", "--as-of", "2023-09-10", "--known-at", "2030-01-01")
        #expect(written.status == 0 && written.stdout.isEmpty, "the page goes to --out only")
        let rendered = try shell.cli("html", "report", "report.json")
        #expect(rendered.status == 0)
        #expect(rendered.stdout == (try read("report.html")))
        let specialJSON = try shell.cli("report", CLITests.company, "--ledger", "L", "--json", "--field", "foodSafety",
                                        "--from", "2023-01-01", "--to", "2023-12-31", "--known-at", "2030-01-01")
        try shell.write("special.json", [specialJSON.stdout])
        let special = try shell.cli("report", CLITests.company, "--ledger", "L", "--format", "html", "--field", "foodSafety",
                                    "--from", "2023-01-01", "--to", "2023-12-31", "--known-at", "2030-01-01")
        #expect(try shell.cli("html", "special-report", "special.json").stdout == special.stdout)
    }

    @Test func theSpecialReportPageStatesWhetherTheFieldHadAPenaltyInThePeriod() throws {
        try ledger()
        let food = try shell.cli("report", CLITests.company, "--ledger", "L", "--field", "foodSafety", "--from", "2023-01-01",
                                 "--to", "2023-12-31", "--format", "html").stdout
        #expect(food.contains(#"<p class="statement found">"#))
        #expect(food.contains("1 administrative penalty in the field foodSafety from 2023-01-01 through 2023-12-31"))
        let tax = try shell.cli("report", CLITests.company, "--ledger", "L", "--field", "tax", "--from", "2023-01-01",
                                "--to", "2023-12-31", "--format", "html").stdout
        #expect(tax.contains(#"<p class="statement clean">"#) && tax.contains("no administrative penalty in the field tax"))
        #expect(try #require(section("penalties", of: tax)).contains("none"))
        expectSelfContained(tax)
    }

    @Test func qualityWritesAPageWithAnOnTimeBarPerSourceAndStillPrintsItsTable() throws {
        try ledger()
        let run = try shell.cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--html", "quality.html")
        #expect(run.status == 0)
        #expect(run.stdout.contains("310114-SCJG"), "the text table is still printed")
        let page = try read("quality.html")
        let chart = try #require(section("on-time", of: page))
        #expect(chart.contains("<svg") && chart.contains("310114-SCJG") && chart.contains("<rect"))
        #expect(try #require(section("sources", of: page)).contains("310114-SCJG"))
        expectSelfContained(page)
    }

    static let grades = #"{"asOf":"2024-06-30","knownAt":"2024-06-30T23:59:59.999999+08:00","model":"default","subjects":300000,"levels":[{"level":"A","count":1200,"share":0.004,"inspectionShare":0.02,"drawn":24},{"level":"B","count":150000,"share":0.5,"inspectionShare":0.05,"drawn":7500},{"level":"D","count":3800,"share":0.0127,"inspectionShare":0.2,"drawn":760}]}"#
    static let penetration = #"{"asOf":"2024-06-30","records":120,"linked":118,"coverage":0.9833,"unlinked":[{"organisation":"91350100M000100Y43","ref":"沪市监嘉处〔2023〕123号","reason":"no legal representative known on 2021-03-02"}]}"#

    @Test func theGradesPageChartsSubjectsPerLevelWithShareAndInspectionShare() throws {
        try shell.write("grades.json", [Self.grades])
        let run = try shell.cli("html", "grades", "grades.json", "--out", "grades.html")
        #expect(run.status == 0)
        let page = try read("grades.html")
        let chart = try #require(section("distribution", of: page))
        #expect(chart.components(separatedBy: "<rect").count - 1 == 3, "one bar per level")
        #expect(chart.contains("150,000  (50.00 %)"))
        let table = try #require(section("levels", of: page))
        #expect(table.contains("2.00 %") && table.contains("20.00 %") && table.contains("7,500"))
        #expect(page.contains("300,000"))
        expectSelfContained(page)
    }

    @Test func theDrawnSubjectsAreListedWithAPersonsNumberMasked() throws {
        let document = String(Self.grades.dropLast()) + #","draw":{"seed":"7","subjects":["91350100M000100Y43","11010519491231002X"]}}"#
        try shell.write("draw.json", [document])
        let draw = try #require(section("draw", of: try shell.cli("html", "grades", "draw.json").stdout))
        #expect(draw.contains("Seed 7: 2 subjects drawn"))
        #expect(draw.contains("<li>91350100M000100Y43</li>") && draw.contains("<li>1101**********002X</li>"))
        try shell.write("nodraw.json", [Self.grades])
        #expect(section("draw", of: try shell.cli("html", "grades", "nodraw.json").stdout) == nil, "no draw asked for, no section")
    }

    static let measures = #"{"subject":"91350100M000100Y43","name":"上海嘉定食品有限公司","kind":"enterprise","asOf":"2024-03-08","grade":{"level":"D","score":30,"model":"default","reasons":[{"fact":"310114-SCJG/YZ-1","ref":"YZSX-2024-1","rule":"directD.list","points":0},{"fact":"310114-SCJG/P-1","ref":"沪市监嘉处〔2023〕123号","rule":"deduct.penalty.serious","points":-35}]},"measures":[{"id":"M-PROCUREMENT-BAR","kind":"punishment","measure":"限制参加政府采购活动","legalBasis":"《中华人民共和国政府采购法》第二十二条第一款第五项","trigger":{"kind":"penaltyInPublicity","severity":"serious","ref":"沪市监嘉处〔2023〕123号","fact":"310114-SCJG/P-1","since":"2023-06-01"},"via":null}]}"#

    @Test func aGradeShowsItsLevelScoreAndReasonsAndAMeasureItsTriggerAndLegalBasis() throws {
        try shell.write("report.json", [Self.measures])
        let page = try shell.cli("html", "report", "report.json").stdout
        let grade = try #require(section("grade", of: page))
        #expect(grade.contains(#"<div class="level level-D">D</div>"#) && grade.contains("Score 30"))
        #expect(grade.contains(#"<td class="num loss">-35</td>"#) && grade.contains(#"<td class="num">0</td>"#))
        let measures = try #require(section("measures", of: page))
        #expect(measures.contains("M-PROCUREMENT-BAR 限制参加政府采购活动"))
        #expect(measures.contains("serious penalty 沪市监嘉处〔2023〕123号 since 2023-06-01"))
        #expect(measures.contains("《中华人民共和国政府采购法》第二十二条第一款第五项"))
    }

    @Test func thePenetrationPageShowsCoverageAndEveryDataGapWithItsReason() throws {
        try shell.write("penetration.json", [Self.penetration])
        let page = try shell.cli("html", "penetration", "penetration.json").stdout
        #expect(try #require(section("coverage", of: page)).contains("98.33 % — 118 of 120 records linked"))
        let gaps = try #require(section("gaps", of: page))
        #expect(gaps.contains("91350100M000100Y43") && gaps.contains("no legal representative known on 2021-03-02"))
        expectSelfContained(page)
    }

    @Test func aKeyAddedToADocumentShowsInASectionOfItsOwn() throws {
        let document = String(Self.penetration.dropLast()) + #","sampling":{"drawnOn":"2024-07-01","inspectors":["310114-SCJG"]}}"#
        try shell.write("more.json", [document])
        let page = try shell.cli("html", "penetration", "more.json").stdout
        let more = try #require(section("more-sampling", of: page))
        #expect(more.contains("Drawn on") && more.contains("2024-07-01"))
    }

    @Test func htmlRefusesWhatItCannotRenderNamingTheFileAndWhere() throws {
        try shell.write("bad.json", [#"{"asOf":"2024-06-30","records":12x}"#])
        let bad = try shell.cli("html", "penetration", "bad.json")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("bad.json: not a JSON document: byte 33: expected }"))
        try shell.write("list.json", ["[1,2]"])
        #expect(try shell.cli("html", "grades", "list.json").stderr.contains("list.json: a page is rendered from a JSON object"))
        let missing = try shell.cli("html", "grades", "missing.json")
        #expect(missing.status == 1 && missing.stderr.contains("cannot read missing.json"))
        try shell.write("grades.json", [Self.grades])
        let unwritable = try shell.cli("html", "grades", "grades.json", "--out", "no/such/dir/grades.html")
        #expect(unwritable.status == 1 && unwritable.stderr.contains("cannot write no/such/dir/grades.html"))
        #expect(try shell.cli("html", "ledger", "grades.json").status == 64)
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
