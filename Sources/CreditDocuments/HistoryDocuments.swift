import CreditLedger
import LedgerStorage

/// The `ledger` member of the reports and of `digest --json` (docs/proofs.md): the exact history
/// they were computed from — the Merkle tree's size, hash algorithm and root, the signed
/// checkpoint of exactly that size when the ledger keeps one — and the command line that checks
/// the document against a ledger.
public enum HistoryDocuments {
    /// The command line that checks a report against the ledger (and its checkpoint's signature).
    public static let reportCheck = "credit-ledger check-report REPORT.json --ledger LEDGER --public-key KEY.pub.pem"
    /// The command line that checks a digest document against the ledger.
    public static let digestCheck = "credit-ledger check-report DIGEST.json --ledger LEDGER --public-key KEY.pub.pem"

    /// The member's value for `binding`, with `check` as its verification command.
    public static func binding(_ binding: HistoryBinding, check: String) -> JSON {
        .object([
            ("treeSize", .integer(Int(binding.head.size))), ("hash", .string(binding.head.algorithm.rawValue)),
            ("root", .string(binding.head.root.description)), ("checkpoint", .optional(binding.checkpoint)),
            ("verify", .string(check)),
        ])
    }

    /// The line a text report ends with: the history it was computed from.
    public static func line(_ binding: HistoryBinding) -> String {
        "computed from the ledger's first \(binding.head.size) facts: Merkle root \(binding.head.algorithm.rawValue) \(binding.head.root)"
            + (binding.checkpoint == nil ? " (no signed checkpoint of this size)" : " (a signed checkpoint of this size is in the JSON form)")
    }

    /// The `ledger` member for `binding`, when there is one.
    static func members(_ binding: HistoryBinding?, check: String) -> [(String, JSON)] {
        binding.map { [("ledger", Self.binding($0, check: check))] } ?? []
    }
}
