import ArgumentParser
import CreditLedger

/// `--case-regime NAME` and `--case-deadlines FILE`: which working-day limits repair and objection
/// cases are judged by (docs/office.md, Deadlines).
struct CaseDeadlineOptions: ParsableArguments {
    @Option(name: .customLong("case-regime"), help: "The regime of repair and objection deadlines (standard, shanghai2017, henan2019, zhejiang2017, order58, or one of --case-deadlines FILE).")
    var regime: String?

    @Option(name: .customLong("case-deadlines"), help: "A deadline file (JSON) replacing the bundled case-deadlines.json.")
    var path: String?

    /// The chosen regime: of the district's file when given, else of the bundled file; its
    /// default regime when none is named.
    func deadlines() throws -> CaseDeadlines {
        do {
            if let path { return try CaseDeadlines.load(path: path, regime: regime) }
            return try CaseDeadlines.bundled(regime: regime)
        } catch {
            throw CLIFailure(.refused, "\(error)")
        }
    }
}
