import CreditLedger
import CreditLedgerServer
import Foundation
import Testing

/// The credit office's routes answer with the bytes `credit-ledger indicators|lists --json` prints,
/// and refuse parameters that do not fit with 400.
extension ServeProcessTests {
    @Test func indicatorsAndListsAnswerWithTheBytesTheCommandLinePrints() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let indicators = try await server.send(
            "GET", "/v1/indicators?from=2020-01-01&to=2020-12-31&period=quarter&knownAt=2099-01-01&purpose=review", as: "admin")
        #expect(indicators.status == 200, "\(indicators.text)")
        let lists = try await server.send("GET", "/v1/lists?list=abnormalOperation&asOf=2025-06-30&knownAt=2099-01-01&purpose=review", as: "admin")
        #expect(lists.status == 200, "\(lists.text)")
        for bad in ["/v1/indicators?from=2020-01-01&to=2020-12-31&asOf=2020-06-30", "/v1/indicators?from=2020-12-31&to=2020-01-01",
                    "/v1/indicators?from=2020-01-01", "/v1/indicators?from=2020-01-01&to=2020-12-31&period=week",
                    "/v1/lists?list=blacklist", "/v1/lists?list=red&asOf=2025-06-30&from=2025-07-01", "/v1/lists?list=red&horizon=-1"] {
            let answer = try await server.send("GET", bad + "&purpose=review", as: "admin")
            #expect(answer.status == 400, "\(bad): \(answer.text)")
        }
        try await server.stop()
        let printed = try await Self.cli(["indicators", "--from", "2020-01-01", "--to", "2020-12-31", "--period", "quarter", "--ledger", server.directory,
                                    "--json", "--known-at", "2099-01-01", "--purpose", "comparison", "--show-identities"])
        #expect(printed.status == 0)
        #expect(printed.stdout == indicators.text)
        let printedLists = try await Self.cli(["lists", "--list", "abnormalOperation", "--as-of", "2025-06-30", "--ledger", server.directory,
                                         "--json", "--known-at", "2099-01-01", "--purpose", "comparison", "--show-identities"])
        #expect(printedLists.status == 0)
        #expect(printedLists.stdout == lists.text)
    }
}

/// The worklists, an applicant's cases, the credit file and the repair certificate over HTTP.
extension ServeProcessTests {
    /// A penalty of the company (2023-01-05, field other: repairable after six months; performed
    /// 01-20) and its repair R-1: applied 2024-03-01 with its repair commitment, accepted 03-04,
    /// approved 04-15.
    static func repairFacts() -> [String] {
        let (c, s) = (Facts.company, LiveServer.reporterSource)
        func line(_ id: String, _ type: String, _ date: String, _ body: String) -> String {
            #"{"id":"\#(id)","type":"\#(type)","subject":"\#(c)","source":"\#(s)","effective":"\#(date)","body":\#(body)}"#
        }
        return [
            line("P-1", "penalty.decided", "2023-01-05", #"{"decisionNo":"沪市监嘉处〔2023〕9号","kinds":["fine"],"fineYuan":5000,"procedure":"ordinary","field":"other","legalBasis":"《广告法》第五十五条"}"#),
            line("P-2", "penalty.performed", "2023-01-20", #"{"decisionNo":"沪市监嘉处〔2023〕9号"}"#),
            line("C-1", "commitment.made", "2024-03-01", #"{"commitmentNo":"CR-1","kind":"repair","matter":"按期整改"}"#),
            line("F-1", "repair.applied", "2024-03-01", #"{"repairNo":"R-1","target":{"decisionNo":"沪市监嘉处〔2023〕9号"},"commitmentNo":"CR-1"}"#),
            line("F-2", "repair.accepted", "2024-03-04", #"{"repairNo":"R-1"}"#),
            line("F-3", "repair.decided", "2024-04-15", #"{"repairNo":"R-1","outcome":"approved"}"#),
        ]
    }

    @Test func worklistsCasesFileAndCertificateAnswerAsTheCommandLinePrints() async throws {
        let server = try await LiveServer()
        let posted = try await server.post([Facts.registration(), Facts.role()] + Self.repairFacts())
        #expect(posted.status == 200 || posted.status == 201, "\(posted.text)")
        let c = Facts.company
        let worklist = try await server.send("GET", "/v1/worklist?kind=repairs&asOf=2024-03-20&purpose=review", as: "admin")
        #expect(worklist.status == 200 && worklist.text.contains(#""number":"R-1""#) && worklist.text.contains(#""stage":"accepted""#), "\(worklist.text)")
        let risks = try await server.send("GET", "/v1/worklist?kind=risks&asOf=2024-03-20&purpose=review", as: "admin")
        #expect(risks.status == 200 && risks.text.contains(#""worklist":"risks""#), "\(risks.text)")
        let cases = try await server.send("GET", "/v1/subjects/\(c)/cases?asOf=2024-04-30&number=R-1&purpose=review", as: "admin")
        #expect(cases.status == 200 && cases.text.contains(#""outcome":"approved""#), "\(cases.text)")
        let file = try await server.send("GET", "/v1/subjects/\(c)/file?asOf=2024-04-30&purpose=review", as: "admin")
        #expect(file.status == 200 && file.text.contains(#""type":"repair.accepted""#), "\(file.text)")
        let certificate = try await server.send("GET", "/v1/subjects/\(c)/repairs/R-1/certificate?asOf=2024-04-30&knownAt=2099-01-01&purpose=review",
                                                as: "admin")
        #expect(certificate.status == 200 && certificate.text.contains(#""certificate":"信用修复证明""#), "\(certificate.text)")
        let page = try await server.send("GET", "/v1/subjects/\(c)/repairs/R-1/certificate?asOf=2024-04-30&purpose=review", as: "admin",
                                         headers: ["Accept": "text/html"])
        #expect(page.status == 200 && page.text.contains("XYXF-") && page.text.contains("信用修复证明"), "\(page.text)")
        let early = try await server.send("GET", "/v1/subjects/\(c)/repairs/R-1/certificate?asOf=2024-04-01&purpose=review", as: "admin")
        #expect(early.status == 409, "\(early.text)")
        let unknown = try await server.send("GET", "/v1/subjects/\(c)/repairs/R-9/certificate?asOf=2024-04-30&purpose=review", as: "admin")
        #expect(unknown.status == 404, "\(unknown.text)")
        for bad in ["/v1/worklist?kind=appeals", "/v1/worklist?kind=repairs&regime=beijing", "/v1/worklist?kind=risks&regime=standard",
                    "/v1/subjects/\(c)/cases?regime=beijing"] {
            let answer = try await server.send("GET", bad + "&purpose=review", as: "admin")
            #expect(answer.status == 400, "\(bad): \(answer.text)")
        }
        try await server.stop()
        let printed = try await Self.cli(["certificate", c, "R-1", "--as-of", "2024-04-30", "--ledger", server.directory, "--json",
                                    "--known-at", "2099-01-01", "--purpose", "comparison", "--show-identities"])
        #expect(printed.status == 0)
        #expect(printed.stdout == certificate.text)
    }
}

/// The office's pages over HTTP: a browser's `Accept` gets the page the command line writes with
/// `--format html`, byte for byte; a client asking for JSON still gets the document.
extension ServeProcessTests {
    @Test func officeRoutesAnswerABrowserWithThePageTheCommandLineWrites() async throws {
        let server = try await LiveServer()
        let posted = try await server.post([Facts.registration(), Facts.role()] + Self.repairFacts())
        #expect(posted.status == 200 || posted.status == 201, "\(posted.text)")
        let c = Facts.company
        let browser = ["Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"]
        let asked: [(path: String, command: [String], heading: String)] = [
            ("/v1/indicators?from=2024-01-01&to=2024-06-30&period=quarter", ["indicators", "--from", "2024-01-01", "--to", "2024-06-30", "--period", "quarter"],
             "<h1>社会信用体系建设考核指标</h1>"),
            ("/v1/lists?list=abnormalOperation&asOf=2024-06-30", ["lists", "--list", "abnormalOperation", "--as-of", "2024-06-30"], "<h1>经营异常名录</h1>"),
            ("/v1/worklist?kind=repairs&asOf=2024-03-20", ["worklist", "repairs", "--as-of", "2024-03-20"], "<h1>信用修复申请办理清单</h1>"),
            ("/v1/worklist?kind=risks&asOf=2024-03-20", ["worklist", "risks", "--as-of", "2024-03-20"], "<h1>风险预警清单</h1>"),
            ("/v1/subjects/\(c)/file?asOf=2024-04-30", ["file", c, "--as-of", "2024-04-30"], "<p class=\"kicker\">信用档案</p>"),
        ]
        var pages: [String] = []
        for ask in asked {
            let page = try await server.send("GET", ask.path + "&knownAt=2099-01-01&purpose=review", as: "admin", headers: browser)
            #expect(page.status == 200 && page.text.hasPrefix("<!DOCTYPE html>") && page.text.contains(ask.heading), "\(ask.path): \(page.text.prefix(600))")
            pages.append(page.text)
            let document = try await server.send("GET", ask.path + "&knownAt=2099-01-01&purpose=review", as: "admin", headers: ["Accept": "*/*"])
            #expect(document.status == 200 && document.text.hasPrefix("{"), "\(ask.path): JSON without a browser's Accept")
        }
        let unknown = try await server.send("GET", "/v1/subjects/91310114000070033W/file?purpose=review", as: "admin", headers: browser)
        #expect(unknown.status == 404 && unknown.text.contains("本台账无该主体信息"), "the page with its notice: \(unknown.text.prefix(300))")
        try await server.stop()
        for (ask, page) in zip(asked, pages) {
            let printed = try await Self.cli(ask.command + ["--ledger", server.directory, "--format", "html", "--known-at", "2099-01-01",
                                                            "--purpose", "comparison"])
            #expect(printed.status == 0, "\(ask.command)")
            #expect(printed.stdout == page, "\(ask.path): the same page from the command line")
        }
    }
}
