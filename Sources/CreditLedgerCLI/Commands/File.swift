import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

/// `file CODE`: the subject's credit file (信用档案, 一企一档 / 一人一档): every fact recorded about
/// it in time order with its status as of `--as-of`; for a person the roles held and the
/// organisations linked. Exit 3 when the ledger holds nothing about the subject.
struct FileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "The subject's credit file (信用档案): every fact recorded about it in time order, with its status as of --as-of.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    @Flag(help: "Print the file as CSV (UTF-8 with a byte-order mark, for Excel) instead of text.")
    var csv = false

    func validate() throws {
        if csv && options.json { throw ValidationError("--csv and --json exclude each other") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let ledger = try options.open()
            let file = try ledger.subjectFile(of: subject, asOf: try time.date(), knownAt: try time.instant())
            if options.json {
                print(OfficeDocuments.file(file, knownAtText: try time.knownAtText()).text)
            } else if csv {
                print(OfficeDocuments.fileCSV(file).text, terminator: "")
            } else {
                print("信用档案 credit file of \(subject) as of \(file.asOf): \(file.entries.count) facts")
                for entry in file.entries {
                    let fact = entry.fact.fact
                    print("\(fact.effective)  \(fact.type.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0))  \(fact.ref)  [\(entry.status)]")
                    print("    " + FactJSONCodec.encode(fact))
                }
                for role in file.roles { print("role: \(role.role.rawValue) of \(role.organisation) since \(role.from)") }
                if !file.linkedOrganisations.isEmpty {
                    print("linked organisations: " + file.linkedOrganisations.map(\.description).joined(separator: ", "))
                }
            }
            try requireInLedger(subject, file.inLedger)
        }
    }
}
