import CreditDocuments
import CreditFacts
import CreditLedger
import LedgerStorage

/// What makes a credit report fit to hand out: who issued it and when, a report number, and the
/// reference that lets anyone holding the same ledger verify it — the history it was computed from (facts and
/// chain hash) and the digest of every view as of the report's date and instant, with the one
/// command that prints that digest again.
public struct ReportIssue: Sendable, Hashable {
    /// The issuing body (出具单位), as configured; nil when none was (the page says so).
    public var issuer: String?
    /// The date of issue (出具日期).
    public var issued: LegalDate
    /// How many facts the report was computed from (the size of its history).
    public var records: UInt64
    /// The Merkle root of that history (the `root` of the document's `ledger` member).
    public var headHash: String
    /// The digest of every view as of the report's date, as known at its instant (hex).
    public var viewDigest: String
    /// The command that prints ``viewDigest`` again from the same ledger.
    public var verifyCommand: String
    /// The hash algorithm of the ledger's Merkle tree (`sha256` or `sm3`: the `hash` of the `ledger` member).
    public var hashAlgorithm: String
    /// The signed checkpoint of exactly ``records`` facts when the ledger keeps one (the `checkpoint`
    /// of the `ledger` member), nil otherwise.
    public var checkpoint: String?
    /// The command that checks the report's JSON form against a ledger and the checkpoint's signature
    /// (the `verify` of the `ledger` member).
    public var checkCommand: String

    /// Creates the issue details of a report.
    public init(issuer: String?, issued: LegalDate, records: UInt64, headHash: String, viewDigest: String, verifyCommand: String,
                hashAlgorithm: String = LogHashAlgorithm.sha256.rawValue, checkpoint: String? = nil,
                checkCommand: String = HistoryDocuments.reportCheck) {
        self.issuer = issuer
        self.issued = issued
        self.records = records
        self.headHash = headHash
        self.viewDigest = viewDigest
        self.verifyCommand = verifyCommand
        self.hashAlgorithm = hashAlgorithm
        self.checkpoint = checkpoint
        self.checkCommand = checkCommand
    }

    /// The report number (报告编号) of a report about `subject` as of `asOf`: `XYBG-` (信用报告),
    /// the date of issue, and ten hex digits of a 64-bit FNV-1a hash over the ledger head, the
    /// subject, the date and the date of issue. The same ledger, subject and dates give the same
    /// number on every machine; it names the report, the digest is what proves it.
    public func number(subject: SubjectCode, asOf: LegalDate) -> String {
        let hash = ContentHash.fnv1a("\(records)|\(headHash)|\(subject)|\(asOf)|\(issued)".utf8)
        let hex = String(hash, radix: 16, uppercase: true)
        let digits = String(repeating: "0", count: 16 - hex.count) + hex
        return "XYBG-\(issued.description.replacingOccurrences(of: "-", with: ""))-\(digits.prefix(10))"
    }
}

extension ReportIssue {
    /// The issue details of a report from `ledger` as of `date`, computed from the history
    /// `binding` names (as the report itself is): its size, hash algorithm, Merkle root and signed
    /// checkpoint (as the JSON form's `ledger` member names them), the digest of every view
    /// as known at the binding's instant, and the `digest` command that prints it again — with
    /// `--known-at` as the asker gave it (`knownAtText`), or else that instant (a command that still
    /// gives the same views after more facts arrive). The same for the command line and the server,
    /// so both hand out the same page.
    public static func of(_ ledger: Ledger, binding: HistoryBinding, asOf date: LegalDate, knownAtText: String?, ledgerPath: String,
                          issuer: String?, issued: LegalDate) throws -> ReportIssue {
        let digest = try ledger.digest(asOf: date, knownAt: binding.knownAt)
        let instant = knownAtText ?? binding.knownAt.map { Timestamp($0).description }
        let command = ["credit-ledger", "digest", "--ledger", quoted(ledgerPath), "--as-of", date.description]
            + (instant.map { ["--known-at", quoted($0)] } ?? [])
        return ReportIssue(issuer: issuer, issued: issued, records: binding.head.size, headHash: "\(binding.head.root)",
                           viewDigest: digest, verifyCommand: command.joined(separator: " "),
                           hashAlgorithm: binding.head.algorithm.rawValue, checkpoint: binding.checkpoint,
                           checkCommand: HistoryDocuments.reportCheck)
    }

    /// A command-line word, in single quotes when it holds anything but letters, digits and `-_./:+`.
    private static func quoted(_ word: String) -> String {
        word.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:+".contains($0)) }) && !word.isEmpty
            ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
