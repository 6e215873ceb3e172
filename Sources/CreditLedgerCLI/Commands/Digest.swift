import ArgumentParser
import CreditDocuments

/// `digest`: the hex digest of all views as of / known at the given instants.
struct Digest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Hex digest of all views as of --as-of and known at --known-at: identical for identical inputs on any run or machine.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let date = try time.date()
            // The digest is computed from exactly the history its JSON names (tree size and root).
            let binding = try ledger.binding(knownAt: try time.instant())
            let digest = try ledger.digest(asOf: date, knownAt: binding.knownAt)
            if options.json {
                print(QueryDocuments.digest(asOf: date, knownAtText: try time.knownAtText(), digest: digest, binding: binding).text)
            } else {
                print(digest)
            }
        }
    }
}
