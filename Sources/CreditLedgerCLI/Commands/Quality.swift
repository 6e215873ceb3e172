import ArgumentParser
import CreditFacts
import CreditLedger
import Foundation

/// `quality`: per source, facts reported on time (within the regime's working days), late, rate;
/// duplicates received; refusals by reason; code conflicts. `--html FILE` also writes the page
/// (a bar chart of the on-time rate per source), rendered from the `--json` document.
struct Quality: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Data quality per source: on time within 7 working days (holiday calendar), late, on-time rate; duplicates; refusals by reason; code conflicts.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Option(help: "Also write the data-quality page (HTML, with a chart of the on-time rate per source) to FILE.")
    var html: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let date = try time.date()
            let intake = ledger.intake.counts
            let sources = try ledger.withView(DataQuality.self, knownAt: try time.instant()) {
                $0.report(asOf: date, context: ledger.context, intake: intake)
            }
            var byReason: [String: Int] = [:]
            for kinds in intake.refusals.values { for (kind, count) in kinds { byReason[kind, default: 0] += count } }
            let conflicts = Array(Set(sources.flatMap(\.codeConflicts))).sorted()
            let names = try conflicts.map { code in
                try ledger.subjectView(SubjectRegistry.self, subject: code, knownAt: try time.instant()).entry(code)?
                    .registrations.map(\.details.name) ?? []
            }
            let document = JSON.object([
                ("asOf", .string(date.description)), ("knownAt", .string(try time.knownAtText())),
                ("sources", .array(sources.map { s in
                    .object([("source", .string(s.source.text)), ("facts", .integer(s.facts)), ("onTime", .integer(s.onTime)),
                             ("late", .integer(s.late)), ("onTimeRate", s.onTimeRate.map(JSON.number) ?? .null)])
                })),
                ("duplicates", .integer(intake.duplicates.values.reduce(0, +))),
                ("refused", .object([("byReason", .object(byReason.sorted { $0.key < $1.key }.map { ($0.key, .integer($0.value)) }))])),
                ("codeConflicts", .array(zip(conflicts, names).map { code, names in
                    .object([("code", .string(code.description)), ("names", .array(Array(Set(names)).sorted().map(JSON.string)))])
                })),
            ])
            if let html { try HTMLPages.write(HTMLPages.quality(document), to: html) }
            if options.json {
                print(document.text)
                return
            }
            print("source".padding(toLength: 16, withPad: " ", startingAt: 0) + "      facts    on time       late   on-time rate")
            for s in sources {
                let rate = s.onTimeRate.map { String(format: "%.2f%%", $0 * 100) } ?? "-"
                print(s.source.text.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + [String(s.facts), String(s.onTime), String(s.late)].map { rightAligned($0, 11) }.joined()
                    + rightAligned(rate, 15))
            }
            print("duplicates received: \(intake.duplicates.values.reduce(0, +))")
            print("refused: " + (byReason.isEmpty ? "none" : byReason.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")))
            print("code conflicts (one code, several names): \(conflicts.count)")
            for (code, names) in zip(conflicts, names).prefix(10) { print("  \(code): \(Array(Set(names)).sorted().joined(separator: " / "))") }
        }
    }
}

/// `text` right-aligned in `width` columns.
func rightAligned(_ text: String, _ width: Int) -> String {
    String(repeating: " ", count: max(0, width - text.count)) + text
}
