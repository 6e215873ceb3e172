import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// 信易贷: the financing whitelist triggers the credit-financing reward in the financing scene,
/// unless the subject stands on a dishonesty list.
@Suite struct FinancingRewardTests {
    let directory = TemporaryDirectory()

    @Test func theFinancingWhitelistTriggersCreditFinancingUnlessTheSubjectIsOnADishonestyList() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.registered(Status.company, name: "上海嘉定甲公司", on: "2023-01-01"),
            Status.listed(Status.company, "W-1", list: "financingWhitelist", on: "2024-03-01"),
            Status.listed(Status.company, "K-1", list: "keyAttention", on: "2024-06-01"),
        ])
        let ids = { (day: String) in
            try ledger.match(subject(Status.company), scene: .financing, asOf: date(day)).map(\.measure.id.text)
        }
        #expect(try !ids("2024-02-29").contains("R-CREDIT-FINANCING"), "not yet on the whitelist")
        #expect(try ids("2024-04-01").contains("R-CREDIT-FINANCING"))
        #expect(try !ids("2024-06-01").contains("R-CREDIT-FINANCING"), "a key-attention listing stops it")
        let measure = try #require(Measures.national.measure(MeasureID(unchecked: "R-CREDIT-FINANCING")))
        #expect(measure.kind == .reward && measure.legalBasis.contains("国办发〔2021〕52号"))
    }
}
