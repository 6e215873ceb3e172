import CreditFacts

/// What makes a credit report fit to hand out: who issued it and when, a report number, and the
/// reference that lets anyone holding the same ledger verify it — the ledger's head (records and
/// chain hash) and the digest of every view as of the report's date and instant, with the one
/// command that prints that digest again.
public struct ReportIssue: Sendable, Hashable {
    /// The issuing body (出具单位), as configured; nil when none was (the page says so).
    public var issuer: String?
    /// The date of issue (出具日期).
    public var issued: LegalDate
    /// How many facts the ledger held.
    public var records: UInt64
    /// The ledger's chain hash after its last fact (hex).
    public var headHash: String
    /// The digest of every view as of the report's date, as known at its instant (hex).
    public var viewDigest: String
    /// The command that prints ``viewDigest`` again from the same ledger.
    public var verifyCommand: String

    /// Creates the issue details of a report.
    public init(issuer: String?, issued: LegalDate, records: UInt64, headHash: String, viewDigest: String, verifyCommand: String) {
        self.issuer = issuer
        self.issued = issued
        self.records = records
        self.headHash = headHash
        self.viewDigest = viewDigest
        self.verifyCommand = verifyCommand
    }

    /// The report number (报告编号) of a report about `subject` as of `asOf`: `XYBG-` (信用报告),
    /// the date of issue, and ten hex digits of a 64-bit FNV-1a hash over the ledger head, the
    /// subject, the date and the date of issue. The same ledger, subject and dates give the same
    /// number on every machine; it names the report, the digest is what proves it.
    public func number(subject: SubjectCode, asOf: LegalDate) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in "\(records)|\(headHash)|\(subject)|\(asOf)|\(issued)".utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16, uppercase: true)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return "XYBG-\(issued.description.replacingOccurrences(of: "-", with: ""))-\(digits.prefix(10))"
    }
}
