import Foundation
import Testing

/// Text and pages a clerk can hand out: Chinese first from the label table, departments from the
/// source directory (a district's own laid over the shipped one), a credit report with its number,
/// issuing body, date of issue and a verification command that really prints the digest it shows;
/// English on request (`--lang en`); JSON untouched.
@Suite struct WordingTests {
    let shell = CLITests()

    /// The company of CLITests, its legal representative and its 2023-06-01 general food-safety penalty.
    func ledger() throws {
        try shell.write("facts.jsonl", [CLITests.registration, CLITests.role, CLITests.penalty])
        #expect(try shell.cli("import", "--ledger", "L", "facts.jsonl").status == 0)
    }

    func report(_ extra: String...) throws -> CLITests.Run {
        try shell.run(try CLITests.executable(), ["report", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10",
                                                  "--issuer", "上海市嘉定区发展和改革委员会（区信用办）", "--issued", "2026-12-01"] + extra)
    }

    @Test func theTextReportIsChineseFirstWithDepartmentsRuleTitlesAndSecondsNotMicroseconds() throws {
        try ledger()
        let run = try report("--known-at", "2030-01-01")
        #expect(run.status == 0, "\(run.stderr)")
        let text = run.stdout
        for words in ["信用报告", "上海嘉定食品有限公司", "B级", "一般失信行政处罚公示期内", "[区市场监管局 P-1]", "食品安全 一般失信",
                      "数据截至: 2030-01-01 23:59:59（北京时间）", "评价日期: 2023年9月10日"] {
            #expect(text.contains(words), "\(words) in \(text)")
        }
        for code in ["foodSafety", "deduct.penalty.general", "310114-SCJG/P-1", ".999999"] {
            #expect(!text.contains(code), "no code \(code) in the text")
        }
    }

    @Test func aReportCarriesItsNumberIssuerDateOfIssueAndACommandThatPrintsItsDigest() throws {
        try ledger()
        let run = try report()
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains("出具单位: 上海市嘉定区发展和改革委员会（区信用办）    出具日期: 2026年12月1日"))
        let number = try #require(lines.first { $0.hasPrefix("报告编号: XYBG-20261201-") })
        #expect(number.count == "报告编号: XYBG-20261201-".count + 10)
        #expect(lines.contains { $0.contains("台账状态: 3 条记录 · ") })
        let digest = try #require(lines.first { $0.hasPrefix("  视图摘要: ") }).dropFirst("  视图摘要: ".count)
        let command = try #require(lines.first { $0.hasPrefix("  核验命令: credit-ledger digest --ledger L --as-of 2023-09-10 --known-at ") })
        let words = command.dropFirst("  核验命令: credit-ledger ".count).split(separator: " ").map(String.init)
        let verified = try shell.run(try CLITests.executable(), words)
        #expect(verified.status == 0 && verified.stdout == digest + "\n", "the command on the report prints the digest on the report")
        // More facts later: the same command still gives the report's digest, and a new report a new number.
        try shell.write("later.jsonl", [CLITests.penalty.replacingOccurrences(of: "P-1", with: "P-2").replacingOccurrences(of: "123号", with: "124号")])
        #expect(try shell.cli("import", "--ledger", "L", "later.jsonl").status == 0)
        #expect(try shell.run(try CLITests.executable(), words).stdout == digest + "\n")
        let again = try report()
        #expect(!again.stdout.contains(number), "another ledger head, another report number")
    }

    @Test func theSameLedgerSubjectAndDatesGiveTheSamePageByteForByte() throws {
        try ledger()
        let first = try report("--format", "html", "--known-at", "2030-01-01")
        let second = try report("--format", "html", "--known-at", "2030-01-01")
        #expect(first.status == 0 && first.stdout == second.stdout)
        for words in ["XYBG-20261201-", "上海市嘉定区发展和改革委员会（区信用办）", "2026年12月1日", "credit-ledger digest --ledger L --as-of 2023-09-10 --known-at 2030-01-01",
                      "@page{size:A4", "counter(page)", #"<html lang="zh-CN">"#] {
            #expect(first.stdout.contains(words), "\(words)")
        }
    }

    @Test func aSubjectWithNothingToGradeIsMWithNoRecordsNotGradedExplained() throws {
        try shell.write("facts.jsonl", [CLITests.registration])
        #expect(try shell.cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let text = try report()
        #expect(text.stdout.contains("M级（无记载不评价）") && text.stdout.contains("不代表信用良好或不良"))
        let page = try report("--format", "html").stdout
        #expect(page.contains(#"<p class="note m-explained">"#) && page.contains("无记载不评价"))
        let subject = try shell.cli("subject", CLITests.company, "--ledger", "L", "--as-of", "2023-09-10")
        #expect(subject.stdout.contains("M级（无记载不评价）"))
    }

    @Test func langEnKeepsEnglishAndJSONKeepsTheCodes() throws {
        try ledger()
        let text = try report("--lang", "en").stdout
        for words in ["Credit report", "Grade: B (Score 90, Model default)", "food safety general", "[District Market Regulation Bureau P-1]",
                      "general penalty in publicity", "Issued by: 上海市嘉定区发展和改革委员会（区信用办）"] {
            #expect(text.contains(words), "\(words) in \(text)")
        }
        let page = try report("--lang", "en", "--format", "html").stdout
        #expect(page.contains(#"<html lang="en">"#) && page.contains("legal representative") && page.contains("Administrative penalties"))
        let json = try report("--json").stdout
        #expect(json.contains(#""field":"foodSafety","severity":"general""#) && !json.contains("食品安全") && !json.contains("XYBG"))
        #expect(try report("--lang", "fr").status == 64)
    }

    @Test func whyAPenaltyIsNotPublicIsWordedInChineseAndTheJSONCarriesItsCodeAndParameters() throws {
        try ledger()
        let later = ["report", CLITests.company, "--ledger", "L", "--as-of", "2026-06-01"]
        let text = try shell.run(try CLITests.executable(), later).stdout
        #expect(text.contains("沪市监嘉处〔2023〕123号 2023-06-01 食品安全：依据市场监督管理总局令第45号，最长公示期限已于2026年6月1日届满"), "\(text)")
        let english = try shell.run(try CLITests.executable(), later + ["--lang", "en"]).stdout
        #expect(english.contains("the maximum publicity period under 市场监督管理总局令第45号 ended on 2026-06-01"), "\(english)")
        let json = try shell.run(try CLITests.executable(), later + ["--json"]).stdout
        #expect(json.contains(#""whyNotPublic":"the maximum publicity period under 市场监督管理总局令第45号 ended on 2026-06-01","#)
                && json.contains(#""disputed":false,"#
                                 + #""whyNotPublicExplanation":{"code":"penaltyPublicityEnded","parameters":{"instrument":"市场监督管理总局令第45号","date":"2026-06-01"}}}"#),
                "\(json)")
    }

    @Test func aDistrictSourceDirectoryNamesItsOwnDepartments() throws {
        try ledger()
        try shell.write("sources.json", [#"{"sources": {"310114-SCJG": {"zh": "嘉定区市场监督管理局", "en": "Jiading Market Regulation"}}}"#])
        let run = try shell.cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--html", "quality.html", "--sources", "sources.json")
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOfFile: shell.directory + "/quality.html", encoding: .utf8)
        #expect(page.contains("嘉定区市场监督管理局") && !page.contains("区市场监管局"), "the full code's entry wins over SCJG's")
        let text = try report("--sources", "sources.json")
        #expect(text.stdout.contains("[嘉定区市场监督管理局 P-1]"))
    }

    @Test func aBrokenSourceDirectoryOrLabelFileIsRefusedNamingTheFileAndPath() throws {
        try ledger()
        let cases: [(String, String, String)] = [
            ("sources", #"{"sources": {"310114-scjg": {"zh": "区市场监管局"}}}"#, "bad.json: sources.310114-scjg: not a source code"),
            ("sources", #"{"sources": {"SCJG": {"zh": ""}}}"#, "bad.json: sources.SCJG.zh: must not be empty"),
            ("sources", #"{"sources": {"SCJG": {"zh": "区市场监管局", "fr": "x"}}}"#, "bad.json: sources.SCJG.fr: unknown field"),
            ("sources", #"{"source": {}}"#, "bad.json: source: unknown field"),
            ("sources", "{not json", "bad.json: not JSON"),
            ("labels", #"{"vocabularies": {"role": {"legalRepresentativ": {"zh": "法人", "en": "x"}}}}"#,
             "bad.json: vocabularies.role.legalRepresentativ: not in the shipped table"),
            ("labels", #"{"vocabularies": {"role": {"legalRepresentative": {"zh": 1, "en": "x"}}}}"#,
             "bad.json: vocabularies.role.legalRepresentative.zh: expected a string, found an integer"),
        ]
        for (option, content, message) in cases {
            try shell.write("bad.json", [content])
            let run = try report("--\(option)", "bad.json")
            #expect(run.status == 1 && run.stderr.contains(message), "\(content): \(run.stderr)")
        }
        #expect(try report("--sources", "missing.json").stderr.contains("missing.json: cannot read the file"))
    }

    @Test func aDistrictLabelFileChangesTheWordsWithoutCode() throws {
        try ledger()
        try shell.write("labels.json", [#"{"vocabularies": {"role": {"legalRepresentative": {"zh": "法人代表", "en": "legal rep"}}}, "text": {"issuer": {"zh": "发证机关", "en": "Issuer"}}}"#])
        let page = try report("--format", "html", "--labels", "labels.json").stdout
        #expect(page.contains("法人代表") && !page.contains("法定代表人") && page.contains("<dt>发证机关</dt>"))
    }
}

/// `report --format pdf`: printed by the browser `CREDIT_LEDGER_CHROMIUM` names (Chromium in
/// `make check-html`; here a script standing in for it that prints what it was given, so the test
/// runs where no browser is installed), its absence a clear error.
extension WordingTests {
    func environment(browser: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["CREDIT_LEDGER_CHROMIUM"] = browser
        return environment
    }

    @Test func aPDFIsPrintedFromTheMaskedPageByTheBrowserWithoutItsHeaderAndFooter() throws {
        try ledger()
        // Writes the page it was asked to print, behind a PDF signature, where --print-to-pdf says.
        try shell.write("browser.sh", ["#!/bin/sh", "for a in \"$@\"; do case \"$a\" in --print-to-pdf=*) out=${a#--print-to-pdf=};; file://*) page=${a#file://};; esac; done",
                                       "echo \"$@\" > args.txt", "{ printf '%%PDF-1.7\\n'; cat \"$page\"; } > \"$out\""])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shell.directory + "/browser.sh")
        let run = try shell.run(try CLITests.executable(), ["report", CLITests.person, "--ledger", "L", "--as-of", "2023-09-10", "--format", "pdf",
                                                            "--out", "report.pdf"], environment: environment(browser: shell.directory + "/browser.sh"))
        #expect(run.status == 0, "\(run.stderr)")
        let pdf = try String(contentsOfFile: shell.directory + "/report.pdf", encoding: .utf8)
        #expect(pdf.hasPrefix("%PDF-1.7\n<!DOCTYPE html>") && pdf.contains("@page{size:A4") && pdf.contains("1101**********002X"))
        #expect(!pdf.contains(CLITests.person), "printed from the masked page")
        let arguments = try String(contentsOfFile: shell.directory + "/args.txt", encoding: .utf8)
        #expect(arguments.contains("--headless") && arguments.contains("--no-pdf-header-footer"))
    }

    @Test func withoutABrowserOrWithoutOutAPDFIsRefusedBeforeAnythingIsWritten() throws {
        try ledger()
        let missing = try shell.run(try CLITests.executable(), ["report", CLITests.company, "--ledger", "L", "--format", "pdf", "--out", "r.pdf"],
                                    environment: environment(browser: "/nowhere/chromium"))
        #expect(missing.status == 1 && missing.stderr.contains("CREDIT_LEDGER_CHROMIUM=/nowhere/chromium: no such executable"))
        try shell.write("failing.sh", ["#!/bin/sh", "echo 'cannot open display' >&2", "exit 3"])
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: shell.directory + "/failing.sh")
        let failing = try shell.run(try CLITests.executable(), ["report", CLITests.company, "--ledger", "L", "--format", "pdf", "--out", "r.pdf"],
                                    environment: environment(browser: shell.directory + "/failing.sh"))
        #expect(failing.status == 1 && failing.stderr.contains("printed no PDF (exit 3): cannot open display"), "\(failing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: shell.directory + "/r.pdf"))
        #expect(try shell.cli("report", CLITests.company, "--ledger", "L", "--format", "pdf").status == 64, "--format pdf needs --out")
    }
}

/// `--csv FILE` on quality, grades (and the draw) and penetration: tables a spreadsheet opens.
extension WordingTests {
    func csv(_ name: String) throws -> [String] {
        let data = try #require(FileManager.default.contents(atPath: shell.directory + "/" + name))
        #expect(data.starts(with: [0xEF, 0xBB, 0xBF]), "UTF-8 with a byte-order mark")
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasSuffix("\r\n"))
        return text.components(separatedBy: "\r\n").dropLast()
    }

    @Test func qualityGradesDrawsAndGapsAreWrittenAsCSVForAuditors() throws {
        try ledger()
        #expect(try shell.cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--csv", "quality.csv").status == 0)
        let quality = try csv("quality.csv")
        #expect(quality.first == "报送单位,代码,事实,按时,迟报,及时率,未判断,重复,退回,代码错误")
        #expect(quality.dropFirst().first?.hasPrefix("区市场监管局,310114-SCJG,3,") == true, "\(quality)")
        #expect(try shell.cli("grades", "--ledger", "L", "--as-of", "2023-09-10", "--csv", "grades.csv", "--lang", "en").status == 0)
        let grades = try csv("grades.csv")
        #expect(grades.first == "Level,Count,Share,Inspection share" && grades.contains { $0.hasPrefix("B,1,1.0000,") }, "\(grades)")
        #expect(try shell.cli("grades", "--ledger", "L", "--as-of", "2023-09-10", "--draw", "7", "--csv", "draw.csv").status == 0)
        #expect(try csv("draw.csv") == ["随机种子,等级,主体", "7,B,\(CLITests.company)"])
        try shell.write("gaps.jsonl", [CLITests.registration, CLITests.penalty])
        #expect(try shell.cli("import", "--ledger", "G", "gaps.jsonl").status == 0)
        #expect(try shell.cli("penetration", "--ledger", "G", "--as-of", "2023-09-10", "--csv", "gaps.csv").status == 0)
        let gaps = try csv("gaps.csv")
        #expect(gaps.first == "单位,记录,类型,认定日期,原因" && gaps.count == 2 && gaps[1].hasPrefix("\(CLITests.company),沪市监嘉处〔2023〕123号,行政处罚,2023-06-01,"))
        #expect(gaps[1].hasSuffix(",2023年6月1日时无已知的法定代表人、主要负责人、实际控制人或直接责任人，处罚决定书也未载明直接责任人"),
                "the gap's reason worded from the label table: \(gaps[1])")
        #expect(try shell.cli("penetration", "--ledger", "G", "--as-of", "2023-09-10", "--xlsx", "gaps.xlsx").status == 0)
        let sheet = try #require(FileManager.default.contents(atPath: shell.directory + "/gaps.xlsx"))
        #expect(sheet.starts(with: [0x50, 0x4B, 0x03, 0x04]), "a ZIP archive")
        let stored = String(decoding: sheet, as: UTF8.self)
        #expect(stored.contains("<t xml:space=\"preserve\">认定日期</t>") && stored.contains("处罚决定书也未载明直接责任人"), "the same table, entries stored")
        #expect(try shell.cli("penetration", "--ledger", "G", "--subject", CLITests.company, "--xlsx", "x.xlsx").status == 64)
    }
}

extension WordingTests {
    @Test func theSpecialReportReplacingACertificateCarriesItsNumberIssuerAndVerificationAsOfThePeriodsEnd() throws {
        try ledger()
        let arguments = ["report", CLITests.company, "--ledger", "L", "--field", "foodSafety", "--from", "2023-01-01", "--to", "2023-12-31",
                         "--issuer", "嘉定区信用办", "--issued", "2026-12-01"]
        let text = try shell.run(try CLITests.executable(), arguments)
        #expect(text.status == 0 && text.stdout.contains("报告编号: XYBG-20261201-") && text.stdout.contains("出具单位: 嘉定区信用办"))
        let command = try #require(text.stdout.split(separator: "\n").first { $0.hasPrefix("  核验命令: ") })
        #expect(command.contains("digest --ledger L --as-of 2023-12-31 --known-at "), "the digest as of the period's last day")
        let page = try shell.run(try CLITests.executable(), arguments + ["--format", "html"]).stdout
        #expect(page.contains("<dt>报告编号</dt>") && page.contains(#"<section id="verification">"#) && page.contains("嘉定区信用办"))
    }
}
