import ArgumentParser
import CreditLedger
import Foundation

/// The rules-as-data files a district may bring: its grading model and its supplementary measures
/// list. Each is validated on load; an invalid file is refused naming the file and the JSON path.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("model"), help: "A grading model file (JSON) replacing the bundled default model.")
    var modelPath: String?

    @Option(name: .customLong("measures"), help: "A district's supplementary measures list (JSON), merged with the national catalogue.")
    var measuresPath: String?

    /// The grading model: the district file, or the bundled default.
    func model() throws -> GradingModel {
        guard let modelPath else { return try GradingModel.bundledDefault() }
        do { return try GradingModel.load(path: modelPath) } catch { throw CLIFailure(.refused, "\(error)") }
    }

    /// The national catalogue, with the district's supplement merged in when given.
    func catalogue() throws -> MeasureCatalogue {
        let national = try MeasureCatalogue.national()
        guard let measuresPath else { return national }
        do { return try national.merged(with: try MeasureCatalogue.load(path: measuresPath)) } catch {
            throw CLIFailure(.refused, "\(error)")
        }
    }
}
