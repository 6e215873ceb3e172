import ArgumentParser
import CreditPages
import Foundation

/// The option of every command that writes an HTML page: a directory of templates replacing the
/// shipped ones (docs/cli.md, "HTML pages").
struct PageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A directory of page templates: a file there named like a shipped template (credit-report.mustache, layout.mustache, …) replaces it.",
                               valueName: "dir"))
    var templates: String?

    /// A usage error when `--templates` is given to a run that writes no page.
    func check(writesPage: Bool, pageOption: String) throws {
        if templates != nil && !writesPage { throw ValidationError("--templates applies to HTML pages only (\(pageOption))") }
    }

    /// The renderer with the shipped templates, or with those of `--templates` in their place.
    /// - Throws: ``CLIFailure`` (refused, exit 1) naming the template file (and line) at fault.
    func renderer() throws -> PageRenderer {
        do { return try PageRenderer(templates: templates) } catch {
            throw CLIFailure(.refused, "page template \(error)")
        }
    }
}

/// Writes `bytes` to `path` (atomically), or to stdout when there is no path.
/// - Throws: ``CLIFailure`` (refused, exit 1) naming the file when it cannot be written.
func writeOutput(_ bytes: [UInt8], to path: String?) throws {
    guard let path else {
        FileHandle.standardOutput.write(Data(bytes))
        return
    }
    do {
        try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
        throw CLIFailure(.refused, "cannot write \(path): \((error as NSError).localizedDescription)")
    }
}
