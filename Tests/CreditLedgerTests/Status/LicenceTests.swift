import CreditFacts
import Foundation
import LedgerStorage
import Testing
import Crypto
@testable import CreditLedger

/// Licences (行政许可) in the standing and the credit report: each with its number, item, issuing
/// department and validity, and its state on a date — valid, expired, revoked by a penalty of the
/// department that granted it, cancelled when the holder is deregistered (行政许可法 Art. 70).
@Suite struct LicenceTests {
    let directory = TemporaryDirectory()
    static let samr = "310114-SCJG"
    static let construction = "310114-JSW"

    static func licence(_ number: String, item: String, on date: String, until: String? = nil, source: String = samr) -> Fact {
        let validity = until.map { #","validUntil":"\#($0)""# } ?? ""
        return Status.fact("licence.granted", Status.company, on: date, #"{"decisionNo":"\#(number)","item":"\#(item)"\#(validity)}"#, source: source)
    }

    /// The company with three licences: two of the market regulator (one for two years, one
    /// without a term) and one of the construction commission.
    func ledgerWithLicences() throws -> Ledger {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.registered(Status.company, name: "上海嘉定许可测试公司", on: "2021-06-01"),
            Self.licence("沪市监嘉许〔2022〕1号", item: "食品经营许可", on: "2022-01-10", until: "2024-01-09"),
            Self.licence("沪市监嘉许〔2022〕2号", item: "特种设备使用登记", on: "2022-03-01"),
            Self.licence("沪嘉建许〔2022〕5号", item: "建筑施工许可", on: "2022-05-01", until: "2027-04-30", source: Self.construction),
        ])
        return ledger
    }

    func states(_ ledger: Ledger, asOf day: String, knownAt: RecordedTime? = nil) throws -> [String] {
        try ledger.creditReport(for: subject(Status.company), asOf: date(day), knownAt: knownAt).licences.map { l in
            "\(l.decisionNo) \(l.state.rawValue)" + (l.since.map { " \($0)" } ?? "") + (l.revokedBy.map { " by \($0)" } ?? "")
        }
    }

    @Test func aLicenceCarriesItsNumberItemIssuerAndValidityAndExpiresAfterItsLastDay() throws {
        let ledger = try ledgerWithLicences()
        let report = try ledger.creditReport(for: subject(Status.company), asOf: date("2022-02-01"))
        #expect(report.licences.count == 1, "only the licence granted by then")
        let first = try #require(report.licences.first)
        #expect(first.item == "食品经营许可" && first.issuer.text == Self.samr && first.granted == date("2022-01-10"))
        #expect(first.validUntil == date("2024-01-09") && first.state == .valid && first.isValid)
        #expect(try states(ledger, asOf: "2024-01-09") == [
            "沪市监嘉许〔2022〕1号 valid", "沪市监嘉许〔2022〕2号 valid", "沪嘉建许〔2022〕5号 valid",
        ], "valid through its last day")
        #expect(try states(ledger, asOf: "2024-01-10") == [
            "沪市监嘉许〔2022〕1号 expired 2024-01-10", "沪市监嘉许〔2022〕2号 valid", "沪嘉建许〔2022〕5号 valid",
        ])
    }

    @Test func aPenaltyRevokingLicencesEndsThoseOfItsDepartmentInForceAndItsOwnRevocationRestoresThem() throws {
        let ledger = try ledgerWithLicences()
        try ledger.append([
            Status.penalty(Status.company, "沪市监嘉处〔2023〕8号", on: "2023-06-01", kinds: #"["licenceRevoked"]"#, fine: nil,
                           severity: "serious", source: Self.samr),
        ])
        let revoked = [
            "沪市监嘉许〔2022〕1号 revoked 2023-06-01 by 沪市监嘉处〔2023〕8号",
            "沪市监嘉许〔2022〕2号 revoked 2023-06-01 by 沪市监嘉处〔2023〕8号",
            "沪嘉建许〔2022〕5号 valid",
        ]
        #expect(try states(ledger, asOf: "2023-05-31").allSatisfy { $0.hasSuffix("valid") }, "not before the decision")
        #expect(try states(ledger, asOf: "2023-06-01") == revoked, "the construction commission's licence is not the regulator's to revoke")
        #expect(try states(ledger, asOf: "2024-02-01") == revoked, "revoked before it expired: revoked stays")
        let beforeRevocation = try ledger.head.lastRecordedTime

        try ledger.append([Status.revoked(Status.company, "沪市监嘉处〔2023〕8号", on: "2023-09-01")])
        #expect(try states(ledger, asOf: "2023-08-31") == revoked, "the penalty stood until its own revocation")
        #expect(try states(ledger, asOf: "2023-10-01") == [
            "沪市监嘉许〔2022〕1号 valid", "沪市监嘉许〔2022〕2号 valid", "沪嘉建许〔2022〕5号 valid",
        ], "a revoked penalty revokes nothing")
        #expect(try states(ledger, asOf: "2023-10-01", knownAt: beforeRevocation) == revoked, "as known before the penalty was revoked")
    }

    @Test func aPenaltyAfterALicenceExpiredOrBeforeItWasGrantedLeavesIt() throws {
        let ledger = try ledgerWithLicences()
        try ledger.append([
            Status.penalty(Status.company, "沪市监嘉处〔2021〕3号", on: "2021-12-01", kinds: #"["licenceRevoked"]"#, fine: nil,
                           severity: "serious", source: Self.samr),
            Status.penalty(Status.company, "沪市监嘉处〔2024〕2号", on: "2024-03-01", kinds: #"["fine"]"#, fine: 1000, source: Self.samr),
        ])
        #expect(try states(ledger, asOf: "2024-06-01") == [
            "沪市监嘉许〔2022〕1号 expired 2024-01-10", "沪市监嘉许〔2022〕2号 valid", "沪嘉建许〔2022〕5号 valid",
        ], "the 2021 revocation predates the grants; a fine revokes nothing")
    }

    @Test func deregisteringTheHolderCancelsItsLicences() throws {
        let ledger = try ledgerWithLicences()
        try ledger.append([Status.fact("subject.deregistered", Status.company, on: "2025-03-01", #"{"reason":"决议解散"}"#, source: Self.samr)])
        #expect(try states(ledger, asOf: "2025-03-01") == [
            "沪市监嘉许〔2022〕1号 expired 2024-01-10", "沪市监嘉许〔2022〕2号 cancelled 2025-03-01", "沪嘉建许〔2022〕5号 cancelled 2025-03-01",
        ])
        let file = try ledger.subjectFile(of: subject(Status.company), asOf: date("2025-03-01"))
        let statuses = file.entries.filter { $0.fact.fact.type == .licenceGranted }.map(\.status)
        #expect(statuses == ["expired on 2024-01-10", "cancelled on 2025-03-01: the holder was deregistered",
                             "cancelled on 2025-03-01: the holder was deregistered"])
        let earlier = try ledger.subjectFile(of: subject(Status.company), asOf: date("2023-01-01"))
        #expect(earlier.entries.filter { $0.fact.fact.type == .licenceGranted }.map(\.status)
                == ["valid until 2024-01-09", "valid, no fixed term", "valid until 2027-04-30"])
    }

    @Test func licencesSurviveASnapshotAndAreInTheDigest() throws {
        let ledger = try ledgerWithLicences()
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        let before = try states(ledger, asOf: "2024-06-01")
        try ledger.close()
        let reopened = try Status.ledger(directory)
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest)
        #expect(try states(reopened, asOf: "2024-06-01") == before)
        #expect(try reopened.withView(ConductRecords.self) { $0.entry(subject(Status.company)).licences.count } == 3)
        try reopened.append([Self.licence("沪市监嘉许〔2023〕9号", item: "食品经营许可", on: "2022-12-01")])
        #expect(try reopened.digest(asOf: date("2023-01-01")) != digest, "a licence changes the digest")
    }

    /// A snapshot written before the view kept licences (code version 1) must be rebuilt, never
    /// read as if it had none: the snapshot is re-labelled as version 1, with a correct checksum.
    @Test func aSnapshotOfTheConductViewBeforeLicencesIsRebuiltFromTheLog() throws {
        let ledger = try ledgerWithLicences()
        try ledger.close()
        let snapshots = directory.path + "/snapshots"
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: snapshots).first { $0.hasSuffix(".snapshot") })
        let file = snapshots + "/" + name
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        func label(_ version: Int) -> [UInt8] {
            var e = CanonicalEncoder()
            e.write(ConductRecords.name)
            e.write(version)
            return e.bytes
        }
        #expect(ConductRecords.codeVersion == 2)
        let at = try #require(Self.find(label(ConductRecords.codeVersion), in: bytes))
        let old = label(1)
        bytes.replaceSubrange(at..<(at + old.count), with: old)
        bytes.removeLast(32)
        bytes += Array(SHA256.hash(data: bytes))
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let reopened = try Status.ledger(directory)
        #expect(try reopened.withView(ConductRecords.self) { $0.entry(subject(Status.company)).licences.count } == 3, "rebuilt from the log")
        #expect(!FileManager.default.fileExists(atPath: file), "the version-1 snapshot is dropped")
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        return (0...(haystack.count - needle.count)).first { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }
    }
}
