import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `indicators --from D1 --to D2 [--period month|quarter|year]`: the assessment indicators
/// (考核指标) per period for the district and per department, with each figure's definition and the
/// work plans' targets (docs/office.md). Text (Chinese first), or `--format json|csv|html|pdf`
/// (`--json` and `--csv` as before): the document, the table for Excel, the page a office submits.
struct Indicators: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assessment indicators (考核指标) per month, quarter or year, for the district and per department, with definitions and the plans' targets.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions
    @OptionGroup var cases: CaseDeadlineOptions

    @Option(help: "First day of the range (YYYY-MM-DD).")
    var from: String

    @Option(help: "Last day of the range (YYYY-MM-DD).")
    var to: String

    @Option(help: "How the range is cut: month, quarter or year.")
    var period: String = "month"

    @Option(name: .customLong("indicators"), help: "A district's indicator file (JSON): the indicators it names take its names, definitions and targets.")
    var indicatorsPath: String?

    @Flag(help: "Print the figures as CSV (UTF-8 with a byte-order mark, for Excel) instead of text: --format csv.")
    var csv = false

    @OptionGroup var output: OfficeOutputOptions

    func validate() throws {
        for date in [from, to] where (try? LegalDate(parsing: date)) == nil { throw ValidationError("\(date) is not a date YYYY-MM-DD") }
        if try LegalDate(parsing: from) > LegalDate(parsing: to) { throw ValidationError("--from \(from) is after --to \(to)") }
        if IndicatorPeriodKind(rawValue: period) == nil { throw ValidationError("--period \(period): expected month, quarter or year") }
        if time.asOf != nil { throw ValidationError("indicators take --from and --to, not --as-of") }
        _ = try output.resolved(json: options.json, csv: csv, hasTable: true)
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let format = try output.resolved(json: options.json, csv: csv, hasTable: true)
            let renderer = try output.renderer(for: format)
            let ledger = try options.open()
            let report = try ledger.indicators(from: try LegalDate(parsing: from), through: try LegalDate(parsing: to),
                                               by: IndicatorPeriodKind(rawValue: period)!, knownAt: try time.instant(),
                                               model: try rules.model(), deadlines: try cases.deadlines(), catalogue: try catalogue())
            let knownAtText = try time.knownAtText()
            try output.emit(format, renderer: renderer, json: { OfficeDocuments.indicators(report, knownAtText: knownAtText) },
                            csv: { $0.indicatorsCSV(report) }, page: { $0.indicators(report, knownAt: knownAtText) },
                            text: { TextReports.indicators(report, knownAt: knownAtText, wording: $0) })
        }
    }

    /// The bundled indicator catalogue, amended by the district's file when given.
    private func catalogue() throws -> IndicatorCatalogue {
        guard let indicatorsPath else { return try IndicatorCatalogue.bundled() }
        do { return try IndicatorCatalogue.load(path: indicatorsPath) } catch { throw CLIFailure(.refused, "\(error)") }
    }
}
