import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerPostgres

/// `audit [--subject CODE] [--from DATE] [--to DATE]`: the query audit log, oldest first — with
/// `--subject`, every query that asked about the subject or named it in its answer ("who looked
/// at my record", 个人信息保护法 Art. 45).
struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the query audit log (LEDGER/audit): who asked what, when and why; --subject answers who looked at a subject's record.",
        discussion: """
            Reads without a lock and writes nothing, so it runs beside a server that is recording queries. \
            Identity numbers are masked unless --show-identities. Exit 2 when the ledger has no audit log or it is damaged.
            """)

    @OptionGroup var options: LedgerOptions

    @Option(help: "Only queries about this subject or whose answer named it (a unified social credit code or citizen identity number).")
    var subject: String?

    @Option(help: "The first day included (YYYY-MM-DD, China Standard Time).")
    var from: String?

    @Option(help: "The last day included (YYYY-MM-DD, China Standard Time).")
    var to: String?

    /// Checks the filter when the command line is parsed (bad values are usage errors, 64).
    func validate() throws {
        _ = try filter()
    }

    /// The filter the options name.
    func filter() throws -> AuditFilter {
        var filter = AuditFilter()
        if let subject {
            do { filter.subject = try SubjectCode(subject).description } catch {
                throw ValidationError("--subject \(IdentityMasking.mask(subject)): \(error)")
            }
        }
        for (name, text, keyPath) in [("--from", from, \AuditFilter.from), ("--to", to, \AuditFilter.to)] {
            guard let text else { continue }
            do { filter[keyPath: keyPath] = try LegalDate(parsing: text) } catch {
                throw ValidationError("\(name) \(text): \(error) (a date YYYY-MM-DD)")
            }
        }
        if let from = filter.from, let to = filter.to, from > to { throw ValidationError("--from \(from) is after --to \(to)") }
        return filter
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let filter = try filter()
            let records: [AuditRecord]
            do {
                // A PostgreSQL ledger's query audit log is its serve process's, in its state directory.
                let home = PostgresLocation.isURL(options.ledger) ? options.stateDirectory : options.ledger
                let audit = try QueryAuditLog.open(ledgerDirectory: home, access: .readOnly)
                let read = Result { try audit.records(filter) }
                try audit.close()  // a failure to close is an error too, never swallowed
                records = try read.get()
            } catch { throw CLIFailure(.damaged, "\(error)") }
            print(options.json ? AuditDocuments.document(records, filter: filter).text : AuditDocuments.text(records))
        }
    }
}
