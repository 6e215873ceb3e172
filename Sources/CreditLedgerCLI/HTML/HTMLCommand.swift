import ArgumentParser
import CreditDocuments
import Foundation

/// `html PAGE [FILE] [--out FILE]`: renders a page from a document a command printed with
/// `--json` (read from FILE or stdin), e.g. `credit-ledger grades --json | credit-ledger html
/// grades --out grades.html`. The pages the commands write themselves are rendered the same way,
/// from the same documents.
struct HTMLRender: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "html",
        abstract: "Render an HTML page from a --json document (report, special-report, quality, grades, penetration), read from FILE or stdin.")

    /// The pages, by the command whose JSON they render.
    enum Page: String, ExpressibleByArgument, CaseIterable {
        case report, specialReport = "special-report", quality, grades, penetration

        /// The page's renderer.
        var render: (JSON) -> String {
            switch self {
            case .report: HTMLPages.creditReport
            case .specialReport: HTMLPages.specialReport
            case .quality: HTMLPages.quality
            case .grades: HTMLPages.grades
            case .penetration: HTMLPages.penetration
            }
        }
    }

    @Argument(help: "report, special-report, quality, grades or penetration.")
    var page: Page

    @Argument(help: "The JSON document (default: stdin).")
    var input: String?

    @Option(help: "Output file (default: stdout).")
    var out: String?

    @Flag(name: .customLong("show-identities"), help: "Show citizen identity numbers in full (default: masked).")
    var showIdentities = false

    func run() throws {
        if showIdentities { IdentityOutput.show() }
        try CreditLedgerCommand.run {
            let origin = input ?? "stdin"
            let data: Data
            if let input {
                guard let contents = FileManager.default.contents(atPath: input) else { throw CLIFailure(.refused, "cannot read \(input)") }
                data = contents
            } else {
                data = FileHandle.standardInput.readDataToEndOfFile()
            }
            let json: JSON
            do { json = try JSONReader.parse(String(decoding: data, as: UTF8.self)) } catch {
                throw CLIFailure(.refused, "\(origin): not a JSON document: \(error)")
            }
            guard json.isObject else { throw CLIFailure(.refused, "\(origin): a page is rendered from a JSON object, and this document is not one") }
            try HTMLPages.write(page.render(json), to: out)
        }
    }
}
