import CreditFacts
import CreditLedger

/// How the documents say that a subject is not registered in this ledger: a valid code about which
/// the ledger holds no fact (as known at the instant asked about). Its empty record is absence of
/// data, not a clean record, so the `subject`, `report` (credit and special) and `match` documents
/// carry `"inLedger": false` and a `notInLedger` notice; the CLI exits with status 3 after printing
/// them, and the server answers 404 with the notice. Documents about subjects the ledger knows are
/// unchanged (neither member appears).
public enum NotInLedger {
    /// The notice for `subject`.
    public static func notice(_ subject: SubjectCode) -> String {
        "\(subject) is not registered in this ledger: no fact about it is recorded, so nothing can be said of its record (本台账无该主体信息)"
    }

    /// The members a document about `subject` adds: none when the ledger knows it.
    public static func members(_ subject: SubjectCode, inLedger: Bool) -> [(String, JSON)] {
        inLedger ? [] : [("inLedger", .bool(false)), ("notInLedger", .string(notice(subject)))]
    }

    /// The notice a document carries when it is about a subject not registered in this ledger.
    public static func notice(in document: JSON) -> String? {
        guard case .object(let members) = document else { return nil }
        return members.first { $0.0 == "notInLedger" }.flatMap { if case .string(let text) = $0.1 { text } else { nil } }
    }
}
