import CreditLedger
import CreditLedgerServer
import Foundation
import Testing

/// Issue 19 over HTTP: the credit report carries the licences with their state, and the measures
/// route answers the rewards an A-grade tax evaluation triggers, with their legal bases.
extension ServeProcessTests {
    @Test func theReportCarriesLicencesAndTheMeasuresRouteTheRewardsOfAnATaxGrade() async throws {
        let server = try await LiveServer()
        let (c, s) = (Facts.company, LiveServer.reporterSource)
        func line(_ id: String, _ type: String, _ date: String, _ body: String) -> String {
            #"{"id":"\#(id)","type":"\#(type)","subject":"\#(c)","source":"\#(s)","effective":"\#(date)","body":\#(body)}"#
        }
        let posted = try await server.post([
            Facts.registration(),
            line("LG-1", "licence.granted", "2022-01-10", #"{"decisionNo":"沪市监嘉许〔2022〕1号","item":"食品经营许可","validUntil":"2027-01-09"}"#),
            line("P-1", "penalty.decided", "2024-06-03", #"{"decisionNo":"沪市监嘉处〔2024〕9号","kinds":["licenceRevoked"],"procedure":"ordinary","severity":"serious","field":"foodSafety","legalBasis":"《食品安全法》第一百三十四条"}"#),
            line("E-1", "evaluation.published", "2024-04-20", #"{"scheme":"tax","grade":"A","year":2023}"#),
        ])
        #expect(posted.status == 200 || posted.status == 201, "\(posted.text)")
        let before = try await server.send("GET", "/v1/subjects/\(c)/report?asOf=2024-05-31&purpose=review", as: "admin")
        #expect(before.status == 200 && before.text.contains(#""licences":[{"decisionNo":"沪市监嘉许〔2022〕1号","item":"食品经营许可","issuer":"310114-SCJG","granted":"2022-01-10","validUntil":"2027-01-09","state":"valid","since":null,"revokedBy":null"#),
                "\(before.text)")
        let after = try await server.send("GET", "/v1/subjects/\(c)/report?asOf=2024-06-30&purpose=review", as: "admin")
        #expect(after.text.contains(#""state":"revoked","since":"2024-06-03","revokedBy":"沪市监嘉处〔2024〕9号""#), "\(after.text)")
        let financing = try await server.send("GET", "/v1/subjects/\(c)/measures?scene=financing&asOf=2024-05-31&purpose=review", as: "admin")
        #expect(financing.status == 200 && financing.text.contains("R-TAX-CREDIT-LOAN") && financing.text.contains("税总发〔2015〕96号"),
                "\(financing.text)")
        let early = try await server.send("GET", "/v1/subjects/\(c)/measures?scene=financing&asOf=2024-04-19&purpose=review", as: "admin")
        #expect(early.status == 200 && !early.text.contains("R-TAX-CREDIT-LOAN"), "not before the grade is published: \(early.text)")
        try await server.stop()
    }
}
