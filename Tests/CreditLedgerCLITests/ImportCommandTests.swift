import Foundation
import Testing

/// `import` from any input, `--skip-invalid` that loses nothing, input errors that say what is
/// wrong, checked derived files and close errors — run as a user runs them, through a shell.
extension CLITests {
    /// Runs `script` with bash in the test directory, `$CL` being the `credit-ledger` binary.
    func shell(_ script: String) throws -> Run {
        try run("/bin/bash", ["-c", script], environment: ["CL": try Self.executable(), "PATH": "/usr/bin:/bin"])
    }

    func bytes(_ name: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))) }

    func writeBytes(_ name: String, _ bytes: [UInt8]) throws { try Data(bytes).write(to: URL(fileURLWithPath: directory + "/" + name)) }

    @Test func standardInputPipesProcessSubstitutionAndFIFOsAreImportedWhole() throws {
        _ = try cli("generate", "--preset", "district-small", "--seed", "4", "--facts", "1500", "--out", "s.jsonl")
        #expect(try cli("import", "--ledger", "F", "s.jsonl").status == 0)
        let runs = [
            try shell(#"cat s.jsonl | "$CL" import --ledger A -"#),
            try shell(#""$CL" import --ledger B /dev/stdin < s.jsonl"#),
            try shell(#""$CL" import --ledger C <(cat s.jsonl)"#),
            try shell(#"mkfifo pipe && (cat s.jsonl > pipe &) && "$CL" import --ledger D pipe"#),
        ]
        let expected = try cli("digest", "--ledger", "F", "--as-of", "2024-06-30").stdout
        for (run, ledger) in zip(runs, ["A", "B", "C", "D"]) {
            #expect(run.status == 0, "\(ledger): \(run.stderr)")
            #expect(run.stdout.hasPrefix("appended=1500 "), "\(ledger): \(run.stdout)")
            #expect(try cli("digest", "--ledger", ledger, "--as-of", "2024-06-30").stdout == expected)
        }
    }

    @Test func skipInvalidWritesTheRefusedLineOfACRLFFileToTheRejectsFile() throws {
        let bad = Self.role.replacingOccurrences(of: "2020-01-10", with: "2020-02-30")
        try writeBytes("crlf.jsonl", Array([Self.registration, bad, Self.unknownReference].joined(separator: "\r\n").utf8) + [13, 10])
        let run = try cli("import", "--ledger", "L", "--skip-invalid", "--rejects", "rejects.jsonl", "crlf.jsonl")
        #expect(run.status == 0)
        #expect(run.stdout.hasPrefix("appended=1 duplicates=0 refused=2"))
        let rejects = try String(contentsOfFile: directory + "/rejects.jsonl", encoding: .utf8).split(separator: "\n")
        #expect(rejects.count == 2)
        let first = try JSONSerialization.jsonObject(with: Data(rejects[0].utf8)) as? [String: Any]
        #expect(first?["line"] as? Int == 2)
        #expect(first?["input"] as? String == bad, "the line verbatim, without its CRLF ending")
    }

    @Test func skipInvalidKeepsALineOfInvalidUTF8ExactlyAndAppendsTheRest() throws {
        let broken: [UInt8] = Array(#"{"id":"X-1","type":"subject.registered","name":""#.utf8) + [0xFF, 0xFE] + Array(#""}"#.utf8)
        try writeBytes("utf8.jsonl", Array(Self.registration.utf8) + [10] + broken + [10] + Array(Self.role.utf8) + [10])
        let run = try cli("import", "--ledger", "L", "--skip-invalid", "--rejects", "rejects.jsonl", "utf8.jsonl")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("appended=2 duplicates=0 refused=1"))
        let entry = try JSONSerialization.jsonObject(with: Data(try bytes("rejects.jsonl"))) as? [String: Any]
        #expect(entry?["reason"] as? String == "not valid UTF-8")
        #expect((entry?["inputBase64"] as? String).flatMap { Data(base64Encoded: $0) }.map(Array.init) == broken)
    }

    @Test func aHundredMegabyteLineIsRefusedAndKeptWithoutBeingReadIntoMemory() throws {
        // The import runs with 200 MB of address space: reading the 100 MB line (or the file)
        // into memory, as a String and its bytes, cannot fit (the process itself takes about
        // 150 MB of it). One malloc arena: a thread's arena reserves 64 MB of address space, so
        // on a busy machine, where the runtime starts more threads, the limit measured threads
        // rather than memory, and a thread that could not start hung the process.
        let handle = try FileHandle(forWritingTo: { () -> URL in
            let url = URL(fileURLWithPath: directory + "/long.jsonl")
            _ = FileManager.default.createFile(atPath: url.path, contents: nil)
            return url
        }())
        try handle.write(contentsOf: Data((Self.registration + "\n{\"id\":\"").utf8))
        let block = Data(repeating: UInt8(ascii: "a"), count: 1 << 20)
        for _ in 0..<100 { try handle.write(contentsOf: block) }
        try handle.write(contentsOf: Data(("\"}\n" + Self.role + "\n").utf8))
        try handle.close()
        let run = try shell(#"ulimit -v 200000 && MALLOC_ARENA_MAX=1 "$CL" import --ledger L --skip-invalid --rejects rejects.jsonl long.jsonl"#)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("appended=2 duplicates=0 refused=1"))
        let entry = try JSONSerialization.jsonObject(with: Data(try bytes("rejects.jsonl"))) as? [String: Any]
        #expect(entry?["line"] as? Int == 2)
        #expect((entry?["reason"] as? String)?.hasPrefix("line longer than") == true)
        let kept = try #require((entry?["inputBase64"] as? String).flatMap { Data(base64Encoded: $0) })
        #expect(kept.count == 100 << 20 + 9 && kept.prefix(8) == Data("{\"id\":\"a".utf8), "the whole line, byte for byte")
    }

    @Test func rejectsNamingAnInputIsRefusedBeforeAnythingIsReadOrTruncated() throws {
        try write("facts.jsonl", [Self.registration, Self.badCode])
        let before = try bytes("facts.jsonl")
        let run = try cli("import", "--ledger", "L", "--skip-invalid", "--rejects", "./facts.jsonl", "facts.jsonl")
        #expect(run.status == 64)
        #expect(run.stderr.contains("--rejects ./facts.jsonl is the input facts.jsonl"))
        #expect(try bytes("facts.jsonl") == before, "the input is untouched")
        #expect(!FileManager.default.fileExists(atPath: directory + "/L"), "nothing was opened")
    }

    @Test func aDirectoryAsInputExits1NamingIt() throws {
        try FileManager.default.createDirectory(atPath: directory + "/folder", withIntermediateDirectories: true)
        let run = try cli("import", "--ledger", "L", "folder")
        #expect(run.status == 1)
        // The last line (a warning about the holiday calendar's end may come before it).
        #expect(run.stderr.hasSuffix("credit-ledger: folder is a directory\n") && !run.stderr.contains("credit-ledger: error"))
    }

    @Test func aSegmentSizeTooSmallForOneAppendIsAUsageErrorNamingTheMinimumAndCreatesNothing() throws {
        try write("facts.jsonl", [Self.registration])
        let small = try cli("import", "--ledger", "L", "--segment-bytes", "4096", "facts.jsonl")
        #expect(small.status == 64)
        #expect(small.stderr.contains("--segment-bytes 4096") && small.stderr.contains("must be at least"), "\(small.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory + "/L"))
        let chosen = try cli("import", "--ledger", "L", "--segment-bytes", "\(64 << 20)", "facts.jsonl")
        #expect(chosen.status == 0, "\(chosen.stderr)")
        #expect(try cli("verify", "--ledger", "L").stdout.hasPrefix("ok records=1 "))
    }

    @Test func aLoneSurrogateEscapeIsRefusedNamingItsLineAndColumn() throws {
        let line = Self.registration.replacingOccurrences(of: #""name":"上海"#, with: #""name":"\ud800上海"#)
        try write("facts.jsonl", [Self.role, line])
        let run = try cli("import", "--ledger", "L", "facts.jsonl")
        #expect(run.status == 1)
        #expect(run.stderr.contains(#"facts.jsonl:2: lone surrogate \ud800 at column 136"#), "\(run.stderr)")
    }

    @Test func anUnknownTopLevelFieldIsKeptVerbatimExportedAndWarnedAboutAsTheSpecSays() throws {
        let line = Self.registration.replacingOccurrences(of: #""body""#, with: #""reportd":"2020-01-11","body""#)
        try write("facts.jsonl", [line])
        let run = try cli("import", "--ledger", "L", "facts.jsonl")
        #expect(run.status == 0)
        #expect(run.stderr.contains("warning: facts.jsonl: unknown field reportd (line 1, 1 line(s)) kept verbatim without effect"), "not silently")
        let exported = try cli("export", "--ledger", "L")
        #expect(exported.stdout.contains(#","reportd":"2020-01-11"}"#), "kept, not dropped: \(exported.stdout)")
    }

    @Test func aFailureToCloseTheLedgerFailsTheCommand() throws {
        // The snapshot written at close cannot be: `snapshots` is a file, not a folder.
        try write("facts.jsonl", [Self.registration])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        try FileManager.default.removeItem(atPath: directory + "/L/snapshots")
        try write("L/snapshots", ["not a folder"])
        try write("more.jsonl", [Self.role])
        let run = try cli("import", "--ledger", "L", "more.jsonl")
        #expect(run.status == 2)
        #expect(run.stderr.contains("closing the ledger failed: cannot write a snapshot"), "\(run.stderr)")
    }

    @Test func aWriterRemovesOrphanTemporaryFilesWhenItOpens() throws {
        try write("facts.jsonl", [Self.registration])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        try write("L/snapshots/00000000000000000007.snapshot.tmp", ["half a snapshot"])
        try write("L/intake.counts.tmp", ["half the counters"])
        // A query is a reader: it leaves them; the next writer removes them.
        #expect(try cli("digest", "--ledger", "L").status == 0)
        #expect(FileManager.default.fileExists(atPath: directory + "/L/intake.counts.tmp"))
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0, "a duplicate: nothing appended")
        #expect(!FileManager.default.fileExists(atPath: directory + "/L/snapshots/00000000000000000007.snapshot.tmp"))
        #expect(!FileManager.default.fileExists(atPath: directory + "/L/intake.counts.tmp"))
    }

    @Test func damagedOrMissingIntakeCountersAreReportedNeverSilentlyZero() throws {
        try write("facts.jsonl", [Self.registration])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        _ = try cli("import", "--ledger", "L", "facts.jsonl")  // one duplicate
        var counts = try bytes("L/intake.counts")
        counts[12] ^= 0x01
        try writeBytes("L/intake.counts", counts)
        let verify = try cli("verify", "--ledger", "L")
        #expect(verify.status == 0 && verify.stdout.hasPrefix("ok records=1 "), "the log itself is intact")
        #expect(verify.stderr.contains("intake counters L/intake.counts: its SHA-256 does not match its content"), "\(verify.stderr)")
        let quality = try cli("quality", "--ledger", "L", "--as-of", "2023-12-31")
        #expect(quality.stderr.contains("warning: L/intake.counts is damaged"), "\(quality.stderr)")
        try FileManager.default.removeItem(atPath: directory + "/L/intake.counts")
        let missing = try cli("quality", "--ledger", "L", "--as-of", "2023-12-31")
        #expect(missing.stderr.contains("warning: L/intake.counts is missing"), "\(missing.stderr)")
    }

    @Test func verifyNamesASnapshotEditedWithItsChecksumRecomputedAndOpeningRebuildsIt() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        _ = try cli("import", "--ledger", "L", "facts.jsonl")
        let truth = try cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--known-at", "2100-01-01", "--json").stdout
        // The attack that worked on CRC-32C snapshots: rename a source, recompute the CRC.
        let file = "L/snapshots/00000000000000000002.snapshot"
        var snapshot = try bytes(file)
        let source = Array("310114-SCJG".utf8), fake = Array("310114-FAKE".utf8)
        var edits = 0
        for i in 0..<(snapshot.count - source.count) where Array(snapshot[i..<(i + source.count)]) == source {
            snapshot.replaceSubrange(i..<(i + source.count), with: fake)
            edits += 1
        }
        #expect(edits > 0)
        let crc = crc32c(snapshot.dropLast(4))
        snapshot.replaceSubrange((snapshot.count - 4)..., with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        try writeBytes(file, snapshot)
        let verify = try cli("verify", "--ledger", "L")
        #expect(verify.status == 0, "the log is intact; the snapshot is derived")
        #expect(verify.stderr.contains("snapshot L/snapshots/00000000000000000002.snapshot: damaged: its SHA-256 does not match its content"), "\(verify.stderr)")
        let quality = try cli("quality", "--ledger", "L", "--as-of", "2023-12-31", "--known-at", "2100-01-01", "--json")
        #expect(!quality.stdout.contains("310114-FAKE"), "the crafted snapshot is never used")
        #expect(quality.stdout == truth)
        // A query is a reader: it names the damage and leaves the file; the next writer moves it aside.
        #expect(quality.stderr.contains("00000000000000000002.snapshot is damaged (its SHA-256 does not match its content); not used"), "\(quality.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/L/snapshots/00000000000000000002.snapshot"))
        try write("again.jsonl", [Self.registration])
        let writer = try cli("import", "--ledger", "L", "again.jsonl")
        #expect(writer.stderr.contains("moved to L/snapshots/00000000000000000002.snapshot.damaged"), "\(writer.stderr)")
    }
}

/// CRC-32C (Castagnoli), bit by bit: what the snapshots' old trailer was, so a test can forge one.
func crc32c<C: Collection<UInt8>>(_ bytes: C) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for byte in bytes {
        crc ^= UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
    }
    return ~crc
}

/// Import progress off a terminal: plain lines on stderr, the phase named, one count over both.
extension CLITests {
    @Test func importProgressOffATerminalNamesItsPhaseAndNeverRestartsTheCount() throws {
        try write("facts.jsonl", [Self.registration, Self.role, Self.penalty])
        var environment = ProcessInfo.processInfo.environment
        environment["CREDIT_LEDGER_PROGRESS_SECONDS"] = "0"
        let run = try run(try Self.executable(), ["import", "--ledger", "L", "facts.jsonl"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("import facts.jsonl (") }
        #expect(lines.contains { $0.hasPrefix("import facts.jsonl (reading and checking): ") })
        #expect(lines.last?.hasPrefix("import facts.jsonl (appended to the ledger): 3 lines") == true, "\(run.stderr)")
        let counts = lines.compactMap { $0.split(separator: ": ").dropFirst().first?.split(separator: " ").first.flatMap { Int($0) } }
        #expect(counts.count == lines.count && counts == counts.sorted(), "the count only grows: \(counts)")
        let quiet = try cli("import", "--ledger", "M", "facts.jsonl")
        #expect(!quiet.stderr.contains("import facts.jsonl ("), "a short import off a terminal writes no progress by default")
    }
}
