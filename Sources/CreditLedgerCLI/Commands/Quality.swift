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
            try page.write(with: renderer, { $0.quality(quality) }, csv: { $0.qualityCSV(quality) })
            if options.json {
                print(quality.json.text)
                return
            }
            print("source".padding(toLength: 16, withPad: " ", startingAt: 0) + "      facts    on time       late   on-time rate")
            for s in quality.sources {
                let rate = s.onTimeRate.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
                let name = s.source == IntakeCounters.unnamedSource ? "(none named)" : s.source.text
                print(name.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + [String(s.facts), String(s.onTime), String(s.late)].map { rightAligned($0, 11) }.joined()
                    + rightAligned(rate, 15)
                    + s.notJudged.map { "   not judged: \($0.kind): \($0.count)" }.joined()
                    + (s.refused == 0 ? "" : "   refused \(s.refused), code errors \(s.codeErrors)"))
            }
            print("duplicates received: \(quality.duplicates)")
            print("refused: " + (quality.byReason.isEmpty ? "none" : quality.byReason.map { "\($0.0)=\($0.1)" }.joined(separator: " ")))
            print("code errors (错码): \(quality.codeErrors)")
            print("code conflicts (one code, several names): \(quality.conflicts.count)")
            for (code, names) in quality.conflicts.prefix(10) { print("  \(code): \(names.joined(separator: " / "))") }
        }
    }
}

/// `text` right-aligned in `width` columns.
func rightAligned(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
