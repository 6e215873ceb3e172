import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// `match ID --scene SCENE`: the joint reward and punishment measures (联合奖惩) that apply to the
/// subject in a scene as of a date, each with its trigger, legal basis and, for a person reached
/// through an organisation, the organisation and role.
struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Joint reward/punishment measures that apply to the subject in a scene, with trigger, legal basis and penetration path.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    @Option(help: "The scene: \(MeasureScene.allCases.map(\.rawValue).joined(separator: ", ")).")
    var scene: String

    func validate() throws {
        guard MeasureScene(rawValue: scene) != nil else {
            throw ValidationError("--scene \(scene): not a scene (\(MeasureScene.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let ledger = try options.open()
            let date = try time.date()
            let matches = try ledger.match(subject, scene: MeasureScene(rawValue: scene)!, asOf: date, knownAt: try time.instant(),
                                           catalogue: try rules.catalogue(), model: try rules.model())
            let inLedger = try ledger.holdsFacts(about: subject, knownAt: try time.instant())
            if options.json {
                print(QueryDocuments.match(subject, scene: MeasureScene(rawValue: scene)!, asOf: date,
                                           knownAtText: try time.knownAtText(), matches: matches, inLedger: inLedger).text)
                return try requireInLedger(subject, inLedger)
            }
            print("\(subject) in \(scene) as of \(date), known at \(try time.knownAtText()): "
                + (matches.isEmpty ? "no measure applies" : "\(matches.count) measure(s) apply"))
            for match in matches { print("  " + RuleDocuments.describe(match)) }
            try requireInLedger(subject, inLedger)
        }
    }
}

/// `feedback --from D1 --to D2`: the loop's feedback (执行反馈) per measure and department —
/// triggered cases, feedback received, feedback rate, and the cases (典型案例).
struct Feedback: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Joint-measure feedback per measure and department for a period: triggered cases, feedback received, rate, cases.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: "First day of the period.")
    var from: String

    @Option(help: "Last day of the period.")
    var to: String

    @Option(help: "Cases (典型案例) to print per row in text mode (all with --json).")
    var cases: Int = 3

    func validate() throws {
        for date in [from, to] where (try? LegalDate(parsing: date)) == nil { throw ValidationError("\(date) is not a date YYYY-MM-DD") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let report = try ledger.measureFeedback(from: try LegalDate(parsing: from), to: try LegalDate(parsing: to),
                                                    knownAt: try time.instant(), catalogue: try rules.catalogue(), model: try rules.model())
            if options.json {
                print(JSON.object([
                    ("from", .string(from)), ("to", .string(to)),
                    ("rows", .array(report.rows.map { row in
                        .object([("measure", .string(row.measureId.text)), ("department", .string(row.department)),
                                 ("triggered", .integer(row.triggered)), ("answered", .integer(row.answered)),
                                 ("feedback", .integer(row.feedback)), ("applied", .integer(row.applied)),
                                 ("notApplicable", .integer(row.notApplicable)), ("waived", .integer(row.waived)),
                                 ("feedbackRate", row.feedbackRate.map { .number(($0 * 10_000).rounded() / 10_000) } ?? .null),
                                 ("cases", .array(row.cases.map { c in
                                     .object([("subject", .string(c.subject.description)), ("date", .string(c.date.description)),
                                              ("scene", .string(c.scene.rawValue)), ("outcome", .string(c.outcome.rawValue)),
                                              ("caseRef", .string(c.caseRef)), ("fact", .string(c.fact))])
                                 }))])
                    })),
                ]).text)
                return
            }
            print("joint-measure feedback \(from) … \(to)")
            print("measure".padding(toLength: 36, withPad: " ", startingAt: 0) + "department".padding(toLength: 16, withPad: " ", startingAt: 0)
                + "  triggered   feedback   rate")
            for row in report.rows {
                print(row.measureId.text.padding(toLength: 36, withPad: " ", startingAt: 0)
                    + row.department.padding(toLength: 16, withPad: " ", startingAt: 0)
                    + rightAligned(String(row.triggered), 11) + rightAligned(String(row.feedback), 11)
                    + rightAligned(row.feedbackRate.map { String(format: "%.1f%%", $0 * 100) } ?? "-", 7))
                for c in row.cases.prefix(max(0, cases)) { print("    case \(c.caseRef): \(c.subject) \(c.date) \(c.outcome.rawValue)") }
            }
        }
    }
}
