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
        #expect(csv.stdout.hasPrefix("\u{FEFF}期间,"), "a byte-order mark for Excel")
        #expect(csv.stdout.contains("\r\n2024-01,2024-01-01,2024-01-31,district,全区,factsReported,"))
        let text = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-03-31", "--period", "quarter")
        #expect(text.status == 0 && text.stdout.contains("== 2024-Q1"))
    }

    @Test func indicatorsJudgeByADistrictsOwnTargetsAndRefuseABadFile() throws {
        try officeLedger()
        try write("targets.json", [#"{"indicators":{"onTimeRate":{"targets":[{"target":"≥ 99 %","plan":"《某区工作要点》","clause":"第2条","below":0.5}]}}}"#])
        let json = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-12-31", "--period", "year", "--json",
                           "--indicators", "targets.json")
        #expect(json.status == 0, "\(json.stderr)")
        // The one act was on time (1/1): the district's made-up "below 50 %" is not met.
        #expect(json.stdout.contains(#"{"key":"onTimeRate","value":1,"numerator":1,"denominator":1,"targetMet":false}"#), "\(json.stdout)")
        #expect(json.stdout.contains(#"{"target":"≥ 99 %","plan":"《某区工作要点》","clause":"第2条"}"#))
        try write("bad.json", [#"{"indicators":{"onTimeRate":{"targets":[{"target":"x","plan":"p","clause":"c","atleast":1}]}}}"#])
        let bad = try cli("indicators", "--ledger", "L", "--from", "2024-01-01", "--to", "2024-12-31", "--indicators", "bad.json")
        #expect(bad.status != 0 && bad.stderr.contains("indicators.onTimeRate.targets[0].atleast: unknown field"), "\(bad.stderr)")
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
        #expect(csv.stdout.contains(#","守信激励,示范""企业""",区发展改革委（区信用办）,"#), "a reason with a comma and quotes is quoted: \(csv.stdout)")
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
        #expect(person.stdout.contains("法定代表人 \(Self.company)"))
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
        #expect(json.stdout.contains(#""regime":"standard""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""number":"R-1","target":"penalty 沪市监嘉处〔2024〕1号","stage":"received","received":"2024-03-01""#))
        // Not accepted within 3 working days (03-06): ten working days overdue on 03-20; not decided by 03-15: three.
        #expect(json.stdout.contains(#""due":"2024-03-06","done":null,"workingDaysLeft":-10,"overdue":true,"late":false}"#))
        #expect(json.stdout.contains(#""due":"2024-03-15","workingDaysLeft":-3,"overdue":true}"#))
        let shanghai = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20", "--case-regime", "shanghai2017")
        #expect(shanghai.status == 0 && shanghai.stdout.contains("R-1") && !shanghai.stdout.contains("已超期"), "\(shanghai.stdout)")
        let unknown = try cli("worklist", "repairs", "--ledger", "L", "--case-regime", "beijing")
        #expect(unknown.status == 1 && unknown.stderr.contains(#"no regime "beijing""#), "\(unknown.stderr)")
        #expect(try cli("worklist", "appeals", "--ledger", "L").status == 64)
    }

    @Test func worklistsAndTheFileExportCSVForExcel() throws {
        try officeLedger()
        let repairs = try cli("worklist", "repairs", "--ledger", "L", "--as-of", "2024-03-20", "--csv")
        #expect(repairs.status == 0, "\(repairs.stderr)")
        #expect(repairs.stdout.hasPrefix("\u{FEFF}主体 subject,类型 kind,编号 number,"), "a byte-order mark for Excel")
        #expect(repairs.stdout.contains("\r\n\(Self.company),repair,R-1,penalty 沪市监嘉处〔2024〕1号,received,2024-03-01,2024-03-06,,-10,是 yes,2024-03-15,,-3,是 yes,,是 yes\r\n"),
                "\(repairs.stdout)")
        let file = try cli("file", Self.company, "--ledger", "L", "--as-of", "2024-03-31", "--csv")
        #expect(file.status == 0 && file.stdout.hasPrefix("\u{FEFF}生效日期 effective,类型 type,事实 fact,"))
        #expect(file.stdout.contains("\r\n2024-03-01,repair.applied,310114-SCJG/RA-1,"), "\(file.stdout)")
        #expect(file.stdout.contains(",pending since 2024-03-01,"))
        let person = try cli("file", "11010519491231002X", "--ledger", "L", "--as-of", "2024-03-31", "--csv")
        #expect(person.stdout.contains("2020-01-10,role,\(Self.company),,legalRepresentative,") && !person.stdout.contains("11010519491231002X"),
                "roles after the facts, identity numbers masked: \(person.stdout)")
        let risks = try cli("worklist", "risks", "--ledger", "L", "--as-of", "2024-03-20", "--csv")
        #expect(risks.status == 0 && risks.stdout.hasPrefix("\u{FEFF}排名 rank,主体 subject,"))
        #expect(try cli("worklist", "repairs", "--ledger", "L", "--csv", "--json").status == 64)
        #expect(try cli("file", Self.company, "--ledger", "L", "--csv", "--json").status == 64)
    }
    @Test func anApprovedRepairHasItsProgressAndItsCertificate() throws {
        try officeLedger()
        let c = Self.company
        // A penalty of 2023 in the SCJG channel (field other: repair after six months), performed;
        // its repair R-2 applied 2024-03-01, accepted 03-04, approved 04-15.
        try write("repair.jsonl", [
            #"{"id":"P-2","type":"penalty.decided","subject":"\#(c)","source":"310114-SCJG","effective":"2023-01-05","body":{"decisionNo":"沪市监嘉处〔2023〕9号","kinds":["fine"],"fineYuan":5000,"procedure":"ordinary","field":"other","legalBasis":"《广告法》第五十五条"}}"#,
            #"{"id":"PP-2","type":"penalty.performed","subject":"\#(c)","source":"310114-SCJG","effective":"2023-01-20","body":{"decisionNo":"沪市监嘉处〔2023〕9号"}}"#,
            #"{"id":"CR-2","type":"commitment.made","subject":"\#(c)","source":"310114-SCJG","effective":"2024-03-01","body":{"commitmentNo":"CR-2","kind":"repair","matter":"按期整改"}}"#,
            #"{"id":"RA-2","type":"repair.applied","subject":"\#(c)","source":"310114-SCJG","effective":"2024-03-01","body":{"repairNo":"R-2","target":{"decisionNo":"沪市监嘉处〔2023〕9号"},"commitmentNo":"CR-2"}}"#,
            #"{"id":"RA-3","type":"repair.accepted","subject":"\#(c)","source":"310114-SCJG","effective":"2024-03-04","body":{"repairNo":"R-2"}}"#,
            #"{"id":"RA-4","type":"repair.decided","subject":"\#(c)","source":"310114-SCJG","effective":"2024-04-15","body":{"repairNo":"R-2","outcome":"approved"}}"#,
        ])
        let imported = try cli("import", "--ledger", "L", "repair.jsonl")
        #expect(imported.status == 0, "\(imported.stderr)")
        let progress = try cli("progress", c, "R-2", "--ledger", "L", "--as-of", "2024-04-30", "--json")
        #expect(progress.status == 0, "\(progress.stderr)")
        #expect(progress.stdout.contains(#""stage":"decided","received":"2024-03-01","accepted":"2024-03-04","decided":"2024-04-15","outcome":"approved""#),
                "\(progress.stdout)")
        #expect(progress.stdout.contains(#""due":"2024-03-15","done":"2024-04-15","workingDaysLeft":null,"overdue":false,"late":true}"#),
                "decided after its 10 working days")
        let text = try cli("progress", c, "--ledger", "L", "--as-of", "2024-03-10")
        #expect(text.status == 0 && text.stdout.contains("信用修复申请 R-2：涉及记录 行政处罚 沪市监嘉处〔2023〕9号，已受理"), "\(text.stdout)")
        #expect(text.stdout.contains("信用修复申请 R-1：涉及记录 行政处罚 沪市监嘉处〔2024〕1号，已收到  【已超期】"))
        #expect(try cli("progress", c, "R-9", "--ledger", "L", "--as-of", "2024-04-30").status == 3)

        let json = try cli("certificate", c, "R-2", "--ledger", "L", "--as-of", "2024-04-30", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains(#""certificate":"信用修复证明","subject":"\#(c)""#), "\(json.stdout)")
        #expect(json.stdout.contains(#""stopped":[{"kind":"penalty","number":"沪市监嘉处〔2023〕9号","detail":"other, decided 2023-01-05","effect":"publicity and sharing ended (终止公示)","from":"2024-04-15"}]"#))
        #expect(json.stdout.contains(#""ledger":{"treeSize":12,"#), "bound to the twelve facts it was computed from")
        let html = try cli("certificate", c, "R-2", "--ledger", "L", "--as-of", "2024-04-30", "--format", "html", "--issuer", "嘉定区信用办", "--issued", "2024-05-06")
        #expect(html.status == 0, "\(html.stderr)")
        #expect(html.stdout.contains("信用修复证明") && html.stdout.contains("XYXF-20240506-") && html.stdout.contains("嘉定区信用办"))
        #expect(html.stdout.contains("credit-ledger digest --ledger"), "the verification reference")
        let text2 = try cli("certificate", c, "R-2", "--ledger", "L", "--as-of", "2024-04-30")
        #expect(text2.status == 0 && text2.stdout.hasPrefix("信用修复证明 "), "Chinese first: \(text2.stdout)")
        #expect(text2.stdout.contains("终止的记录：行政处罚 沪市监嘉处〔2023〕9号（其他，决定日期 2023年1月5日）：终止公示，起 2024年4月15日"), "\(text2.stdout)")
        #expect(!text2.stdout.contains("publicity") && !html.stdout.contains("publicity and sharing"), "the stopped record in Chinese only")
        #expect(text2.stdout.contains("计算依据：台账前 12 条记录"), "\(text2.stdout)")
        let english = try cli("certificate", c, "R-2", "--ledger", "L", "--as-of", "2024-04-30", "--lang", "en")
        #expect(english.stdout.contains("Stopped: Penalty 沪市监嘉处〔2023〕9号") && english.stdout.contains("publicity and sharing ended")
                && english.stdout.contains("computed from the ledger's first 12 facts"),
                "\(english.stdout)")
        let early = try cli("certificate", c, "R-2", "--ledger", "L", "--as-of", "2024-04-01")
        #expect(early.status == 1 && early.stderr.contains("not decided on 2024-04-01"), "\(early.stderr)")
        #expect(try cli("certificate", c, "R-9", "--ledger", "L", "--as-of", "2024-04-30").status == 3)
    }

    @Test func theCreditReportShowsHonoursContractsAndEvaluations() throws {
        try officeLedger()
        let c = Self.company
        try write("conduct.jsonl", [
            #"{"id":"H-1","type":"honour.granted","subject":"\#(c)","source":"310114-FGW","effective":"2024-05-01","body":{"title":"嘉定区守信示范企业","level":"district"}}"#,
            #"{"id":"K-1","type":"contract.performance","subject":"\#(c)","source":"310114-CZJ","effective":"2024-06-30","body":{"contractNo":"ZFCG-2024-7","outcome":"defaulted","amountYuan":120000}}"#,
            #"{"id":"E-1","type":"evaluation.published","subject":"\#(c)","source":"310114-SW","effective":"2024-04-20","body":{"scheme":"tax","grade":"A","year":2023}}"#,
            #"{"id":"H-2","type":"honour.granted","subject":"\#(c)","source":"310114-FGW","effective":"2025-05-01","body":{"title":"上海市诚信企业","level":"municipal"}}"#,
        ])
        #expect(try cli("import", "--ledger", "L", "conduct.jsonl").status == 0)
        let json = try cli("report", c, "--ledger", "L", "--as-of", "2024-12-31", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains(#""honours":[{"title":"嘉定区守信示范企业","level":"district","granted":"2024-05-01","fact":"310114-FGW/H-1"}]"#),
                "the 2025 honour is not yet granted on 2024-12-31: \(json.stdout)")
        #expect(json.stdout.contains(#""contracts":[{"contractNo":"ZFCG-2024-7","outcome":"defaulted","amountYuan":"#))
        #expect(json.stdout.contains(#""evaluations":[{"scheme":"tax","grade":"A","year":2023,"published":"2024-04-20","fact":"310114-SW/E-1"}]"#))
        let text = try cli("report", c, "--ledger", "L", "--as-of", "2024-12-31")
        #expect(text.stdout.contains("荣誉表彰 (1):\n  嘉定区守信示范企业（区级） 2024-05-01"), "\(text.stdout)")
        #expect(text.stdout.contains("合同履约 (1):\n  ZFCG-2024-7 违约 2024-06-30"))
        #expect(text.stdout.contains("行业信用评价 (1):\n  tax 2023 A"))
        let html = try cli("report", c, "--ledger", "L", "--as-of", "2024-12-31", "--format", "html")
        #expect(html.status == 0 && html.stdout.contains("<h2>荣誉表彰</h2>") && html.stdout.contains("区级") && html.stdout.contains("ZFCG-2024-7"))
        #expect(html.stdout.contains("<h2>行业信用评价</h2>") && !html.stdout.contains("上海市诚信企业"))
    }

    @Test func theCreditReportAndTheFileShowLicencesWithTheirStateOnTheDate() throws {
        try officeLedger()
        let c = Self.company
        try write("licences.jsonl", [
            #"{"id":"LG-1","type":"licence.granted","subject":"\#(c)","source":"310114-SCJG","effective":"2022-01-10","body":{"decisionNo":"沪市监嘉许〔2022〕1号","item":"食品经营许可","validUntil":"2024-01-09"}}"#,
            #"{"id":"LG-2","type":"licence.granted","subject":"\#(c)","source":"310114-SCJG","effective":"2022-03-01","body":{"decisionNo":"沪市监嘉许〔2022〕2号","item":"特种设备使用登记"}}"#,
            #"{"id":"P-9","type":"penalty.decided","subject":"\#(c)","source":"310114-SCJG","effective":"2024-06-03","body":{"decisionNo":"沪市监嘉处〔2024〕9号","kinds":["licenceRevoked"],"procedure":"ordinary","severity":"serious","field":"specialEquipment","legalBasis":"《特种设备安全法》第八十四条"}}"#,
        ])
        #expect(try cli("import", "--ledger", "L", "licences.jsonl").status == 0)
        let json = try cli("report", c, "--ledger", "L", "--as-of", "2024-12-31", "--json")
        #expect(json.status == 0, "\(json.stderr)")
        #expect(json.stdout.contains(#""licences":[{"decisionNo":"沪市监嘉许〔2022〕1号","item":"食品经营许可","issuer":"310114-SCJG","granted":"2022-01-10","validUntil":"2024-01-09","state":"expired","since":"2024-01-10","revokedBy":null,"fact":"310114-SCJG/LG-1"},{"decisionNo":"沪市监嘉许〔2022〕2号","item":"特种设备使用登记","issuer":"310114-SCJG","granted":"2022-03-01","validUntil":null,"state":"revoked","since":"2024-06-03","revokedBy":"沪市监嘉处〔2024〕9号","fact":"310114-SCJG/LG-2"}]"#),
                "\(json.stdout)")
        let text = try cli("report", c, "--ledger", "L", "--as-of", "2024-12-31")
        #expect(text.stdout.contains("行政许可 (2):\n  食品经营许可 沪市监嘉许〔2022〕1号 区市场监管局 2022-01-10–2024-01-09：已过期 2024-01-10\n"
                                     + "  特种设备使用登记 沪市监嘉许〔2022〕2号 区市场监管局 2022-03-01–长期：已吊销 2024-06-03（沪市监嘉处〔2024〕9号）"), "\(text.stdout)")
        let early = try cli("report", c, "--ledger", "L", "--as-of", "2023-06-30", "--lang", "en")
        #expect(early.stdout.contains("Licences (2):") && early.stdout.contains("2022-03-01–no fixed term: valid"), "\(early.stdout)")
        let html = try cli("report", c, "--ledger", "L", "--as-of", "2024-12-31", "--format", "html")
        #expect(html.status == 0 && html.stdout.contains("<h2>行政许可</h2>") && html.stdout.contains("许可机关") && html.stdout.contains("已吊销"))
        let file = try cli("file", c, "--ledger", "L", "--as-of", "2024-12-31", "--json")
        #expect(file.stdout.contains(#""status":"revoked on 2024-06-03 by 沪市监嘉处〔2024〕9号""#), "\(file.stdout)")
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
