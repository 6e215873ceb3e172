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

/// The options of a query that can also write its statistics page (`quality`, `grades`,
/// `penetration`): `--html FILE`, and `--templates DIR` with it.
struct PageFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write the page (self-contained HTML: charts inline, identity numbers masked) to FILE.", valueName: "file"))
    var html: String?

    @OptionGroup var pages: PageOptions

    func validate() throws { try pages.check(writesPage: html != nil, pageOption: "--html FILE") }

    /// The renderer when a page is asked for, made before the query runs so that a broken template
    /// fails the command before the ledger is opened.
    func renderer() throws -> PageRenderer? { html == nil ? nil : try pages.renderer() }

    /// Writes the page `render` makes to `--html`, when a page was asked for.
    func write(with renderer: PageRenderer?, _ render: (PageRenderer) -> [UInt8]) throws {
        if let renderer, let html { try writeOutput(render(renderer), to: html) }
    }
}

/// Writes `bytes` to `path` (atomically), or to stdout when there is no path — held back, on a
/// ledger with a query audit log, until the query's entry is durable (``CLIAudit``).
/// - Throws: ``CLIFailure`` (refused, exit 1) naming the file when it cannot be written.
func writeOutput(_ bytes: [UInt8], to path: String?) throws {
    let page = String(decoding: bytes, as: UTF8.self)
    guard let path else { return CLIAudit.write(page) }
    try CLIAudit.write(file: path, page)
}
