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
