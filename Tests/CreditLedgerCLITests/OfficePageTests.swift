import Foundation
import Testing

/// The credit office's outputs as a clerk hands them out: `indicators`, `lists`, `file` and
/// `worklist` as pages (`--format html`: escaped, masked, Chinese first, through templates a
/// district can replace), as CSV worded like the pages, and as text, Chinese first with `--lang en`
/// for English.
extension CLITests {
    /// A second food-safety penalty of the company within two years of the first: a repeat-penalty
    /// signal on the risk worklist.
    static let officeRepeatPenalty = CLITests.officePenalty.replacingOccurrences(of: #""id":"P-1""#, with: #""id":"P-3""#)
        .replacingOccurrences(of: "沪市监嘉处〔2024〕1号", with: "沪市监嘉处〔2024〕7号").replacingOccurrences(of: "2024-01-10", with: "2024-02-20")
        .replacingOccurrences(of: "2024-01-12T10:00:00+08:00", with: "2024-02-21T10:00:00+08:00")

    /// The markup of `<section id="ID">…</section>` in `page`.
    func pageSection(_ id: String, of page: String) -> String? {
        guard let start = page.range(of: #"<section id="\#(id)">"#) else { return nil }
        guard let end = page.range(of: "</section>", range: start.upperBound..<page.endIndex) else { return nil }
        return String(page[start.lowerBound..<end.upperBound])
    }

    /// The page loads nothing from elsewhere and runs nothing.
    func expectSelfContainedPage(_ page: String) {
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("<style>") && page.contains("size:A4"))
        for outside in ["<script", "<link", " src=", "@import", "url("] { #expect(!page.contains(outside), "\(outside)") }
    }

    @Test func theIndicatorsPageShowsEachPeriodsFiguresBesideTheirTargetsChineseFirst() throws {
        try officeLedger()
        let run = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--format", "html")
        #expect(run.status == 0, "\(run.stderr)")
        let page = run.stdout
        expectSelfContainedPage(page)
        #expect(page.contains("<h1>社会信用体系建设考核指标</h1>") && page.contains("2024年1月1日 – 2024年3月31日，按月"))
        let district = try #require(pageSection("district", of: page))
        #expect(district.contains(#"<th class="num">2024-01</th><th class="num">2024-02</th><th class="num">2024-03</th>"#), "a column per month")
        // The penalty of 2024-01-10 was reported two days later: January's on-time rate is 1/1, met (green).
        #expect(district.contains(#"<td>及时率 (on-time rate)</td><td class="num gain">100.00 %</td><td>—</td><td>—</td>"#), "\(district)")
        #expect(district.contains("列入名单 (list entries) · 守信激励对象名单（红名单）"), "a list's entries named by the list's words")
        #expect(district.contains("信用修复 (credit repairs) · 申请"))
        let definitions = try #require(pageSection("definitions", of: page))
        #expect(definitions.contains("重错码率要低于万分之一"), "the plans' targets beside the definitions")
        let departments = try #require(pageSection("departments", of: page))
        #expect(departments.contains("区市场监管局") && departments.contains("310114-SCJG"), "departments by name, the code beside")
        let english = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--format", "html", "--lang", "en")
        #expect(english.status == 0 && english.stdout.contains("<h1>Credit system assessment indicators</h1>")
                && english.stdout.contains("2024-01-01 – 2024-03-31; by month"))
    }

    @Test func indicatorsCSVAndTextAreWordedChineseFirstAndEnglishOnRequest() throws {
        try officeLedger()
        let csv = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--format", "csv")
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stdout.hasPrefix("\u{FEFF}期间,起,止,范围代码,报送单位,指标代码,指标,数值,分子,分母,目标,是否达标,说明\r\n"), "\(csv.stdout.prefix(200))")
        #expect(csv.stdout.contains("\r\n2024-01,2024-01-01,2024-01-31,district,全区,onTimeRate,及时率 (on-time rate),1,1,1,"), "a rate as a fraction")
        #expect(csv.stdout.contains(",310114-SCJG,区市场监管局,factsReported,"), "a department's row names it")
        let flag = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--csv")
        #expect(flag.stdout == csv.stdout, "--csv is --format csv")
        let english = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--csv", "--lang", "en")
        #expect(english.stdout.hasPrefix("\u{FEFF}Period,From,Through,Scope,Department,Figure key,Indicator,Value,"))
        let text = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--period", "quarter")
        #expect(text.status == 0 && text.stdout.contains("== 2024-Q1（2024年1月1日 – 2024年3月31日）"), "\(text.stdout)")
        #expect(text.stdout.contains("100.00 % (1/1)") && text.stdout.contains("及时率 (on-time rate)  [达标]"))
        #expect(text.stdout.contains("区市场监管局（310114-SCJG）："), "departments by name")
        let en = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--period", "quarter", "--lang", "en")
        #expect(en.stdout.contains("[met]") && en.stdout.contains("== 2024-Q1 (2024-01-01 – 2024-03-31)"), "\(en.stdout)")
    }

    @Test func theListPageShowsEntriesWithReasonEscapedAndTheDecidingBodyByName() throws {
        try officeLedger()
        let run = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31", "--format", "html")
        #expect(run.status == 0, "\(run.stderr)")
        expectSelfContainedPage(run.stdout)
        #expect(run.stdout.contains("<h1>守信激励对象名单（红名单）</h1>"))
        let onList = try #require(pageSection("on-list", of: run.stdout))
        #expect(onList.contains("RED-1") && onList.contains("区发展改革委（区信用办）") && onList.contains("2024-02-01"), "\(onList)")
        #expect(onList.contains("守信激励,示范&quot;企业&quot;"), "the reason escaped: \(onList)")
        #expect(pageSection("red-checks", of: run.stdout) != nil && pageSection("rolling-over", of: run.stdout) == nil,
                "the red list is cross-checked; only abnormal operation rolls over")
        let csv = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31", "--csv")
        #expect(csv.stdout.hasPrefix("\u{FEFF}分组,主体,名单文号,领域,列入日期,在列起始,原因,认定部门,"), "\(csv.stdout.prefix(200))")
        #expect(csv.stdout.contains(#","守信激励,示范""企业""",区发展改革委（区信用办）,"#), "a reason with a comma and quotes is quoted: \(csv.stdout)")
        let text = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31")
        #expect(text.stdout.contains("守信激励对象名单（红名单）：评价日期 2024年3月31日"), "\(text.stdout)")
        #expect(text.stdout.contains("\(Self.company) RED-1，2024年2月1日起，其他，认定部门 区发展改革委（区信用办）"), "\(text.stdout)")
    }

    @Test func theFilePageWordsEveryFactsStatusAndMasksThePerson() throws {
        try officeLedger()
        let company = try cli("file", Self.company, "--ledger", "L", "--as-of", "2024-03-31", "--format", "html")
        #expect(company.status == 0, "\(company.stderr)")
        expectSelfContainedPage(company.stdout)
        let entries = try #require(pageSection("entries", of: company.stdout))
        #expect(entries.contains("行政处罚") && entries.contains("沪市监嘉处〔2024〕1号 食品安全"), "\(entries)")
        #expect(entries.contains("2024年3月1日起审核中"), "the repair pending, in words")
        #expect(entries.contains("区市场监管局 P-1"), "the fact by its department")
        #expect(!entries.contains("pending since"), "no English status on the Chinese page")
        let person = try cli("file", "11010519491231002X", "--ledger", "L", "--as-of", "2024-03-31", "--format", "html")
        #expect(person.status == 0)
        #expect(!person.stdout.contains("11010519491231002X") && person.stdout.contains("1101**********002X"), "masked on the page")
        let roles = try #require(pageSection("roles", of: person.stdout))
        #expect(roles.contains("法定代表人") && roles.contains(Self.company))
        let text = try cli("file", "11010519491231002X", "--ledger", "L", "--as-of", "2024-03-31")
        #expect(text.stdout.contains("法定代表人 \(Self.company)"), "\(text.stdout)")
        let unknown = try cli("file", "91310114000070033W", "--ledger", "L", "--format", "html")
        #expect(unknown.status == 3 && unknown.stdout.contains("本台账无该主体信息"), "the page with its notice, exit 3")
    }

    @Test func theWorklistPageMarksOverdueStagesAndTheRiskPageRanksSignals() throws {
        try officeLedger()
        let run = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20", "--format", "html")
        #expect(run.status == 0, "\(run.stderr)")
        expectSelfContainedPage(run.stdout)
        let cases = try #require(pageSection("cases", of: run.stdout))
        // Not accepted by 03-06 (3 working days), not decided by 03-15 (10): overdue by 3 working days on 03-20.
        #expect(cases.contains(#"<span class="badge bad">2024-03-06</span>"#) && cases.contains(#"<span class="badge bad">超期3个工作日</span>"#), "\(cases)")
        #expect(cases.contains("行政处罚 沪市监嘉处〔2024〕1号"), "the record's kind in words")
        let text = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20")
        #expect(text.stdout.contains("信用修复申请 R-1") && text.stdout.contains("【已超期】") && text.stdout.contains("超期3个工作日"), "\(text.stdout)")
        let english = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20", "--lang", "en")
        #expect(english.stdout.contains("OVERDUE") && english.stdout.contains("overdue by 3 working days"), "\(english.stdout)")

        try write("repeat.jsonl", [Self.officeRepeatPenalty])
        #expect(try cli("import", "--ledger", "L", "repeat.jsonl").status == 0)
        let risks = try cli("worklist", "risks", "--ledger", "L", "--as-of", "2024-03-20", "--format", "html")
        #expect(risks.status == 0, "\(risks.stderr)")
        let ranked = try #require(pageSection("risks", of: risks.stdout))
        #expect(ranked.contains(Self.company) && ranked.contains("屡罚屡犯") && ranked.contains("食品安全领域受行政处罚2次"), "\(ranked)")
    }

    @Test func aDistrictTemplateReplacesOneOfficePageAndABrokenOneIsRefusedWithFileAndLine() throws {
        try officeLedger()
        try FileManager.default.createDirectory(atPath: directory + "/district", withIntermediateDirectories: true)
        try write("district/lists.mustache", ["<h1>嘉定区{{list}}</h1>", "{{#onList}}{{#rows}}<p>{{#cells}}{{text}}|{{/cells}}</p>{{/rows}}{{/onList}}"])
        let run = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31", "--format", "html", "--templates", "district")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("<h1>嘉定区守信激励对象名单（红名单）</h1>") && run.stdout.contains("守信激励,示范&quot;企业&quot;|"),
                "the district's page, values still escaped: \(run.stdout)")
        #expect(run.stdout.contains("<style>") && !run.stdout.contains(#"<section id="on-list">"#), "the shipped layout frames the district's content")
        try write("district/indicators.mustache", ["<h1>{{t.indicatorsTitle}}</h1>", "{{#district}}", "{{> table}}"])
        let broken = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--format", "html",
                             "--templates", "district", "--out", "indicators.html")
        #expect(broken.status == 1 && broken.stderr.contains("district/indicators.mustache:4: a section is opened and never closed"), "\(broken.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/indicators.html"), "no page from a broken template")
    }

    @Test func officeFormatsThatDoNotFitAreUsageErrors() throws {
        try officeLedger()
        #expect(try cli("file", Self.company, "--ledger", "L", "--format", "csv", "--json").status == 64, "two formats")
        let csv = try cli("file", Self.company, "--ledger", "L", "--format", "csv")
        #expect(csv.status == 0 && csv.stdout.hasPrefix("\u{FEFF}生效日期 effective,"), "the file's table, as --csv writes it")
        #expect(try cli("worklist", "risks", "--ledger", "L", "--format", "html", "--json").status == 64)
        #expect(try cli("lists", "--ledger", "L", "--list", "red", "--format", "html", "--csv").status == 64)
        #expect(try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--format", "pdf").status == 64, "pdf needs --out")
        #expect(try cli("worklist", "repairs", "--ledger", "L", "--templates", "district").status == 64, "--templates without a page")
        let out = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20", "--format", "html", "--out", "worklist.html")
        #expect(out.status == 0 && out.stdout.isEmpty)
        #expect(try String(contentsOfFile: directory + "/worklist.html", encoding: .utf8).contains("信用修复申请办理清单"))
    }

    @Test func progressIsWordedChineseFirst() throws {
        try officeLedger()
        let text = try cli("progress", Self.company, "--ledger", "L", "--as-of", "2024-03-10")
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("办理进度：\(Self.company)，评价日期 2024年3月10日"), "\(text.stdout)")
        #expect(text.stdout.contains("信用修复申请 R-1：涉及记录 行政处罚 沪市监嘉处〔2024〕1号，已收到  【已超期】"), "\(text.stdout)")
        #expect(text.stdout.contains("收到日期 2024年3月1日"))
        let english = try cli("progress", Self.company, "--ledger", "L", "--as-of", "2024-03-10", "--lang", "en")
        #expect(english.stdout.contains("Repair application R-1: Record Penalty 沪市监嘉处〔2024〕1号, received  OVERDUE"), "\(english.stdout)")
    }
}
