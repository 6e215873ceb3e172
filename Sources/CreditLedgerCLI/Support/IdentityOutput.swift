import CreditDocuments
import Synchronization

/// How this run of the command line shows citizen identity numbers in what it prints and the
/// pages and reports it writes: masked (`3101**********123X`, the server's masking) unless the
/// command was given `--show-identities`. Masking applies to the whole output text, so text,
/// JSON and HTML are masked alike and a field added later is masked too. `export` writes the
/// ledger's facts verbatim (they are data to re-import, not an answer).
enum IdentityOutput {
    private static let current = Mutex(IdentityMasking.masked)

    /// Shows identity numbers in full for the rest of the run.
    static func show() { current.withLock { $0 = .shown } }

    /// `text` as this run shows it.
    static func apply(_ text: String) -> String { current.withLock { $0 }.apply(text) }
}

/// The command line's `print`: the text on stdout with identity numbers masked unless
/// `--show-identities` was given, held back until an audited query is recorded (``CLIAudit``).
/// Every command of this module prints through it, so no answer reaches stdout unmasked or
/// unrecorded by oversight.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    CLIAudit.write(items.map { "\($0)" }.joined(separator: separator) + terminator)
}
