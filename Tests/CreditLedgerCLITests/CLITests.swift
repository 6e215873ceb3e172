import Foundation
import Testing

/// The `credit-ledger` command line, run as a user runs it: a real process, real files, exit codes
/// and output as CLI.md fixes them.
@Suite struct CLITests {
    let directory: String = {
        let path = NSTemporaryDirectory() + "cli-tests-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs `credit-ledger` (built next to this test bundle) with `arguments` in the test directory.
    func cli(_ arguments: String...) throws -> Run {
        try run(try Self.executable(), arguments)
    }

    /// Runs `executable` with `arguments` (and `environment`, when given) in the test directory.
    func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func executable() throws -> String {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("credit-ledger").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    func write(_ name: String, _ lines: [String]) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
    }

    static let company = "91350100M000100Y43"
    static let registration = #"{"id":"R-1","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"上海嘉定食品有限公司","kind":"enterprise","region":"310114"}}"#
    static let role = #"{"id":"R-2","type":"role.assigned","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"person":"11010519491231002X","role":"legalRepresentative"}}"#
    static let badCode = #"{"id":"R-3","type":"subject.registered","subject":"91350100M000100Y44","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"错码","kind":"enterprise","region":"310114"}}"#
    static let unknownReference = #"{"id":"R-4","type":"penalty.performed","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2021-01-10","body":{"decisionNo":"沪市监嘉处〔2020〕1号"}}"#

    @Test func versionNamesTheReleaseAndTheFormatsItWrites() throws {
        let run = try cli("--version")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("credit-ledger 0."))
        #expect(run.stdout.contains("interchange v1"))
    }

    @Test func generateIsDeterministicForASeed() throws {
        _ = try cli("generate", "--preset", "district-small", "--seed", "5", "--facts", "2000", "--out", "a.jsonl")
        _ = try cli("generate", "--preset", "district-small", "--seed", "5", "--facts", "2000", "--out", "b.jsonl")
        _ = try cli("generate", "--preset", "district-small", "--seed", "6", "--facts", "2000", "--out", "c.jsonl")
        let a = try Data(contentsOf: URL(fileURLWithPath: directory + "/a.jsonl"))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: directory + "/b.jsonl"))))
        #expect(a != (try Data(contentsOf: URL(fileURLWithPath: directory + "/c.jsonl"))))
        #expect(String(decoding: a, as: UTF8.self).split(separator: "\n").count == 2000)
    }

    @Test func aFileWithABadLineAppendsNothingAndListsEveryBadLine() throws {
        try write("facts.jsonl", [Self.registration, Self.badCode, Self.role, Self.unknownReference])
        let run = try cli("import", "--ledger", "L", "facts.jsonl")
        #expect(run.status == 1)
        #expect(run.stderr.contains("facts.jsonl:2: subject: 91350100M000100Y44: check character should be 3, is 4"))
        #expect(run.stderr.contains("facts.jsonl:4: body.decisionNo: no decision 沪市监嘉处〔2020〕1号 is recorded"))
        let verify = try cli("verify", "--ledger", "L")
        #expect(verify.stdout.hasPrefix("ok records=0 "), "nothing was appended")
    }

    @Test func skipInvalidAppendsTheGoodLinesAndWritesEveryRefusedLineWithItsReason() throws {
        try write("facts.jsonl", [Self.registration, Self.badCode, Self.role, Self.unknownReference])
        let run = try cli("import", "--ledger", "L", "--skip-invalid", "--rejects", "rejects.jsonl", "facts.jsonl")
        #expect(run.status == 0)
        #expect(run.stdout.contains("appended=2 duplicates=0 refused=2"))
        let rejects = try String(contentsOfFile: directory + "/rejects.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(rejects.count == 2)
        #expect(rejects[0].contains(#""line":2"#) && rejects[0].contains("check character should be 3, is 4"))
        #expect(rejects[1].contains(#""line":4"#) && rejects[1].contains(#""field":"body.decisionNo""#))
        #expect(rejects[0].contains(#"91350100M000100Y44"#), "the refused line is kept verbatim")
    }

    @Test func importingTheSameFileTwiceReportsDuplicates() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        let again = try cli("import", "--ledger", "L", "--json", "facts.jsonl")
        #expect(again.status == 0)
        #expect(again.stdout.hasPrefix(#"{"appended":0,"duplicates":2,"refused":0,"#))
    }

    @Test func exportRoundTripsThroughBackfillToTheSameDigest() throws {
        _ = try cli("generate", "--preset", "district-small", "--seed", "3", "--facts", "3000", "--out", "s.jsonl")
        #expect(try cli("import", "--ledger", "A", "s.jsonl").status == 0)
        #expect(try cli("export", "--ledger", "A", "--out", "e.jsonl").status == 0)
        #expect(try cli("import", "--ledger", "B", "--backfill", "e.jsonl").status == 0)
        let first = try cli("digest", "--ledger", "A", "--as-of", "2024-06-30")
        let second = try cli("digest", "--ledger", "B", "--as-of", "2024-06-30")
        #expect(first.stdout.count == 65)
        #expect(first.stdout == second.stdout)
        let exported = try String(contentsOfFile: directory + "/e.jsonl", encoding: .utf8)
        #expect(try cli("export", "--ledger", "B", "--out", "e2.jsonl").status == 0)
        #expect(exported == (try String(contentsOfFile: directory + "/e2.jsonl", encoding: .utf8)), "recorded times survive")
        let replay = try cli("replay", "--ledger", "B", "--as-of", "2024-06-30")
        #expect(replay.stdout.hasPrefix("facts=3000 "))
        #expect(replay.stdout.contains("digest=" + first.stdout.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test func verifyReportsDamageWithFileOffsetAndPositionAndExits2() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        let segment = directory + "/L/log/00000000000000000000.segment"
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: segment))
        try handle.seek(toOffset: 100)
        var byte = try handle.read(upToCount: 1)!
        byte[0] ^= 0x40
        try handle.seek(toOffset: 100)
        try handle.write(contentsOf: byte)
        try handle.close()
        let run = try cli("verify", "--ledger", "L")
        #expect(run.status == 2)
        #expect(run.stderr.contains("L/log/00000000000000000000.segment"))
        _ = segment
        #expect(run.stderr.contains("offset 72"))
        #expect(run.stderr.contains("first bad position 0"))
    }

    @Test func verifyExpectHeadChecksTheLedgerAgainstAHeadKnownFromBefore() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        let first = try cli("verify", "--ledger", "L")
        let head = String(first.stdout.split(separator: "=").last!.prefix(64))
        let known = try cli("verify", "--ledger", "L", "--expect-head", head)
        #expect(known.status == 0)
        #expect(known.stdout.contains("expected-head-records=2"))
        let other = try cli("verify", "--ledger", "L", "--expect-head", String(repeating: "ab", count: 32))
        #expect(other.status == 2, "a head this history does not hold")
        #expect(other.stderr.contains("not the chain hash after any record"))
        #expect(try cli("verify", "--ledger", "L", "--expect-head", "xyz").status == 64)
    }

    @Test func checkIdExitsZeroOnlyWhenEveryCodeIsValid() throws {
        let good = try cli("check-id", "91350100M000100Y43", "11010519491231002x")
        #expect(good.status == 0)
        #expect(good.stdout == "91350100M000100Y43 valid\n11010519491231002x valid\n")
        let bad = try cli("check-id", "91350100M000100Y43", "110105194912310021")
        #expect(bad.status == 1)
        #expect(bad.stdout.contains("110105194912310021 invalid: check character should be X, is 1"))
    }

    @Test func subjectAnswersAsOfADateInTheDocumentedJSONShape() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        let run = try cli("subject", Self.company, "--ledger", "L", "--as-of", "2023-09-10", "--json")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix(#"{"subject":"91350100M000100Y43","kind":"enterprise","name":"上海嘉定食品有限公司","asOf":"2023-09-10","knownAt":"#))
        #expect(run.stdout.contains(#""roles":[{"person":"1101**********002X","role":"legalRepresentative","from":"2020-01-10","to":null}]"#))
        let before = try cli("subject", Self.company, "--ledger", "L", "--as-of", "2019-12-31", "--json")
        #expect(before.stdout.contains(#""name":null"#) && before.stdout.contains(#""roles":[]"#))
        let knownEarly = try cli("subject", Self.company, "--ledger", "L", "--known-at", "2020-01-01", "--json")
        #expect(knownEarly.stdout.contains(#""name":null"#), "nothing was known on 2020-01-01")
    }

    @Test func qualityCountsDuplicatesAndRefusalsAcrossRuns() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        try write("bad.jsonl", [Self.unknownReference])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        _ = try cli("import", "--ledger", "L", "facts.jsonl")            // two duplicates
        #expect(try cli("import", "--ledger", "L", "bad.jsonl").status == 1)  // one refusal
        let run = try cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--json")
        #expect(run.status == 0)
        #expect(run.stdout.contains(#""sources":[{"source":"310114-SCJG","facts":2,"#))
        #expect(run.stdout.contains(#""duplicates":2"#))
        #expect(run.stdout.contains(#""refused":{"byReason":{"unknownReference":1},"codeErrors":0}"#))
    }

    static let penalty = #"{"id":"P-1","type":"penalty.decided","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2023-06-01","body":{"decisionNo":"沪市监嘉处〔2023〕123号","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}}"#

    @Test func reportShowsWhatIsPublicAndTheSpecialReportStatesAFieldsPenalties() throws {
        try write("facts.jsonl", [Self.registration, Self.penalty])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        let during = try cli("report", Self.company, "--ledger", "L", "--as-of", "2023-09-10", "--json")
        #expect(during.status == 0)
        #expect(during.stdout.contains(#""publicPenalties":[{"decisionNo":"沪市监嘉处〔2023〕123号","decided":"2023-06-01","field":"foodSafety","severity":"general","status":"active","public":true"#))
        // Market regulation's decision (310114-SCJG): SAMR Order 45 Art. 13 publishes it for 3 years.
        let still = try cli("report", Self.company, "--ledger", "L", "--as-of", "2024-09-10", "--json")
        #expect(still.stdout.contains(#""publicUntil":"2026-06-01","whyNotPublic":null,"repairEligibleFrom":"2024-06-01""#))
        let after = try cli("report", Self.company, "--ledger", "L", "--as-of", "2026-06-01", "--json")
        #expect(after.stdout.contains(#""publicPenalties":[]"#), "a general SAMR penalty is public for three years at most")
        let food = try cli("report", Self.company, "--ledger", "L", "--field", "foodSafety", "--from", "2023-01-01", "--to", "2023-12-31")
        #expect(food.stdout.contains("在食品安全领域 2023年1月1日 至 2023年12月31日 期间有 1 项行政处罚记录"))
        let tax = try cli("report", Self.company, "--ledger", "L", "--field", "tax", "--from", "2023-01-01", "--to", "2023-12-31")
        #expect(tax.stdout.contains("在税务领域 2023年1月1日 至 2023年12月31日 期间无行政处罚记录"))
        #expect(try cli("report", Self.company, "--ledger", "L", "--field", "tax").status == 64)
    }

    @Test func usageErrorsExit64AndAMissingLedgerExits2() throws {
        #expect(try cli("import", "--skip-invalid", "x.jsonl").status == 64)
        #expect(try cli("digest", "--ledger", "L", "--as-of", "2023-02-30").status == 64)
        let missing = try cli("digest", "--ledger", "nowhere")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no ledger at nowhere"))
    }
}

/// A valid code the ledger holds no fact about: the documents say it is not registered in this
/// ledger and the command exits 3 (CLI.md), so a script never takes an empty record for a clean one.
extension CLITests {
    @Test func queriesAboutASubjectNotRegisteredInThisLedgerSaySoAndExitThree() throws {
        try write("first.jsonl", [Self.registration])
        #expect(try cli("import", "--ledger", "L", "first.jsonl").status == 0)
        let stranger = "91310000MA1FL0TK24"   // valid (GB 32100), never reported
        #expect(try cli("check-id", stranger).status == 0)
        let special = try cli("report", stranger, "--ledger", "L", "--field", "foodSafety", "--from", "2023-01-01", "--to", "2023-12-31", "--json")
        #expect(special.status == 3, "\(special.stderr)")
        #expect(special.stdout.contains(#""clean":false"#) && special.stdout.contains(#""inLedger":false"#))
        #expect(!special.stdout.contains("无行政处罚记录") && special.stderr.contains("is not registered in this ledger"))
        let report = try cli("report", stranger, "--ledger", "L", "--as-of", "2023-12-31")
        #expect(report.status == 3 && report.stdout.contains("本台账无该主体信息"))
        let document = try cli("subject", stranger, "--ledger", "L", "--as-of", "2023-12-31", "--json")
        #expect(document.status == 3 && document.stdout.contains(#""inLedger":false"#))
        let match = try cli("match", stranger, "--ledger", "L", "--scene", "procurement", "--json")
        #expect(match.status == 3 && match.stdout.contains(#""inLedger":false"#))
        // The registered subject: exit 0 and no such member.
        let known = try cli("subject", Self.company, "--ledger", "L", "--as-of", "2023-12-31", "--json")
        #expect(known.status == 0 && !known.stdout.contains("inLedger"))
    }
}

/// `--calendar FILE`: a district's holiday calendar for the working-day deadlines.
extension CLITests {
    @Test func qualityJudgesDeadlinesByADistrictCalendarAndSaysWhenItEnds() throws {
        let penalty = #"{"id":"P-9","type":"penalty.decided","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2023-12-28","reported":"2024-01-20T09:00:00+08:00","body":{"decisionNo":"D-9","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"tax","legalBasis":"《税收征收管理法》"}}"#
        try write("facts.jsonl", [Self.registration, penalty])
        try write("cal-2023.json", [#"{"years": {"2023": {"off": ["2023-10-02"], "work": []}}}"#])
        try write("cal-bad.json", ["{", #"  "years": {"2023": {"off": ["2023-10-07"], "work": []}}"#, "}"])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let run = try cli("quality", "--ledger", "L", "--as-of", "2024-06-30", "--calendar", "cal-2023.json", "--json")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains(#""calendar":{"from":"2023-01-01","through":"2023-12-31"}"#))
        #expect(run.stdout.contains(#""late":0,"onTimeRate":null,"notJudged":{"calendar ends 2023-12-31":1}"#), "\(run.stdout)")
        #expect(run.stderr.contains("the holiday calendar ended on 2023-12-31"))
        let bad = try cli("quality", "--ledger", "L", "--calendar", "cal-bad.json")
        #expect(bad.status == 1 && bad.stderr.contains("cal-bad.json:2: 2023-10-07 is listed as a weekday off but is not"), "\(bad.stderr)")
    }
}

/// `--rules FILE`: a district's rule file laid over the national regimes.
extension CLITests {
    @Test func aDistrictRuleFileChangesTheDeadlineQualityJudgesByAndABadOneNamesTheFileAndPath() throws {
        // Decided on Thursday 2023-12-28, reported 2024-01-20: late by the national 7 working days,
        // on time by a district that allows 30.
        let penalty = #"{"id":"P-9","type":"penalty.decided","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2023-12-28","reported":"2024-01-20T09:00:00+08:00","body":{"decisionNo":"D-9","kinds":["fine"],"fineYuan":50000,"procedure":"ordinary","severity":"general","field":"tax","legalBasis":"《税收征收管理法》"}}"#
        try write("facts.jsonl", [Self.registration, penalty])
        try write("district.json", [#"{"regimes": [{"from": "2019-07-01", "publicationDeadlineWorkingDays": 30}]}"#])
        try write("misspelt.json", [#"{"regimes": [{"from": "2019-07-01", "publicationDeadlineWorkingDay": 30}]}"#])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let national = try cli("quality", "--ledger", "L", "--as-of", "2024-06-30", "--json")
        #expect(national.status == 0 && national.stdout.contains(#""late":1"#), "\(national.stdout)")
        let district = try cli("quality", "--ledger", "L", "--as-of", "2024-06-30", "--rules", "district.json", "--json")
        #expect(district.status == 0 && district.stdout.contains(#""late":0"#), "\(district.stdout)")
        let bad = try cli("quality", "--ledger", "L", "--rules", "misspelt.json")
        #expect(bad.status == 1, "\(bad.stderr)")
        #expect(bad.stderr.contains("--rules: regime from 2019-07-01: publicationDeadlineWorkingDay: unknown field"), "\(bad.stderr)")
        let missing = try cli("quality", "--ledger", "L", "--rules", "nowhere.json")
        #expect(missing.status == 1 && missing.stderr.contains("nowhere.json: cannot be read"), "\(missing.stderr)")
    }
}
