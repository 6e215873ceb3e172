import CreditLedger
import CreditLedgerServer
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The query audit log as an auditor uses it: every query recorded (who, role, purpose, what,
/// instants, how much) before it is answered, answerable per subject, and no answer when the
/// entry cannot be recorded.
@Suite struct AuditTests {
    let purpose = "purpose=procurement%20check"

    /// The entries of `GET /v1/audit` with `query`, as the auditor reads them.
    func entries(_ server: LiveServer, _ query: String = "") async throws -> [[String: Any]] {
        let answer = try await server.send("GET", "/v1/audit" + query, as: "auditor")
        #expect(answer.status == 200, "\(answer.text)")
        return answer.json["entries"] as? [[String: Any]] ?? []
    }

    @Test func everyQueryIsRecordedWithWhoWhyWhatAndHowMuch() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        #expect(try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)&asOf=2024-01-31", as: "query").status == 200)
        #expect(try await server.send("GET", "/v1/subjects/\(Facts.company)/measures?scene=procurement", as: "query",
                                      headers: ["X-Query-Purpose": "bid evaluation"]).status == 200)
        #expect(try await server.send("GET", "/v1/digest", as: "auditor").status == 200)
        let about = try await entries(server, "?subject=\(Facts.company)")
        #expect(about.count == 2)
        let first = try #require(about.first)
        #expect(first["principal"] as? String == "query-principal")
        #expect(first["role"] as? String == "query")
        #expect(first["purpose"] as? String == "procurement check")
        #expect(first["channel"] as? String == "http")
        #expect(first["command"] as? String == "GET /v1/subjects/{code}")
        #expect(first["subject"] as? String == Facts.company)
        #expect(first["asOf"] as? String == "2024-01-31")
        #expect((first["knownAt"] as? String)?.isEmpty == false)
        #expect((first["answered"] as? Int ?? 0) > 0)
        #expect((first["recorded"] as? String)?.hasSuffix("+08:00") == true)
        #expect(about.last?["scene"] as? String == "procurement")
        #expect(about.last?["purpose"] as? String == "bid evaluation")
        // The digest names no subject; the audit read itself is recorded too.
        let all = try await entries(server)
        #expect(all.map { $0["command"] as? String ?? "" } == [
            "GET /v1/subjects/{code}", "GET /v1/subjects/{code}/measures", "GET /v1/digest", "GET /v1/audit"])
        try await server.stop()
    }

    @Test func aSubjectNamedInAnAnswerAboutOthersFindsTheQuery() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        // The inspection draw names the subjects drawn: the drawn company's audit finds the query.
        let draw = try await server.send("GET", "/v1/grades?draw=1&\(purpose)", as: "query")
        #expect((draw.json["draw"] as? [String: Any])?["subjects"] as? [String] == [Facts.company])
        let about = try await entries(server, "?subject=\(Facts.company)")
        #expect(about.map { $0["command"] as? String } == ["GET /v1/grades"])
        #expect(about.first?["subject"] is NSNull)
        #expect(about.first?["subjects"] as? [String] == [Facts.company])
        try await server.stop()
    }

    @Test func anAuditorSeesIdentityNumbersMaskedUnlessTheRoleMaySeeThem() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        #expect(try await server.send("GET", "/v1/subjects/\(Facts.person)?\(purpose)", as: "query").status == 200)
        let asAuditor = try await server.send("GET", "/v1/audit?subject=\(Facts.person)", as: "auditor")
        #expect(asAuditor.json["count"] as? Int == 1)
        #expect(!asAuditor.text.contains(Facts.person))
        #expect(asAuditor.text.contains("1101**********002X"))
        let asAdmin = try await server.send("GET", "/v1/audit?subject=\(Facts.person)", as: "admin")
        #expect(asAdmin.text.contains(Facts.person))
        try await server.stop()
    }

    @Test func badAuditFiltersAre400AndAnUnknownSubjectHasNoEntries() async throws {
        let server = try await LiveServer()
        let badDate = try await server.send("GET", "/v1/audit?from=2024-02-30", as: "auditor")
        #expect(badDate.status == 400)
        #expect(badDate.reason.hasPrefix("from 2024-02-30"))
        let backwards = try await server.send("GET", "/v1/audit?from=2024-03-01&to=2024-02-01", as: "auditor")
        #expect(backwards.status == 400)
        #expect(backwards.reason == "from 2024-03-01 is after to 2024-02-01")
        let badSubject = try await server.send("GET", "/v1/audit?subject=12345", as: "auditor")
        #expect(badSubject.status == 400)
        #expect(badSubject.reason.hasPrefix("subject 12345"))
        #expect(try await server.send("GET", "/v1/audit?asOf=2024-01-01", as: "auditor").status == 400)
        #expect(try await server.send("GET", "/v1/audit", as: "query").status == 403)
        // A subject nobody asked about: an empty answer, not an error.
        #expect(try await entries(server, "?subject=\(Facts.code(7))").isEmpty)
        // Refused reads of the audit log answer nothing, so they record nothing.
        #expect(try server.audit.records().count == 1)
        try await server.stop()
    }

    @Test func aQueryWhoseEntryCannotBeRecordedIsRefusedAndNotAnswered() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        // The audit log stops taking entries (as when its lock or file is lost).
        try server.audit.close()
        let refused = try await server.send("GET", "/v1/subjects/\(Facts.company)?\(purpose)", as: "admin")
        #expect(refused.status == 503)
        #expect(refused.reason.contains("cannot be recorded in the audit log"))
        #expect(!refused.text.contains("上海嘉定食品有限公司"))
        #expect(try await server.send("GET", "/v1/head", as: "admin").status == 503)
        try await server.stop()
    }

    @Test func concurrentQueriesShareAuditGroupCommits() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let path = "/v1/subjects/\(Facts.company)?\(purpose)"
        // Sequential queries: one fdatasync each; their latency is the audit's cost on a quiet server.
        var sequential: [Double] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            #expect(try await server.send("GET", path, as: "query").status == 200)
            sequential.append(Self.milliseconds(ContinuousClock.now - start))
        }
        let before = server.audit.groupCommitCounts
        let concurrent = try await withThrowingTaskGroup(of: Double.self) { group in
            for _ in 0..<64 {
                group.addTask {
                    let start = ContinuousClock.now
                    let status = try await server.send("GET", path, as: "query").status
                    #expect(status == 200)
                    return Self.milliseconds(ContinuousClock.now - start)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let after = server.audit.groupCommitCounts
        let entries = after.entries - before.entries, commits = after.commits - before.commits
        #expect(entries == 64)
        #expect(try server.audit.records().count == 84)
        let append = try Self.auditAppendCost(server.audit)
        print("audit cost: one durable audit append \(String(format: "%.2f", append)) ms; sequential query p50 \(Self.percentile(sequential, 0.5)) ms p99 \(Self.percentile(sequential, 0.99)) ms; 64 concurrent queries: \(entries) entries in \(commits) group commits, p50 \(Self.percentile(concurrent, 0.5)) ms p99 \(Self.percentile(concurrent, 0.99)) ms")
        try await server.stop()
    }

    /// The median time of one entry recorded alone (one append, one fdatasync).
    static func auditAppendCost(_ audit: QueryAuditLog) throws -> Double {
        var times: [Double] = []
        for _ in 0..<20 {
            let start = ContinuousClock.now
            try audit.record([AuditEntry(principal: "timing", role: "test", purpose: "cost", channel: "test", command: "timing")])
            times.append(milliseconds(ContinuousClock.now - start))
        }
        return times.sorted()[times.count / 2]
    }

    static func milliseconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
    }

    static func percentile(_ values: [Double], _ p: Double) -> String {
        let sorted = values.sorted()
        return String(format: "%.2f", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))])
    }
}
