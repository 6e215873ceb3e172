import ArgumentParser
import CreditDocuments
import CreditPages
import Foundation

/// The output of a credit office's command (`indicators`, `lists`, `file`, `worklist`, docs/cli.md):
/// `--format text|json|csv|html|pdf` as `report` takes it (`--json` still means `--format json`,
/// and `--csv` `--format csv` where there is a table), `--out FILE`, and the wording and page options
/// (`--lang`, `--labels`, `--sources`, `--templates`).
struct OfficeOutputOptions: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, html, pdf }

    @Option(help: "text (Chinese first; --lang en), json, csv (UTF-8 with BOM, where the command has a table), html (a self-contained page; identity numbers masked) or pdf (the page printed on A4 by headless Chromium, when installed; needs --out).")
    var format: Format = .text

    @Option(help: ArgumentHelp("Write the output to FILE instead of stdout.", valueName: "file"))
    var out: String?

    @OptionGroup var pages: PageOptions

    /// The format asked for, with `--json` (and `--csv`, on a command with a table) folded in.
    /// - Throws: a usage error when two formats are asked for, or CSV where there is no table.
    func resolved(json: Bool, csv: Bool = false, hasTable: Bool) throws -> Format {
        var asked = format == .text ? [] : [format]
        if json { asked.append(.json) }
        if csv { asked.append(.csv) }
        if Set(asked).count > 1 { throw ValidationError("\(Set(asked).map { "--format \($0.rawValue)" }.sorted().joined(separator: " and ")): choose one") }
        let chosen = asked.first ?? .text
        if chosen == .csv && !hasTable { throw ValidationError("--format csv: this command has no table (text, json, html or pdf)") }
        if chosen == .pdf && out == nil { throw ValidationError("--format pdf needs --out FILE") }
        try pages.check(writesPage: chosen == .html || chosen == .pdf, pageOption: "--format html or pdf")
        return chosen
    }

    /// The renderer a page or table needs, made (templates and label files read) before the ledger
    /// is opened, so that a broken template fails the command first; for `pdf` the browser is
    /// looked for first too.
    func renderer(for format: Format) throws -> PageRenderer? {
        if format == .pdf { _ = try PDFPrinter.browser() }
        return [.html, .pdf, .csv].contains(format) ? try pages.renderer() : nil
    }

    /// Writes the output in `format` to `--out` or stdout: the JSON document, the table, the page
    /// (or its PDF), or the text in the wording asked for.
    func emit(_ format: Format, renderer: PageRenderer?, json: () -> JSON, csv: ((PageRenderer) -> [UInt8])? = nil,
              page: (PageRenderer) -> [UInt8], text: (Wording) -> String) throws {
        switch format {
        case .json: try writeOutput(Array((json().text + "\n").utf8), to: out)
        case .csv: try writeOutput(renderer.flatMap { r in csv.map { $0(r) } } ?? [], to: out)
        case .html: try writeOutput(renderer.map(page) ?? [], to: out)
        case .pdf: try CLIAudit.write(file: out ?? "", binary: try PDFPrinter.print(renderer.map(page) ?? []))
        case .text: try writeOutput(Array((text(try pages.words.wording()) + "\n").utf8), to: out)
        }
    }
}
