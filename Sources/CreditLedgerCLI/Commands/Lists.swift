import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// `lists --list KIND --as-of D`: a list as a clerk works it (docs/office.md): every subject on
/// it, entries and exits since `--from`, rollovers and expiries within `--horizon` days, and for
/// the red list the check against the dishonesty lists. `--json` or `--csv` (Excel).
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

    @Flag(help: "Print the entries as CSV (UTF-8 with a byte-order mark, for Excel) instead of text.")
    var csv = false

    func validate() throws {
        if ListKind(rawValue: list) == nil {
            throw ValidationError("--list \(list): expected one of \(ListKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        if let from, (try? LegalDate(parsing: from)) == nil { throw ValidationError("--from \(from) is not a date YYYY-MM-DD") }
        if let from, try LegalDate(parsing: from) > time.date() { throw ValidationError("--from \(from) is after --as-of") }
        if !(0...3660).contains(horizon) { throw ValidationError("--horizon \(horizon): expected 0 to 3660 days") }
        if csv && options.json { throw ValidationError("--csv and --json exclude each other") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let report = try ledger.lists(ListKind(rawValue: list)!, asOf: try time.date(), from: try from.map { try LegalDate(parsing: $0) },
                                          horizonDays: horizon, knownAt: try time.instant())
            if options.json {
                print(OfficeDocuments.lists(report, knownAtText: try time.knownAtText()).text)
            } else if csv {
                print(OfficeDocuments.listsCSV(report).text, terminator: "")
            } else {
                printText(report)
            }
        }
    }

    private func printText(_ report: ListsReport) {
        print("\(report.list.rawValue) on \(report.asOf): \(report.onList.count) on the list")
        for r in report.onList { print("  " + describe(r)) }
        print("entered \(report.from) … \(report.asOf): \(report.entered.count)")
        for r in report.entered { print("  " + describe(r)) }
        print("exited \(report.from) … \(report.asOf): \(report.exited.count)")
        for r in report.exited { print("  " + describe(r) + "  — \(r.status.endReason ?? "")") }
        if report.list == .abnormalOperation {
            print("rolling over into seriousDishonesty within \(report.horizonDays) days: \(report.rollingOver.count)")
            for r in report.rollingOver { print("  " + describe(r) + "  rolls over on \(r.rollover!)") }
        }
        print("planned exit within \(report.horizonDays) days: \(report.expiring.count)")
        for r in report.expiring { print("  " + describe(r)) }
        if report.list == .red {
            print("red entries whose subject is on a dishonesty list (红黑名单交叉比对): \(report.redChecks.count)")
            for c in report.redChecks {
                print("  " + describe(c.red) + "  also on " + c.dishonesty.map { "\($0.list.rawValue) \($0.listNo.text) since \($0.onListSince)" }.joined(separator: "; "))
            }
        }
    }

    private func describe(_ r: ListRow) -> String {
        let s = r.status
        return "\(r.subject)  \(s.listNo.text)  since \(s.onListSince)  \(s.field.rawValue)  by \(r.decidingBody.text)"
            + (s.plannedExpiry.map { "  planned exit \($0)" } ?? "") + (s.isPublished ? "  published" : s.isActive ? "  not yet published (from \(s.publishedFrom))" : "")
            + (s.disputed ? "  disputed" : "") + (r.reason.isEmpty ? "" : "  reason: \(r.reason)")
    }
}
