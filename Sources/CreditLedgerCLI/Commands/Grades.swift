import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `grades`: the grade distribution over every subject as of a date (信用分级分类监管), with the
/// model's supervision frequency per grade; with `--draw SEED` the reproducible 双随机 draw.
struct Grades: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Grade distribution over all subjects as of --as-of and the supervision frequency (random-inspection share) per grade.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions
    @OptionGroup var rules: RuleOptions

    @Option(help: "Draw subjects for random inspection (双随机) with this seed: the same seed, date and ledger give the same draw.")
    var draw: UInt64?

    @OptionGroup var page: PageFileOptions

    @Option(name: .customLong("industries"), help: "An industry map (JSON: defaultModel, industries → model id): grade each subject by the model of its registered industry (行业分级分类), the default model (--model or the bundled one) otherwise.")
    var industriesPath: String?

    @Option(name: .customLong("industry-model"), help: "A grading model file an industry map names (repeat for several).")
    var industryModelPaths: [String] = []

    func validate() throws {
        if industriesPath == nil && !industryModelPaths.isEmpty { throw ValidationError("--industry-model needs --industries") }
        if industriesPath != nil && (draw != nil || page.html != nil) {
            throw ValidationError("--industries does not draw or write a page yet: leave out --draw and --html")
        }
    }

    func run() throws {
        if let industriesPath { return try runByIndustry(industriesPath) }
        try CreditLedgerCommand.run {
            let renderer = try page.renderer()
            let ledger = try options.open()
            let date = try time.date()
            let model = try rules.model()
            let distribution = try ledger.gradeDistribution(asOf: date, knownAt: try time.instant(), model: model)
            let drawn = try draw.map { try ledger.inspectionDraw(asOf: date, seed: $0, knownAt: try time.instant(), model: model) }
            let knownAtText = try time.knownAtText()
            try page.write(with: renderer, { $0.grades(distribution, model: model, drawn: drawn, knownAt: knownAtText) }, csv: { $0.gradesCSV(distribution, model: model, drawn: drawn, format: $1) })
            if options.json {
                print(QueryDocuments.grades(asOf: date, knownAtText: knownAtText, distribution: distribution, model: model, drawn: drawn).text)
                return
            }
            print(TextReports.grades(distribution, model: model, drawn: drawn, knownAt: knownAtText, wording: try page.pages.words.wording()))
        }
    }

    /// `--industries FILE`: the distribution per model and over all subjects.
    private func runByIndustry(_ path: String) throws {
        try CreditLedgerCommand.run {
            let map: IndustryModelMap
            do {
                let models = try [rules.model()] + industryModelPaths.map { try GradingModel.load(path: $0) }
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
                    throw GradingModelError(origin: path, path: "", message: "cannot read the file: \(error.localizedDescription)")
                }
                map = try IndustryModelMap(jsonData: data, origin: path, models: models)
            } catch let error as CLIFailure { throw error } catch { throw CLIFailure(.refused, "\(error)") }
            let ledger = try options.open()
            let date = try time.date()
            let distribution = try ledger.gradeDistribution(asOf: date, knownAt: try time.instant(), industries: map)
            let knownAtText = try time.knownAtText()
            if options.json {
                print(OfficeDocuments.industryGrades(distribution, map: map, knownAtText: knownAtText).text)
                return
            }
            print("grades as of \(date), known at \(knownAtText), by industry (default model \(map.models.defaultID))")
            print("grade" + distribution.byModel.map { rightAligned($0.model, 22) }.joined() + rightAligned("all", 12))
            for (index, row) in distribution.overall.rows.enumerated() {
                print(row.level.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)
                    + distribution.byModel.map { rightAligned(String($0.rows[index].count), 22) }.joined() + rightAligned(String(row.count), 12))
            }
            print("total" + distribution.byModel.map { rightAligned(String($0.total), 22) }.joined() + rightAligned(String(distribution.overall.total), 12))
        }
    }
}
