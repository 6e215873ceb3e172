import Foundation
import Testing

/// The query audit log from the command line: queries on a ledger that keeps one name a purpose and
/// are recorded with the operating-system user before they are answered; `audit` reads it; a query
/// that cannot be recorded is not answered.
extension CLITests {
    /// A ledger with two facts and an audit log (created by a first start of `serve`, then stopped).
    func auditedLedger() throws {
        try write("facts.jsonl", [Self.registration, Self.role])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let started = try shell(Self.startServer + #"kill -TERM $server; wait $server"#)
        #expect(started.status == 0, "\(started.stderr)")
        #expect(FileManager.default.fileExists(atPath: directory + "/L/audit"))
    }

    /// Starts `serve` on a free port in the background (`$server`) and waits until it listens.
    static let startServer = #"""
        "$CL" serve --ledger L --port 0 > serve.out 2> serve.err &
        server=$!
        for i in $(seq 1 100); do grep -q listening serve.out 2>/dev/null && break; sleep 0.1; done
        grep -q listening serve.out || { cat serve.err >&2; exit 10; }

        """#

    @Test func cliQueriesOnAnAuditedLedgerNameAPurposeAndAreRecordedWithTheUser() throws {
        try auditedLedger()
        let unnamed = try cli("subject", Self.company, "--ledger", "L")
        #expect(unnamed.status == 64)
        #expect(unnamed.stderr.contains("--purpose"))
        let answered = try cli("subject", Self.company, "--ledger", "L", "--as-of", "2024-06-30", "--purpose", "bid check", "--json")
        #expect(answered.status == 0, "\(answered.stderr)")
        #expect(answered.stdout.contains(#""name":"上海嘉定食品有限公司""#))
        let audit = try cli("audit", "--ledger", "L", "--subject", Self.company, "--json")
        #expect(audit.status == 0, "\(audit.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let entries = try #require(document["entries"] as? [[String: Any]])
        #expect(entries.count == 1)
        #expect(entries.first?["channel"] as? String == "cli")
        #expect(entries.first?["command"] as? String == "subject")
        #expect(entries.first?["purpose"] as? String == "bid check")
        #expect(entries.first?["asOf"] as? String == "2024-06-30")
        #expect((entries.first?["principal"] as? String)?.contains("(uid \(geteuid()))") == true)
        #expect(try cli("verify", "--ledger", "L").stdout.contains("audit ok records=1 "))
    }

    @Test func aCLIQueryWhileTheServerHoldsTheAuditLogIsRefusedNamingTheServer() throws {
        try auditedLedger()
        let run = try shell(Self.startServer + #"""
            "$CL" subject 91350100M000100Y43 --ledger L --purpose check > query.out 2> query.err
            echo "status=$?"
            kill -TERM $server; wait $server
            """#)
        #expect(run.stdout.contains("status=2"), "\(run.stdout) \(run.stderr)")
        let stderr = try String(contentsOfFile: directory + "/query.err", encoding: .utf8)
        #expect(stderr.contains("held by another process") && stderr.contains("credit-ledger serve"), "\(stderr)")
        #expect(try String(contentsOfFile: directory + "/query.out", encoding: .utf8).isEmpty)
    }

    @Test func aQueryWhoseEntryCannotBeWrittenIsNotAnswered() throws {
        try auditedLedger()
        // A file size limit of 512 bytes: the ledger is only read, but the audit log cannot be written.
        let run = try shell(#"trap '' XFSZ; ulimit -f 1; exec "$CL" subject 91350100M000100Y43 --ledger L --purpose check --json"#)
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty, "\(run.stdout)")
        #expect(run.stderr.contains("cannot be recorded in the audit log"), "\(run.stderr)")
        #expect(try cli("audit", "--ledger", "L", "--json").stdout.contains(#""count":0"#))
    }

    @Test func anExportOnAnAuditedLedgerIsRecordedBeforeItsFirstFactIsWritten() throws {
        try auditedLedger()
        #expect(try cli("export", "--ledger", "L").status == 64)
        // When the entry cannot be recorded, not one line is written (it used to stream first).
        let refused = try shell(#"trap '' XFSZ; ulimit -f 1; exec "$CL" export --ledger L --purpose again"#)
        #expect(refused.status == 2)
        #expect(refused.stdout.isEmpty, "\(refused.stdout)")
        #expect(refused.stderr.contains("cannot be recorded in the audit log"), "\(refused.stderr)")
        let exported = try cli("export", "--ledger", "L", "--purpose", "archive transfer")
        #expect(exported.status == 0, "\(exported.stderr)")
        #expect(exported.stdout.split(separator: "\n").count == 2)
        let audit = try cli("audit", "--ledger", "L", "--json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(audit.stdout.utf8)) as? [String: Any])
        let entry = try #require((document["entries"] as? [[String: Any]])?.first)
        #expect(entry["command"] as? String == "export")
        #expect(entry["purpose"] as? String == "archive transfer")
        #expect(entry["answered"] as? Int == 2)
        let delivery = try #require(entry["delivery"] as? [String: Any])
        #expect(delivery["event"] as? String == "export" && delivery["from"] as? Int == 0 && delivery["next"] as? Int == 2)
    }

    @Test func aDamagedAuditLogFailsVerifyAndEveryQueryAndTheServer() throws {
        try auditedLedger()
        #expect(try cli("subject", Self.company, "--ledger", "L", "--purpose", "check").status == 0)
        let segment = directory + "/L/audit/00000000000000000000.segment"
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: segment)))
        bytes[bytes.count - 3] ^= 0x40
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let verify = try cli("verify", "--ledger", "L")
        #expect(verify.status == 2)
        #expect(verify.stderr.contains("audit log damaged") && verify.stderr.contains("L/audit/00000000000000000000.segment"), "\(verify.stderr)")
        let query = try cli("subject", Self.company, "--ledger", "L", "--purpose", "check")
        #expect(query.status == 2)
        #expect(query.stdout.isEmpty)
        #expect(query.stderr.contains("audit log") && query.stderr.contains("damaged"), "\(query.stderr)")
        #expect(try cli("audit", "--ledger", "L").status == 2)
        let serve = try cli("serve", "--ledger", "L", "--port", "0")
        #expect(serve.status == 2)
        #expect(serve.stderr.contains("audit log"), "\(serve.stderr)")
    }

    @Test func badAuditFiltersAreUsageErrorsAndALedgerWithoutAuditLogSaysSo() throws {
        try write("facts.jsonl", [Self.registration])
        #expect(try cli("import", "--ledger", "L", "facts.jsonl").status == 0)
        let missing = try cli("audit", "--ledger", "L")
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("no audit log"))
        #expect(try cli("audit", "--ledger", "L", "--from", "2024-02-30").status == 64)
        let backwards = try cli("audit", "--ledger", "L", "--from", "2024-03-01", "--to", "2024-02-01")
        #expect(backwards.status == 64)
        #expect(backwards.stderr.contains("--from 2024-03-01 is after --to 2024-02-01"))
        #expect(try cli("audit", "--ledger", "L", "--subject", "12345").status == 64)
    }
}
