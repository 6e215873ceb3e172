import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// `worklist repairs|objections|risks`: the open cases of a credit office as of `--as-of`: repair
/// applications and objections not yet decided, each stage with its deadline in working days under
/// `--case-regime` (overdue first), or the district's early-warning signals ranked by subject.
struct Worklist: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Open repair applications or objections with deadlines in working days (overdue first), or the district's risk signals ranked.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var cases: CaseDeadlineOptions

    @Argument(help: "repairs, objections or risks.")
    var kind: String

    @Flag(help: "Print the worklist as CSV (UTF-8 with a byte-order mark, for Excel) instead of text.")
    var csv = false

    func validate() throws {
        guard ["repairs", "objections", "risks"].contains(kind) else { throw ValidationError("\(kind): expected repairs, objections or risks") }
        if csv && options.json { throw ValidationError("--csv and --json exclude each other") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let date = try time.date(), knownAt = try time.instant(), knownAtText = try time.knownAtText()
            if kind == "risks" {
                let rows = try ledger.riskWorklist(asOf: date, knownAt: knownAt)
                if options.json { print(OfficeDocuments.risks(rows, asOf: date, knownAtText: knownAtText).text); return }
                if csv { print(OfficeDocuments.risksCSV(rows).text, terminator: ""); return }
                print("risk signals on \(date): \(rows.count) subjects")
                for row in rows {
                    print("\(row.subject)  \(row.signals.count) signals, \(row.records) records")
                    for s in row.signals { print("    \(s.kind.rawValue)\(s.field.map { " (\($0.rawValue))" } ?? ""): \(s.detail) [\(s.refs.joined(separator: ", "))]") }
                }
                return
            }
            let list = try ledger.worklist(kind == "repairs" ? .repair : .objection, asOf: date, knownAt: knownAt, deadlines: try cases.deadlines())
            if options.json { print(OfficeDocuments.worklist(list, knownAtText: knownAtText).text); return }
            if csv { print(OfficeDocuments.worklistCSV(list).text, terminator: ""); return }
            print("open \(kind) on \(date): \(list.cases.count) (\(list.deadlines.regime): \(list.deadlines.title))")
            for c in list.cases { print("\(c.subject)  " + ProgressCommand.text(c)) }
        }
    }
}
