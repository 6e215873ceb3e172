import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
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

    @OptionGroup var words: WordingOptions

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
            print(TextReports.match(subject, scene: MeasureScene(rawValue: scene)!, asOf: date, knownAt: try time.knownAtText(),
                                    matches: matches, wording: try words.wording().grading(try rules.model())))
            try requireInLedger(subject, inLedger)
        }
    }
}
