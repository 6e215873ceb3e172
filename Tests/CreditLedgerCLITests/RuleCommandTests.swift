import Foundation
import Testing

/// `grades`, `penetration`, `match`, `feedback` and the subject document's grade, linked records and
/// measures, run as a user runs them.
@Suite struct RuleCommandTests {
    let cli = CLITests()

    static let company = CLITests.company
    static let lr = "11010519491231002X"
    static func line(_ id: String, _ type: String, _ subject: String, _ date: String, _ body: String) -> String {
        #"{"id":"\#(id)","type":"\#(type)","subject":"\#(subject)","source":"310114-FY","effective":"\#(date)","body":\#(body)}"#
    }

    /// A company whose legal representative holds the role when it is listed as a judgment defaulter.
    static let facts = [
        CLITests.registration, CLITests.role,
        line("L-1", "list.entered", company, "2023-03-01",
             #"{"listNo":"(2023)沪0114执1号","list":"judgmentDefaulter","field":"other","reason":"有履行能力而拒不履行","publishFrom":"2023-04-01"}"#),
        line("F-1", "measure.applied", company, "2023-05-10",
             #"{"measureId":"M-HIGH-CONSUMPTION","scene":"highConsumption","outcome":"applied","caseRef":"(2023)沪0114执1号"}"#),
    ]

    func ledger() throws {
        try cli.write("facts.jsonl", Self.facts)
        #expect(try cli.cli("import", "--ledger", "L", "facts.jsonl").status == 0)
    }

    func json(_ run: CLITests.Run) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
    }

    @Test func matchListsTheHighConsumptionBanForTheLegalRepresentativeWithItsPath() throws {
        try ledger()
        let run = try cli.cli("match", Self.lr, "--scene", "highConsumption", "--ledger", "L", "--as-of", "2023-06-01", "--json")
        #expect(run.status == 0)
        let measures = try #require(try json(run)["measures"] as? [[String: Any]])
        let ban = try #require(measures.first { $0["id"] as? String == "M-HIGH-CONSUMPTION" })
        #expect((ban["legalBasis"] as? String)?.contains("法释〔2015〕17号") == true)
        #expect((ban["trigger"] as? [String: Any])?["ref"] as? String == "(2023)沪0114执1号")
        let via = try #require(ban["via"] as? [String: Any])
        #expect(via["organisation"] as? String == Self.company && via["role"] as? String == "legalRepresentative")
        // In the grace period (before publishFrom) nothing applies yet.
        let grace = try cli.cli("match", Self.lr, "--scene", "highConsumption", "--ledger", "L", "--as-of", "2023-03-15", "--json")
        #expect((try json(grace)["measures"] as? [Any])?.isEmpty == true)
    }

    @Test func matchRefusesAnUnknownSceneAsAUsageError() throws {
        try ledger()
        let run = try cli.cli("match", Self.company, "--scene", "karaoke", "--ledger", "L")
        #expect(run.status == 64 && run.stderr.contains("--scene karaoke: not a scene"))
    }

    @Test func gradesCountEverySubjectAndTheDrawIsReproducible() throws {
        try ledger()
        let first = try cli.cli("grades", "--ledger", "L", "--as-of", "2023-06-01", "--draw", "7", "--json")
        let second = try cli.cli("grades", "--ledger", "L", "--as-of", "2023-06-01", "--draw", "7", "--json", "--html", "grades.html")
        #expect(first.status == 0 && first.stdout.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression)
            == second.stdout.replacingOccurrences(of: #""knownAt":"[^"]*""#, with: "", options: .regularExpression))
        let levels = try #require(try json(first)["levels"] as? [[String: Any]])
        #expect(levels.map { $0["level"] as? String } == ["A", "B", "C", "D", "M"])
        let d = try #require(levels.first { $0["level"] as? String == "D" })
        #expect(d["count"] as? Int == 1, "a judgment defaulter is graded D directly")
        #expect(FileManager.default.fileExists(atPath: cli.directory + "/grades.html"))
    }

    @Test func aDistrictModelFileWithAnErrorIsRefusedNamingTheFile() throws {
        try ledger()
        try cli.write("model.json", [#"{"id": ""}"#])
        let run = try cli.cli("grades", "--ledger", "L", "--model", "model.json")
        #expect(run.status == 1 && run.stderr.contains("model.json"))
    }

    @Test func penetrationReportsCoverageAndThePersonSeesTheLinkedRecord() throws {
        try ledger()
        let run = try cli.cli("penetration", "--ledger", "L", "--as-of", "2023-06-01", "--json")
        let coverage = try json(run)
        #expect(coverage["records"] as? Int == 1 && coverage["linked"] as? Int == 1 && coverage["coverage"] as? Double == 1)
        let person = try json(try cli.cli("subject", Self.lr, "--ledger", "L", "--as-of", "2023-06-01", "--json"))
        let linked = try #require(person["linkedRecords"] as? [[String: Any]])
        #expect(linked.count == 1 && linked[0]["organisation"] as? String == Self.company && linked[0]["role"] as? String == "legalRepresentative")
        let company = try json(try cli.cli("subject", Self.company, "--ledger", "L", "--as-of", "2023-06-01", "--json"))
        #expect((company["grade"] as? [String: Any])?["level"] as? String == "D")
        #expect((company["measures"] as? [[String: Any]])?.isEmpty == false)
    }

    @Test func feedbackCountsTheDepartmentsAnswers() throws {
        try ledger()
        let report = try json(try cli.cli("feedback", "--ledger", "L", "--from", "2023-01-01", "--to", "2023-12-31", "--json"))
        let rows = try #require(report["rows"] as? [[String: Any]])
        let row = try #require(rows.first { $0["measure"] as? String == "M-HIGH-CONSUMPTION" && $0["department"] as? String == "FY" })
        #expect(row["feedback"] as? Int == 1 && row["triggered"] as? Int == 1)
        #expect((row["cases"] as? [[String: Any]])?.first?["caseRef"] as? String == "(2023)沪0114执1号")
    }

    @Test func feedbackTextNamesTheDepartmentAndTheOutcomeInChineseFirst() throws {
        try ledger()
        let text = try cli.cli("feedback", "--ledger", "L", "--from", "2023-01-01", "--to", "2023-12-31").stdout
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "联合奖惩执行反馈：2023年1月1日 – 2023年12月31日", "\(text)")
        let row = try #require(lines.first { $0.hasPrefix("M-HIGH-CONSUMPTION") && $0.contains("区人民法院") }, "FY by its name: \(text)")
        #expect(row.hasSuffix("1          1     100.0%"), "triggered, feedback, rate: \(row)")
        #expect(lines.contains { $0.hasPrefix("    典型案例 (2023)沪0114执1号：") && $0.hasSuffix("已实施") }, "\(text)")
        let english = try cli.cli("feedback", "--ledger", "L", "--from", "2023-01-01", "--to", "2023-12-31", "--lang", "en").stdout
        #expect(english.contains("Joint-measure feedback: 2023-01-01 – 2023-12-31") && english.contains("District People's Court") && english.contains("applied"))
    }
}
