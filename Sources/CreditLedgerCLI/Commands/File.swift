import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation

/// `file CODE`: the subject's credit file (信用档案, 一企一档 / 一人一档): every fact recorded about
/// it in time order with its status as of `--as-of`; for a person the roles held and the
/// organisations linked. Text (Chinese first), or `--format json|html|pdf`. Exit 3 when the ledger
/// holds nothing about the subject.
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "The subject's credit file (信用档案): every fact recorded about it in time order, with its status as of --as-of.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    @Flag(help: "Print the file as CSV (UTF-8 with a byte-order mark, for Excel): the same as --format csv.")
    var csv = false

    @OptionGroup var output: OfficeOutputOptions

    func validate() throws { _ = try output.resolved(json: options.json, csv: csv, hasTable: true) }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let format = try output.resolved(json: options.json, csv: csv, hasTable: true)
            let renderer = try output.renderer(for: format)
            let ledger = try options.open()
            let file = try ledger.subjectFile(of: subject, asOf: try time.date(), knownAt: try time.instant())
            let knownAtText = try time.knownAtText()
            try output.emit(format, renderer: renderer, json: { OfficeDocuments.file(file, knownAtText: knownAtText) },
                            csv: { _ in Array(OfficeDocuments.fileCSV(file).text.utf8) },
                            page: { $0.subjectFile(file, knownAt: knownAtText) }, text: { TextReports.file(file, knownAt: knownAtText, wording: $0) })
            try requireInLedger(subject, file.inLedger)
        }
    }
}
