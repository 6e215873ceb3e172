import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// `indicators --from D1 --to D2 [--period month|quarter|year]`: the assessment indicators
/// (考核指标) per period for the district and per department, with each figure's definition and the
/// work plans' targets (docs/office.md). `--json` prints the document, `--csv` the table for Excel.
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

    @Flag(help: "Print the figures as CSV (UTF-8 with a byte-order mark, for Excel) instead of text.")
    var csv = false

    func validate() throws {
        for date in [from, to] where (try? LegalDate(parsing: date)) == nil { throw ValidationError("\(date) is not a date YYYY-MM-DD") }
        if try LegalDate(parsing: from) > LegalDate(parsing: to) { throw ValidationError("--from \(from) is after --to \(to)") }
        if IndicatorPeriodKind(rawValue: period) == nil { throw ValidationError("--period \(period): expected month, quarter or year") }
        if time.asOf != nil { throw ValidationError("indicators take --from and --to, not --as-of") }
        if csv && options.json { throw ValidationError("--csv and --json exclude each other") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let report = try ledger.indicators(from: try LegalDate(parsing: from), through: try LegalDate(parsing: to),
                                               by: IndicatorPeriodKind(rawValue: period)!, knownAt: try time.instant(),
                                               model: try rules.model(), deadlines: try cases.deadlines(), catalogue: try catalogue())
            if options.json {
                print(OfficeDocuments.indicators(report, knownAtText: try time.knownAtText()).text)
            } else if csv {
                print(OfficeDocuments.indicatorsCSV(report).text, terminator: "")
            } else {
                printText(report)
            }
        }
    }

    /// The bundled indicator catalogue, amended by the district's file when given.
    private func catalogue() throws -> IndicatorCatalogue {
        guard let indicatorsPath else { return try IndicatorCatalogue.bundled() }
        do { return try IndicatorCatalogue.load(path: indicatorsPath) } catch { throw CLIFailure(.refused, "\(error)") }
    }

    private func printText(_ report: IndicatorReport) {
        let definitions = Dictionary(uniqueKeysWithValues: report.definitions.map { ($0.id, $0) })
        print("考核指标 indicators \(report.from) … \(report.through) by \(report.periodKind.rawValue)")
        for period in report.periods {
            print("")
            print("== \(period.period.label) (\(period.period.from) … \(period.period.through))")
            for figure in period.district { print(line(figure, definitions)) }
            for source in period.sources {
                print("  \(source.source.text): " + source.figures.map { "\($0.key) \(value($0, definitions))" }.joined(separator: ", "))
            }
        }
        print("")
        print("== on \(report.through)")
        for figure in report.atEnd { print(line(figure, definitions)) }
        print("")
        print("== intake: lines received \(report.from) … \(report.through)")
        for figure in report.intake { print(line(figure, definitions)) }
        for source in report.intakeBySource {
            print("  \(source.source == IntakeCounters.unnamedSource ? "(none named)" : source.source.text): "
                + source.figures.map { "\($0.key) \(value($0, definitions))" }.joined(separator: ", "))
        }
    }

    private func line(_ figure: IndicatorFigure, _ definitions: [String: IndicatorDefinition]) -> String {
        let met = figure.targetMet.map { $0 ? "  target met" : "  TARGET NOT MET" } ?? ""
        return "  " + figure.key.padding(toLength: 38, withPad: " ", startingAt: 0) + rightAligned(value(figure, definitions), 22) + met
            + "   " + (definitions[figure.indicator]?.name ?? "")
    }

    /// A count; a share as a percentage, an average to two decimals, each with its fraction; or why not.
    private func value(_ figure: IndicatorFigure, _ definitions: [String: IndicatorDefinition]) -> String {
        switch figure.value {
        case .count(let count): String(count)
        case .rate(let n, let d) where definitions[figure.indicator]?.isAverage == true: String(format: "%.2f", Double(n) / Double(d)) + " (\(n)/\(d))"
        case .rate(let n, let d): String(format: "%.2f%%", Double(n) / Double(d) * 100) + " (\(n)/\(d))"
        case .notComputable(let reason): "n/a: \(reason)"
        }
    }
}
