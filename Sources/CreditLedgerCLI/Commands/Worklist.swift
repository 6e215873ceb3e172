import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `worklist repairs|objections|risks`: the open cases of a credit office as of `--as-of`: repair
/// applications and objections not yet decided, each stage with its deadline in working days under
/// `--case-regime` (overdue first), or the district's early-warning signals ranked by subject. Text
/// (Chinese first), or `--format json|csv|html|pdf`.
struct Worklist: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open repair applications or objections with deadlines in working days (overdue first), or the district's risk signals ranked.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var cases: CaseDeadlineOptions

    @Argument(help: "repairs, objections or risks.")
    var kind: String

    @Flag(help: "Print the worklist as CSV (UTF-8 with a byte-order mark, for Excel): the same as --format csv.")
    var csv = false

    @OptionGroup var output: OfficeOutputOptions

    func validate() throws {
        guard ["repairs", "objections", "risks"].contains(kind) else { throw ValidationError("\(kind): expected repairs, objections or risks") }
        _ = try output.resolved(json: options.json, csv: csv, hasTable: true)
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let format = try output.resolved(json: options.json, csv: csv, hasTable: true)
            let renderer = try output.renderer(for: format)
            let ledger = try options.open()
            let date = try time.date(), knownAt = try time.instant(), knownAtText = try time.knownAtText()
            if kind == "risks" {
                let rows = try ledger.riskWorklist(asOf: date, knownAt: knownAt)
                return try output.emit(format, renderer: renderer, json: { OfficeDocuments.risks(rows, asOf: date, knownAtText: knownAtText) },
                                       csv: { _ in Array(OfficeDocuments.risksCSV(rows).text.utf8) },
                                       page: { $0.risks(rows, asOf: date, knownAt: knownAtText) },
                                       text: { TextReports.risks(rows, asOf: date, knownAt: knownAtText, wording: $0) })
            }
            let list = try ledger.worklist(kind == "repairs" ? .repair : .objection, asOf: date, knownAt: knownAt, deadlines: try cases.deadlines())
            try output.emit(format, renderer: renderer, json: { OfficeDocuments.worklist(list, knownAtText: knownAtText) },
                            csv: { _ in Array(OfficeDocuments.worklistCSV(list).text.utf8) },
                            page: { $0.worklist(list, knownAt: knownAtText) }, text: { TextReports.worklist(list, knownAt: knownAtText, wording: $0) })
        }
    }
}
