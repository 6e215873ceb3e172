import CreditDocuments
import CreditLedger
import LedgerStorage

/// What `verify` says about the ledger's query audit log, when it has one: its checksums and hash
/// chain recomputed, as for the facts. A damaged audit log fails `verify` (exit 2) naming the file,
/// offset and position, since while it is damaged no query is answered.
struct AuditVerification {
    /// The report, nil when the ledger has no audit log.
    let report: VerificationReport?

    init(ledger: String) throws {
        do { report = try QueryAuditLog.verify(ledgerDirectory: ledger) } catch {
            throw CLIFailure(.damaged, "the audit log \(QueryAuditLog.directory(ofLedger: ledger)) cannot be verified: \(error)")
        }
    }

    /// Whether the audit log is damaged.
    var isDamaged: Bool { report?.damage != nil }

    /// `{"ok","records","head"[, "damage"]}` for `verify --json`.
    var json: JSON? {
        guard let report else { return nil }
        var pairs: [(String, JSON)] = [
            ("ok", .bool(report.isIntact)), ("records", .integer(Int(report.records))), ("head", .string(report.chainHash.description)),
        ]
        if let damage = report.damage {
            pairs.append(("damage", .object([
                ("file", .string(damage.file)), ("offset", .integer(Int(damage.offset))),
                ("position", damage.position.map { .integer(Int($0.rawValue)) } ?? .null), ("reason", .string(damage.reason)),
            ])))
        }
        return .object(pairs)
    }

    /// `audit ok records=N head=HEX` on stdout, or the damage on stderr.
    func printText() {
        guard let report else { return }
        if let damage = report.damage {
            printError("credit-ledger: audit log damaged: \(damage)")
        } else {
            print("audit ok records=\(report.records) head=\(report.chainHash)")
        }
    }
}
