import Foundation
import Testing

/// The credit office's commands: `indicators`, `lists`, `file`, `worklist`, run as a clerk runs them.
extension CLITests {
    static let officePenalty = #"{"id":"P-1","type":"penalty.decided","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2024-01-10","reported":"2024-01-12T10:00:00+08:00","body":{"decisionNo":"沪市监嘉处〔2024〕1号","kinds":["fine"],"fineYuan":5000,"procedure":"ordinary","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}}"#
    static let officeRepairCommitment = #"{"id":"CR-1","type":"commitment.made","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2024-03-01","body":{"commitmentNo":"CR-1","kind":"repair","matter":"按期整改"}}"#
    static let officeRepair = #"{"id":"RA-1","type":"repair.applied","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2024-03-01","body":{"repairNo":"R-1","target":{"decisionNo":"沪市监嘉处〔2024〕1号"},"commitmentNo":"CR-1"}}"#
    static let officeRed = #"{"id":"L-1","type":"list.entered","subject":"91350100M000100Y43","source":"310114-FGW","effective":"2024-02-01","body":{"listNo":"RED-1","list":"red","field":"other","reason":"守信激励,示范\"企业\""}}"#

    /// A ledger with the company, its legal representative, a penalty reported on time, a red-list
    /// entry and a repair application with its repair commitment (due 2024-03-15, 10 working days).
    func officeLedger() throws {
        try write("office.jsonl", [Self.registration, Self.role, Self.officePenalty, Self.officeRed, Self.officeRepairCommitment, Self.officeRepair])
        let run = try cli("import", "--ledger", "L", "office.jsonl")
        #expect(run.status == 0, "\(run.stderr)")
    }

    @Test func indicatorsForAYearGiveEachFigureBesideItsTarget() throws {
        try officeLedger()
        let json = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-12-31", "--period", "year", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        // 2024: the penalty, the red entry, the repair commitment and application; the penalty reported in 2 days.
        #expect(json.stdout.contains(#"{"key":"factsReported","value":4,"targetMet":null}"#), "\(json.stdout)")
        #expect(json.stdout.contains(#"{"key":"onTimeRate","value":1,"numerator":1,"denominator":1,"targetMet":true}"#))
        #expect(json.stdout.contains(#"{"key":"listEntries.red","value":1,"targetMet":null}"#))
        #expect(json.stdout.contains(#""id":"codeErrorRate","name":"重错码率 (code error rate)""#))
        #expect(json.stdout.contains("重错码率要低于万分之一"))
        let csv = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--csv")
        #expect(csv.status == 0)
        #expect(csv.stdout.hasPrefix("\u{FEFF}期间 period,"), "a byte-order mark for Excel")
        #expect(csv.stdout.contains("\r\n2024-01,2024-01-01,2024-01-31,district,factsReported,"))
        let text = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--period", "quarter")
        #expect(text.status == 0 && text.stdout.contains("== 2024-Q1"))
    }

    @Test func indicatorsRefuseABadPeriodOrAnInvertedRange() throws {
        try officeLedger()
        #expect(try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-12-31", "--period", "week").status == 64)
        let inverted = try cli("indicators", "--ledger", "L", "--from", "2024-12-31", "--to", "2024-01-01")
        #expect(inverted.status == 64 && inverted.stderr.contains("after --to"))
    }

    @Test func listsShowEntriesWithReasonAndDecidingBodyAndExportCSV() throws {
        try officeLedger()
        let json = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains(#""listNo":"RED-1","list":"red","field":"other","entered":"2024-02-01""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""decidingBody":"310114-FGW""#))
        let csv = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31", "--csv")
        #expect(csv.stdout.hasPrefix("\u{FEFF}"))
        #expect(csv.stdout.contains(#","守信激励,示范""企业""",310114-FGW,"#), "a reason with a comma and quotes is quoted: \(csv.stdout)")
        #expect(try cli("lists", "--ledger", "L", "--list", "blacklist", "--as-of", "2024-03-31").status == 64)
    }

    @Test func fileOfAPersonShowsTheOrganisationsTheyLinkToMasked() throws {
        try officeLedger()
        let company = try cli("file", Self.company, "--ledger", "L", "--as-of", "2024-03-31", "--json")
        #expect(company.status == 0, "\(company.stderr)")
        #expect(company.stdout.contains(#""type":"repair.applied","fact":"310114-SCJG/RA-1""#))
        #expect(company.stdout.contains(#""status":"pending since 2024-03-01""#))
        let person = try cli("file", "11010519491231002X", "--ledger", "L", "--as-of", "2024-03-31")
        #expect(person.status == 0, "\(person.stderr)")
        #expect(person.stdout.contains("role: legalRepresentative of \(Self.company)"))
        #expect(!person.stdout.contains("11010519491231002X"), "identity numbers are masked")
        let shown = try cli("file", "11010519491231002X", "--ledger", "L", "--as-of", "2024-03-31", "--show-identities")
        #expect(shown.stdout.contains("11010519491231002X"))
        let unknown = try cli("file", "91310114000070033W", "--ledger", "L", "--json")
        #expect(unknown.status == 3 && unknown.stdout.contains(#""inLedger":false"#), "a code the ledger never saw: exit 3")
    }

    @Test func worklistFlagsOverdueRepairs() throws {
        try officeLedger()
        let json = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains(#""number":"R-1","target":"penalty 沪市监嘉处〔2024〕1号","received":"2024-03-01","due":"2024-03-15","workingDaysLeft":-3,"overdue":true"#),
                "\(json.stdout)")
        #expect(try cli("worklist", "appeals", "--ledger", "L").status == 64)
    }
    @Test func officeCommandsRefuseOptionsThatDoNotFit() throws {
        try officeLedger()
        let asOf = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-12-31", "--as-of", "2024-06-30")
        #expect(asOf.status == 64 && asOf.stderr.contains("not --as-of"))
        #expect(try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-12-31", "--csv", "--json").status == 64)
        #expect(try cli("indicators", "--ledger", "L", "--from", "2024-13-01", "--to", "2024-12-31").status == 64)
        let from = try cli("lists", "--ledger", "L", "--list", "red", "--as-of", "2024-03-31", "--from", "2024-04-01")
        #expect(from.status == 64 && from.stderr.contains("after --as-of"))
        #expect(try cli("lists", "--ledger", "L", "--list", "red", "--horizon", "-1").status == 64)
        #expect(try cli("lists", "--ledger", "L", "--list", "red", "--csv", "--json").status == 64)
        #expect(try cli("file", "not-a-code", "--ledger", "L").status == 1)
        #expect(try cli("indicators", "--ledger", "missing", "--from", "2024-01-01", "--to", "2024-12-31").status == 2)
    }
}

extension CLITests {
    /// The bundled default model, read from the source tree.
    static func defaultModelText() throws -> String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try String(contentsOf: root.appendingPathComponent("Sources/CreditLedger/Resources/grading-default.json"), encoding: .utf8)
    }

    @Test func gradesByIndustryUseTheModelTheMapGivesEachIndustry() throws {
        let catering = #"{"id":"R-9","type":"subject.registered","subject":"91310114000070033W","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"上海嘉定餐饮有限公司","kind":"enterprise","region":"310114","industry":"餐饮"}}"#
        try write("industry.jsonl", [Self.registration, Self.role, catering])
        #expect(try cli("import", "--ledger", "L", "industry.jsonl").status == 0)
        let model = try Self.defaultModelText().replacingOccurrences(of: #""id": "default""#, with: #""id": "industry-catering""#)
        try model.write(toFile: directory + "/catering.json", atomically: true, encoding: .utf8)
        try write("industries.json", [#"{"defaultModel":"default","industries":{"餐饮":"industry-catering"}}"#])
        let run = try cli("grades", "--ledger", "L", "--as-of", "2024-06-30", "--industries", "industries.json",
                          "--industry-model", "catering.json", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""industries":{"餐饮":"industry-catering"},"models":[{"asOf":"2024-06-30""#), "\(run.stdout)")
        #expect(run.stdout.contains(#""model":"default","subjects":1"#) && run.stdout.contains(#""model":"industry-catering","subjects":1"#))
        #expect(run.stdout.contains(#""overall":{"subjects":2"#))
        let unknown = try cli("grades", "--ledger", "L", "--industries", "industries.json")
        #expect(unknown.status == 1 && unknown.stderr.contains("industries.json") && unknown.stderr.contains("industry-catering"))
        #expect(try cli("grades", "--ledger", "L", "--industries", "industries.json", "--draw", "7").status == 64)
        #expect(try cli("grades", "--ledger", "L", "--industry-model", "catering.json").status == 64)
    }
}
