import CreditLedger
import CreditLedgerServer
import Foundation
import Testing

/// The audit log's two commit modes (`audit.commit` in the configuration): `durable`, the default,
/// and `written`, where a query is answered once its entry is written and a sync makes it durable
/// within `audit.syncMilliseconds`.
@Suite struct AuditCommitTests {
    @Test func theAuditModeIsReadFromTheConfigurationWithItsDefaults() throws {
        #expect(ServerConfiguration().audit.auditCommit == .durable)
        let absent = try ServerConfiguration.load(path: try temporaryConfigurationFile(#"{"principals":[]}"#))
        #expect(absent.audit.auditCommit == .durable)
        let written = try ServerConfiguration.load(path: try temporaryConfigurationFile(#"{"principals":[],"audit":{"commit":"written"}}"#))
        #expect(written.audit.auditCommit == .written(syncMilliseconds: 20))
        let interval = try ServerConfiguration.load(
            path: try temporaryConfigurationFile(#"{"principals":[],"audit":{"commit":"written","syncMilliseconds":5}}"#))
        #expect(interval.audit.auditCommit == .written(syncMilliseconds: 5))
    }

    @Test func aBadAuditModeOrIntervalIsRefusedNamingTheKey() throws {
        let later = try temporaryConfigurationFile(#"{"principals":[],"audit":{"commit":"later"}}"#)
        let mode = #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(path: later) }
        #expect(mode?.message.contains(#"audit.commit must be "durable" or "written", is "later""#) == true, "\(String(describing: mode))")
        for bad in [0, 1_001, -5] {
            let path = try temporaryConfigurationFile(#"{"principals":[],"audit":{"commit":"written","syncMilliseconds":\#(bad)}}"#)
            let interval = #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(path: path) }
            #expect(interval?.message.contains("audit.syncMilliseconds must be 1…1000, is \(bad)") == true, "\(String(describing: interval))")
        }
        let directory = NSTemporaryDirectory() + "audit-mode-\(UUID().uuidString.prefix(8))"
        #expect(throws: QueryAuditError.self) { _ = try QueryAuditLog.open(ledgerDirectory: directory, commit: .written(syncMilliseconds: 0)) }
    }

    static func entry(_ n: Int) -> AuditEntry {
        AuditEntry(principal: "query-principal", role: "query", purpose: "check \(n)", channel: "http", command: "GET /v1/subjects/{code}",
                   subject: Facts.company)
    }

    /// Written entries become durable — visible to another process, which reads only what the
    /// checkpoint acknowledges — by the scheduled sync, without anyone asking.
    @Test func writtenEntriesAreMadeDurableByTheScheduledSync() async throws {
        let directory = NSTemporaryDirectory() + "audit-written-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let audit = try QueryAuditLog.open(ledgerDirectory: directory, commit: .written(syncMilliseconds: 10))
        #expect(audit.commit == .written(syncMilliseconds: 10))
        for n in 0..<5 { try await audit.record(Self.entry(n)) }
        #expect(try audit.records().count == 5, "the writer's process reads what was written")
        var seen = 0
        let deadline = Date().addingTimeInterval(20)
        while seen < 5 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
            let reader = try QueryAuditLog.open(ledgerDirectory: directory, access: .readOnly)
            seen = try reader.records().count
        }
        #expect(seen == 5, "the entries were not made durable by a scheduled sync")
        #expect(audit.syncCount >= 1)
        #expect(audit.syncFailure == nil)
        try audit.close()
        #expect(try QueryAuditLog.verify(ledgerDirectory: directory)?.isIntact == true)
    }

    /// `credit-ledger serve` in the `written` mode, killed with SIGKILL (a sync interval of a
    /// second, so most entries were never synced by it): every answered query's entry is in the
    /// audit log when it is opened again — a process crash loses nothing written.
    @Test func aKilledServerInTheWrittenModeLosesNoEntryOfAnAnsweredQuery() async throws {
        let directory = NSTemporaryDirectory() + "audit-written-kill-\(UUID().uuidString.prefix(8))"
        let tokens = Dictionary(uniqueKeysWithValues: ["admin", "reporter", "query", "auditor"].map { ($0, ServerConfiguration.newToken()) })
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = ServerConfiguration()
        configuration.principals = tokens.keys.sorted().map { role in
            Principal(name: "\(role)-principal", role: role, tokenSHA256: ServerConfiguration.hash(token: tokens[role]!),
                      sources: role == "reporter" ? [LiveServer.reporterSource] : [])
        }
        configuration.audit.commit = .written
        configuration.audit.syncMilliseconds = 1_000
        try configuration.write(path: directory + "/server.json")
        let server = try await ServeProcess.start(directory: directory, tokens: tokens)
        #expect(try await server.post([Facts.registration(), Facts.role()]).status == 200)
        var answered: [String] = []
        for n in 0..<30 {
            let purpose = "written-mode-check-\(n)"
            let answer = try await server.send("GET", "/v1/subjects/\(Facts.company)?purpose=\(purpose)", as: "query")
            #expect(answer.status == 200)
            answered.append(purpose)
        }
        await server.crash()
        let audit = try QueryAuditLog.open(ledgerDirectory: directory)
        let recorded = try audit.records().compactMap(\.entry.purpose)
        try audit.close()
        #expect(recorded == answered, "answered \(answered.count), recorded \(recorded.count)")
        #expect(try QueryAuditLog.verify(ledgerDirectory: directory)?.isIntact == true)
    }

    /// In the `written` mode a query's entry is written where its answer is computed, one append
    /// per query (no group commit to wait for): concurrent queries are each answered once their
    /// own entry is in the log, every one of them recorded exactly once.
    @Test func inTheWrittenModeEachQueryWritesItsOwnEntryBeforeItsAnswer() async throws {
        let server = try await LiveServer(auditCommit: .written(syncMilliseconds: 20))
        #expect(server.audit.recordsInline)
        _ = try await server.post([Facts.registration(), Facts.role()])
        let before = server.audit.groupCommitCounts
        let purposes = (0..<24).map { "inline-\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for purpose in purposes {
                group.addTask {
                    let answer = try await server.send("GET", "/v1/subjects/\(Facts.company)?purpose=\(purpose)", as: "query")
                    #expect(answer.status == 200)
                    // Answered: its entry is already in the log.
                    #expect(try server.audit.records().contains { $0.entry.purpose == purpose })
                }
            }
            try await group.waitForAll()
        }
        let after = server.audit.groupCommitCounts
        #expect(after.entries - before.entries == purposes.count)
        #expect(after.commits - before.commits == purposes.count)
        let recorded = try server.audit.records().compactMap(\.entry.purpose).filter { $0.hasPrefix("inline-") }
        #expect(recorded.sorted() == purposes.sorted())
        try await server.stop()
    }

    /// Principals store the lowercase hex SHA-256 of their token; new tokens are 64 hex digits.
    @Test func tokenHashesAreLowercaseHexSHA256() {
        #expect(ServerConfiguration.hash(token: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(ServerConfiguration.hash(token: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let token = ServerConfiguration.newToken()
        #expect(token.count == 64 && token.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }
}
