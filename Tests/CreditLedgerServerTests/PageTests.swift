import CreditFacts
import CreditLedger
import CreditPages
import Foundation
import LedgerStorage
import Testing

/// The HTML pages over HTTP: the page routes answer the page `PageRenderer` renders from the same
/// typed values as their JSON document when the client prefers `text/html`, audited like the JSON.
@Suite struct PageTests {
    let purpose = "purpose=licensing%20review"
    let browser = ["Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]

    @Test func aBrowserGetsTheCreditReportPageRenderedFromTheSameDocument() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        // A fixed knownAt makes the page's bytes reproducible here.
        let page = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)&asOf=2024-06-30&knownAt=2099-12-31",
                                         as: "admin", headers: browser)
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let knownAt = try Timestamp(parsing: "2099-12-31T23:59:59.999999+08:00")
        let about = try server.ledger.subjectDocument(of: try SubjectCode(Facts.company), asOf: try LegalDate(parsing: "2024-06-30"),
                                                      knownAt: knownAt.recordedTime)
        // The report handed out carries its issue details (number, date of issue today, the ledger's
        // head and view digest with the command that prints it again), as the command line's does.
        let issue = try ReportIssue.of(server.ledger, binding: try server.ledger.binding(knownAt: knownAt.recordedTime),
                                       asOf: try LegalDate(parsing: "2024-06-30"), knownAtText: "2099-12-31", ledgerPath: server.ledger.directory, issuer: nil,
                                       issued: Timestamp(RecordedTime.now()).chinaStandardDate)
        let expected = try PageRenderer().creditReport(about, knownAt: knownAt.description, issue: issue)
        #expect(Array(page.body) == expected, "the page differs from the rendered document")
        #expect(page.text.contains(issue.number(subject: try SubjectCode(Facts.company), asOf: try LegalDate(parsing: "2024-06-30"))))
        #expect(page.text.contains("上海嘉定食品有限公司"))
        // … and the history it was computed from, as the JSON form's ledger member names it.
        #expect(page.text.contains("<dt>哈希算法</dt><dd class=\"code\">sha256</dd>"))
        #expect(page.text.contains("<code>credit-ledger check-report REPORT.json --ledger LEDGER --public-key KEY.pub.pem</code>"))
        // Pages mask identity numbers for every role, the admin's too (they are documents to hand on).
        #expect(!page.text.contains(Facts.person))
        // format=html asks for the same page without an Accept header; the document stays the default.
        let byFormat = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)&asOf=2024-06-30&knownAt=2099-12-31&format=html",
                                             as: "admin")
        #expect(Array(byFormat.body) == expected)
        let document = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)", as: "query", headers: ["Accept": "*/*"])
        #expect(document.headers["content-type"] == "application/json; charset=utf-8")
        #expect(document.json["subject"] as? String == Facts.company)
        let forced = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)&format=json", as: "query", headers: browser)
        #expect(forced.headers["content-type"] == "application/json; charset=utf-8")
        try await server.stop()
    }

    @Test func everyPageRouteAnswersItsPageAndIsAuditedLikeItsDocument() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let routes = [
            ("/v1/subjects/\(Facts.company)", "GET /v1/subjects/{code}"),
            ("/v1/subjects/\(Facts.company)/report?field=foodSafety&from=2024-01-01&to=2024-12-31", "GET /v1/subjects/{code}/report"),
            ("/v1/grades?draw=7", "GET /v1/grades"),
            ("/v1/penetration", "GET /v1/penetration"),
            ("/v1/quality", "GET /v1/quality"),
        ]
        for (path, _) in routes {
            let separator = path.contains("?") ? "&" : "?"
            let page = try await server.send("GET", path + separator + purpose, as: "query", headers: browser)
            #expect(page.status == 200, "\(path): \(page.text.prefix(300))")
            #expect(page.headers["content-type"] == "text/html; charset=utf-8", "\(path)")
            #expect(page.text.hasPrefix("<!DOCTYPE html>"), "\(path)")
            #expect(!page.text.contains("<script"), "\(path)")
        }
        let entries = try await server.send("GET", "/v1/audit", as: "auditor").json["entries"] as? [[String: Any]] ?? []
        // (The audit read is recorded after its own answer.)
        #expect(entries.map { $0["command"] as? String ?? "" } == routes.map(\.1))
        #expect(entries.allSatisfy { $0["purpose"] as? String == "licensing review" })
        // The drawn company is named in the grades answer's entry, as for the JSON document.
        #expect(entries[2]["subjects"] as? [String] == [Facts.company])
        try await server.stop()
    }

    @Test func aSubjectNotInTheLedgerGetsThePageWithTheNoticeAs404() async throws {
        let server = try await LiveServer()
        let absent = Facts.code(42)
        let page = try await server.send("GET", "/v1/subjects/\(absent)/report?\(purpose)", as: "query", headers: browser)
        #expect(page.status == 404)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.text.contains("本台账无该主体信息"))
        let entries = try await server.send("GET", "/v1/audit?subject=\(absent)", as: "auditor").json["entries"] as? [[String: Any]] ?? []
        #expect(entries.count == 1)
        try await server.stop()
    }

    @Test func refusalsOfAPageRequestAreTheJSONErrorsAndRecordNothing() async throws {
        let server = try await LiveServer()
        let noPurpose = try await server.send("GET", "/v1/subjects/\(Facts.company)/report", as: "query", headers: browser)
        #expect(noPurpose.status == 400 && noPurpose.reason.contains("purpose"))
        let badFormat = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)&format=pdf", as: "query")
        #expect(badFormat.status == 400 && badFormat.reason == "format pdf: json or html")
        #expect(try await server.send("GET", "/v1/quality?\(purpose)", as: "reporter", headers: browser).status == 403)
        #expect(try server.audit.head.recordCount == 0)
        try await server.stop()
    }

    @Test func theServersPagesAreTheBytesTheCommandLineWrites() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let instant = "knownAt=2099-01-01T00:00:00%2B08:00&asOf=2025-06-30&purpose=comparison"
        let questions: [(String, [String])] = [
            ("/v1/subjects/\(Facts.company)/report?format=html", ["report", Facts.company, "--format", "html", "--out"]),
            ("/v1/grades?draw=3", ["grades", "--draw", "3", "--html"]),
            ("/v1/quality", ["quality", "--html"]),
            ("/v1/penetration", ["penetration", "--html"]),
        ]
        var pages: [Data] = []
        for (path, _) in questions {
            let separator = path.contains("?") ? "&" : "?"
            let page = try await server.send("GET", path + separator + instant, as: "admin", headers: browser)
            #expect(page.status == 200, "\(path): \(page.text.prefix(300))")
            pages.append(page.body)
        }
        try await server.stop()
        for (index, ((path, arguments), page)) in zip(questions, pages).enumerated() {
            let file = server.directory + "/page-\(index).html"
            let run = try await ServeProcessTests.cli(arguments + [file, "--ledger", server.directory, "--as-of", "2025-06-30",
                                                             "--known-at", "2099-01-01T00:00:00+08:00", "--purpose", "comparison"])
            #expect(run.status == 0, "\(path)")
            #expect(FileManager.default.contents(atPath: file) == page, "\(path)")
        }
    }

    @Test func theReportPageNamesTheIssuingBodyTheServerIsConfiguredWith() async throws {
        let server = try await LiveServer(issuer: "上海市嘉定区公共信用信息服务中心")
        _ = try await server.post([Facts.registration()])
        let page = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)&asOf=2024-06-30", as: "query", headers: browser)
        let json = try await server.send("GET", "/v1/subjects/\(Facts.company)/report?\(purpose)&asOf=2024-06-30", as: "query")
        try await server.stop()
        #expect(page.status == 200 && page.text.contains("上海市嘉定区公共信用信息服务中心"))
        #expect(page.text.contains("XYBG-"))
        // The JSON document is the machine interface: no issue details, its history in `ledger`.
        #expect(json.status == 200 && !json.text.contains("上海市嘉定区公共信用信息服务中心") && json.text.contains(#""ledger":"#))
    }
}
