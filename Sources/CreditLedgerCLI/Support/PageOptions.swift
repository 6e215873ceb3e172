import ArgumentParser
import CreditPages
import Foundation

/// The options of every command whose text or pages are worded (docs/cli.md, "Wording"): the
/// language, and a district's label table and source directory laid over the shipped ones.
struct WordingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("zh (default) or en: the language of text and HTML output; JSON keeps the codes.", valueName: "zh|en"))
    var lang: String = OutputLanguage.zh.rawValue

    @Option(name: .customLong("labels"), help: ArgumentHelp("A label file laid over the shipped labels.json (the words for codes, headings, column labels).", valueName: "file"))
    var labelsPath: String?

    @Option(name: .customLong("sources"), help: ArgumentHelp("A source directory laid over the shipped sources.json: department names by source code (310114-SCJG) or department code (SCJG).", valueName: "file"))
    var sourcesPath: String?

    func validate() throws {
        if OutputLanguage(rawValue: lang) == nil { throw ValidationError("--lang \(lang): not a language (zh, en)") }
    }

    /// The wording the options ask for.
    /// - Throws: ``CLIFailure`` (refused, exit 1) naming the file and JSON path of a bad label or
    ///   source file.
    func wording() throws -> Wording {
        do { return try Wording(language: OutputLanguage(rawValue: lang) ?? .zh, labels: labelsPath, sources: sourcesPath) } catch {
            throw CLIFailure(.refused, "\(error)")
        }
    }
}

/// The options of every command that writes an HTML page: a directory of templates replacing the
/// shipped ones (docs/cli.md, "HTML pages"), and the wording.
struct PageOptions: ParsableArguments {
    @Option(help: ArgumentHelp("A directory of page templates: a file there named like a shipped template (credit-report.mustache, layout.mustache, …) replaces it.",
                               valueName: "dir"))
    var templates: String?

    @OptionGroup var words: WordingOptions

    /// A usage error when `--templates` is given to a run that writes no page.
    func check(writesPage: Bool, pageOption: String) throws {
        if templates != nil && !writesPage { throw ValidationError("--templates applies to HTML pages only (\(pageOption))") }
    }

    /// The renderer with the shipped templates, or with those of `--templates` in their place.
    /// - Throws: ``CLIFailure`` (refused, exit 1) naming the template file (and line) at fault.
    func renderer() throws -> PageRenderer {
        let wording = try words.wording()
        do { return try PageRenderer(templates: templates, wording: wording) } catch {
            throw CLIFailure(.refused, "page template \(error)")
        }
    }
}

/// The options of a query that can also write its statistics page (`quality`, `grades`,
/// `penetration`): `--html FILE`, and `--templates DIR` with it; `--csv FILE` for its table.
struct PageFileOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Also write the page (self-contained HTML: charts inline, identity numbers masked) to FILE.", valueName: "file"))
    var html: String?

    @Option(help: ArgumentHelp("Also write the table as CSV (UTF-8 with BOM, for spreadsheets; identity numbers masked) to FILE.", valueName: "file"))
    var csv: String?

    @Option(help: ArgumentHelp("Also write the table as a spreadsheet (.xlsx: figures as numbers; identity numbers masked) to FILE.", valueName: "file"))
    var xlsx: String?

    @OptionGroup var pages: PageOptions

    func validate() throws { try pages.check(writesPage: html != nil, pageOption: "--html FILE") }

    /// The renderer when a page or a table is asked for, made before the query runs so that a
    /// broken template or label file fails the command before the ledger is opened.
    func renderer() throws -> PageRenderer? { html == nil && csv == nil && xlsx == nil ? nil : try pages.renderer() }

    /// Writes the page `render` makes to `--html` and the table `table` makes to `--csv` and
    /// `--xlsx`, when asked for.
    func write(with renderer: PageRenderer?, _ render: (PageRenderer) -> [UInt8], csv table: (PageRenderer, TableFormat) -> [UInt8]) throws {
        if let renderer, let html { try writeOutput(render(renderer), to: html) }
        if let renderer, let csv { try writeOutput(table(renderer, .csv), to: csv) }
        if let renderer, let xlsx { try writeOutput(table(renderer, .xlsx), to: xlsx) }
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
