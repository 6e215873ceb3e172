import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// `progress CODE [NUMBER]`: an applicant's repair applications and objections as of `--as-of`,
/// stage by stage (received → accepted → decided), each stage with its date and its deadline in
/// working days. Exit 3 when the subject has no such case (or none numbered NUMBER).
struct ProgressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress",
        abstract: "An applicant's repair applications and objections, stage by stage, with each stage's deadline in working days.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var cases: CaseDeadlineOptions

    @Argument(help: "The applicant: a unified social credit code or citizen identity number.")
    var id: String

    @Argument(help: "A repair or objection number (every case of the applicant when omitted).")
    var number: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let deadlines = try cases.deadlines()
            let ledger = try options.open()
            let date = try time.date()
            let progress = try ledger.caseProgress(of: subject, number: number, asOf: date, knownAt: try time.instant(), deadlines: deadlines)
            guard !progress.isEmpty else {
                throw CLIFailure(.notInLedger, "no repair application or objection \(number.map { "numbered \($0) " } ?? "")of \(subject) received by \(date)")
            }
            if options.json {
                print(OfficeDocuments.progress(progress, subject: subject, asOf: date, deadlines: deadlines, knownAtText: try time.knownAtText()).text)
                return
            }
            print("办理进度 progress of \(subject) on \(date) (\(deadlines.regime): \(deadlines.title))")
            for c in progress { print(Self.text(c)) }
        }
    }

    /// A case and its stages as lines of text.
    static func text(_ c: OpenCase) -> String {
        var lines = ["\(c.kind.rawValue) \(c.number) on \(c.target): \(c.stage.rawValue)" + (c.outcome.map { " (\($0))" } ?? "")
            + (c.isOverdue ? "  OVERDUE" : "")]
        lines.append("    received \(c.received)")
        for deadline in [c.acceptance, c.decision].compactMap({ $0 }) {
            let done = deadline.done.map { "done \($0)" + (deadline.wasLate ? " (late)" : "") } ?? "not yet"
            let left = deadline.workingDaysLeft.map { $0 < 0 ? ", OVERDUE by \(-$0) working days" : ", \($0) working days left" } ?? ""
            lines.append("    \(deadline.stage.rawValue): \(done); due \(deadline.due?.description ?? "-")\(left)"
                + " (\(deadline.limit.workingDays) working days after \(deadline.limit.from.rawValue): \(deadline.limit.source))")
        }
        if c.acceptance == nil, let accepted = c.accepted { lines.append("    accepted: done \(accepted) (no limit in the regime)") }
        if c.decision == nil, let decided = c.decided { lines.append("    decided: done \(decided) (no limit in the regime)") }
        return lines.joined(separator: "\n")
    }
}
