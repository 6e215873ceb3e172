import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `lists --list KIND --as-of D`: a list as a clerk works it (docs/office.md): every subject on
/// it, entries and exits since `--from`, rollovers and expiries within `--horizon` days, and for
/// the red list the check against the dishonesty lists. Text (Chinese first), or
/// `--format json|csv|html|pdf` (`--json` and `--csv` as before).
struct Lists: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A list (名单) on a date: subjects on it, entries and exits in a period, rollovers and expiries ahead, red list against dishonesty lists.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Option(help: "The list: \(ListKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var list: String

    @Option(help: "First day of the period for entries and exits (default: the first of the --as-of month).")
    var from: String?

    @Option(help: "Days ahead to look for rollovers (abnormal → serious) and planned expiries.")
    var horizon: Int = 60

    @Flag(help: "Print the entries as CSV (UTF-8 with a byte-order mark, for Excel) instead of text: --format csv.")
    var csv = false

    @OptionGroup var output: OfficeOutputOptions

    func validate() throws {
        if ListKind(rawValue: list) == nil {
            throw ValidationError("--list \(list): expected one of \(ListKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let from, (try? LegalDate(parsing: from)) == nil { throw ValidationError("--from \(from) is not a date YYYY-MM-DD") }
        if let from, try LegalDate(parsing: from) > time.date() { throw ValidationError("--from \(from) is after --as-of") }
        if !(0...3660).contains(horizon) { throw ValidationError("--horizon \(horizon): expected 0 to 3660 days") }
        _ = try output.resolved(json: options.json, csv: csv, hasTable: true)
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let format = try output.resolved(json: options.json, csv: csv, hasTable: true)
            let renderer = try output.renderer(for: format)
            let ledger = try options.open()
            let report = try ledger.lists(ListKind(rawValue: list)!, asOf: try time.date(), from: try from.map { try LegalDate(parsing: $0) },
                                          horizonDays: horizon, knownAt: try time.instant())
            let knownAtText = try time.knownAtText()
            try output.emit(format, renderer: renderer, json: { OfficeDocuments.lists(report, knownAtText: knownAtText) },
                            csv: { $0.listsCSV(report) }, page: { $0.lists(report, knownAt: knownAtText) },
                            text: { TextReports.lists(report, knownAt: knownAtText, wording: $0) })
        }
    }
}
