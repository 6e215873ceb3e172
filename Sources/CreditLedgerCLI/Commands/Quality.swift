import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `quality`: per source, facts reported on time (within the regime's working days), late, rate;
/// duplicates received; refusals by reason; code conflicts. `--html FILE` also writes the page
/// (a bar chart of the on-time rate per source), rendered from the same typed document.
struct Quality: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Data quality per source: on time within 7 working days (holiday calendar), late, on-time rate; duplicates; refusals by reason; code conflicts.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @OptionGroup var page: PageFileOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let renderer = try page.renderer()
            let ledger = try options.open()
            let date = try time.date()
            let quality = try QueryDocuments.Quality(ledger: ledger, asOf: date, knownAt: try time.instant(),
                                                     knownAtText: try time.knownAtText())
            try page.write(with: renderer, { $0.quality(quality) }, csv: { $0.qualityCSV(quality, format: $1) })
            if options.json {
                print(quality.json.text)
                return
            }
            print(TextReports.quality(quality, wording: try page.pages.words.wording()))
        }
    }
}

/// `text` right-aligned in `width` columns.
func rightAligned(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
