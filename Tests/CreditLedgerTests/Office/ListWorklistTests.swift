import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Lists as a clerk works them (`lists --list KIND --as-of D`).
@Suite struct ListWorklistTests {
    let directory = TemporaryDirectory()

    static let company = Status.company
    static let other = Status.otherCompany
    static let third = Codes.enterprise(7003)

    /// The company has been on the abnormal-operation list since 2021-05-10 (it rolls over into the
    /// serious-dishonesty list three years on, 2024-05-10) and on the key-attention list from
    /// 2024-03-01 to a planned exit on 2024-05-01; the other company is on the red list since
    /// 2024-01-10 and on the key-attention list (which does not bar the red list) since 2024-03-15;
    /// a third was on the abnormal-operation list from 2024-02-01 until it performed on 2024-03-20.
    func makeLedger() throws -> Ledger {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.listed(Self.company, "L-1", list: "abnormalOperation", on: "2021-05-10"),
            Status.listed(Self.company, "K-1", list: "keyAttention", on: "2024-03-01", plannedExit: "2024-05-01"),
            Status.listed(Self.other, "R-1", list: "red", on: "2024-01-10"),
            Status.listed(Self.other, "K-2", list: "keyAttention", on: "2024-03-15"),
            Status.listed(Self.third, "L-2", list: "abnormalOperation", on: "2024-02-01"),
            Status.delisted(Self.third, "L-2", reason: "performed", on: "2024-03-20"),
        ])
        return ledger
    }

    @Test func abnormalOperationListShowsWhoIsOnItWhoLeftAndWhoRollsOverWithinSixtyDays() throws {
        let ledger = try makeLedger()
        let report = try ledger.lists(.abnormalOperation, asOf: date("2024-04-01"), from: date("2024-03-01"))
        #expect(report.onList.map(\.status.listNo.text) == ["L-1"])
        #expect(report.onList[0].reason == "依法列入" && report.onList[0].decidingBody.text == Status.nationalSource)
        #expect(report.entered.isEmpty, "L-1 came in 2021, L-2 in February")
        #expect(report.exited.map(\.status.listNo.text) == ["L-2"])
        #expect(report.exited[0].status.ended == date("2024-03-20"))
        #expect(report.rollingOver.map(\.status.listNo.text) == ["L-1"])
        #expect(report.rollingOver[0].rollover == date("2024-05-10"))
        let earlier = try ledger.lists(.abnormalOperation, asOf: date("2024-03-01"))
        #expect(earlier.rollingOver.isEmpty, "2024-05-10 is more than 60 days after 2024-03-01")
        #expect(earlier.from == date("2024-03-01") && earlier.onList.map(\.status.listNo.text) == ["L-1", "L-2"])
    }

    @Test func keyAttentionEntriesAboutToExpireAreFlagged() throws {
        let report = try makeLedger().lists(.keyAttention, asOf: date("2024-04-01"), from: date("2024-03-01"))
        #expect(report.onList.map(\.subject.description) == [Self.company, Self.other].sorted())
        #expect(report.entered.count == 2)
        #expect(report.expiring.map(\.status.listNo.text) == ["K-1"])
        #expect(report.expiring[0].status.plannedExpiry == date("2024-05-01"))
    }

    @Test func redListIsCheckedAgainstTheDishonestyLists() throws {
        let ledger = try makeLedger()
        let report = try ledger.lists(.red, asOf: date("2024-04-01"))
        #expect(report.onList.map(\.status.listNo.text) == ["R-1"])
        #expect(report.redChecks.count == 1)
        #expect(report.redChecks.first?.dishonesty.map(\.listNo.text) == ["K-2"])
        let before = try ledger.lists(.red, asOf: date("2024-03-14"))
        #expect(before.redChecks.isEmpty, "K-2 begins on 2024-03-15")
    }
}
