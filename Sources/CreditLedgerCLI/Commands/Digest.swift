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
            let digest = try ledger.digest(asOf: date, knownAt: try time.instant())
            if options.json {
                print(QueryDocuments.digest(asOf: date, knownAtText: try time.knownAtText(), digest: digest).text)
            } else {
                print(digest)
            }
        }
    }
}
