import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import CreditPages
import Foundation
import LedgerStorage

/// `penetration`: coverage of organisations' dishonesty records by linked persons (穿透覆盖率) and
/// the unlinked records (data gaps); with `--subject` the records of one organisation and whom
/// they reach, or everything linked to one person.
struct PenetrationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "penetration",
        abstract: "Penetration coverage: dishonesty records of organisations, how many are linked to persons, and the unlinked ones (data gaps).")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Option(help: "An organisation (its records and the persons they reach) or a person (the records linked to them).")
    var subject: String?

    @Option(help: "How many unlinked records to print in text mode (all with --json).")
    var limit: Int = 20

    @OptionGroup var page: PageFileOptions

    func validate() throws {
        if page.html != nil && subject != nil { throw ValidationError("--html writes the coverage page: it does not go with --subject") }
        if (page.csv != nil || page.xlsx != nil) && subject != nil { throw ValidationError("--csv and --xlsx write the data gaps: they do not go with --subject") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let renderer = try page.renderer()
            let ledger = try options.open()
            let date = try time.date()
            let knownAt = try time.instant()
            if let subject {
                let code: SubjectCode
                do { code = try SubjectCode(subject) } catch { throw CLIFailure(.refused, "--subject \(subject): \(error)") }
                try printSubject(code, ledger: ledger, date: date, knownAt: knownAt)
                return
            }
            let coverage = try ledger.penetrationCoverage(asOf: date, knownAt: knownAt)
            let knownAtText = try time.knownAtText()
            try page.write(with: renderer, { $0.penetration(coverage, knownAt: knownAtText) }, csv: { $0.penetrationCSV(coverage, format: $1) })
            let document = AnalysisDocuments.penetration(coverage, asOf: date, knownAtText: knownAtText)
            if options.json { print(document.text); return }
            print(TextReports.penetration(coverage, knownAt: knownAtText, limit: limit, wording: try page.pages.words.wording()))
        }
    }

    private func printSubject(_ code: SubjectCode, ledger: Ledger, date: LegalDate, knownAt: RecordedTime?) throws {
        if case .person(let person) = code {
            let view = try ledger.personPenetration(of: person, asOf: date, knownAt: knownAt)
            if options.json { print(AnalysisDocuments.personPenetration(view).text); return }
            print("\(person.masked): \(view.links.count) linked organisation records as of \(date)")
            for link in view.links { print("  " + SubjectDocument.describe(link)) }
            for held in view.roles { print("  holds \(held.spell.role.rawValue) in \(held.organisation) since \(held.spell.from)") }
            return
        }
        let records = try ledger.dishonestyRecords(of: code, asOf: date, knownAt: knownAt)
        if options.json {
            print(AnalysisDocuments.organisationPenetration(records).text)
            return
        }
        print("\(code): \(records.count) dishonesty records in force as of \(date)")
        for linked in records {
            print("  \(linked.record.effective) \(linked.record.kind.rawValue) \(linked.record.ref)")
            if linked.links.isEmpty { print("    (no person linked: data gap)") }
            for link in linked.links { print("    \(link.person.masked) \(link.role.rawValue) (\(link.basis.rawValue))") }
        }
    }
}
