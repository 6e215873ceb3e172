import ArgumentParser
import CreditFacts
import CreditLedger
import Foundation

/// `subject ID`: the subject's state as of a date, known at an instant.
struct Subject: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The subject's state as of --as-of, known at --known-at.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    @Argument(help: "A unified social credit code or citizen identity number.")
    var id: String

    func run() throws {
        try CreditLedgerCommand.run {
            let subject: SubjectCode
            do { subject = try SubjectCode(id) } catch { throw CLIFailure(.refused, "\(id): \(error)") }
            let ledger = try options.open()
            defer { try? ledger.close() }
            let date = try time.date()
            let registry = try ledger.subjectView(SubjectRegistry.self, subject: subject, knownAt: try time.instant())
            let profile = registry.profile(subject, asOf: date)
            let entry = registry.entry(subject)
            let roles = (entry?.roles ?? []).filter { $0.from <= date }.sorted { ($0.from, $0.person) < ($1.from, $1.person) }
            if options.json {
                print(JSON.object([
                    ("subject", .string(subject.description)),
                    ("kind", .optional(profile?.registration?.kind.rawValue ?? (subject.isPerson ? "naturalPerson" : nil))),
                    ("name", .optional(profile?.registration?.name)),
                    ("asOf", .string(date.description)), ("knownAt", .string(try time.knownAtText())),
                    ("grade", .null), ("penalties", .array([])), ("lists", .array([])), ("commitments", .array([])),
                    ("repairs", .array([])),
                    ("roles", .array(roles.map { spell in
                        .object([("person", .string(spell.person.masked)), ("role", .string(spell.role.rawValue)),
                                 ("from", .string(spell.from.description)), ("to", .optional(spell.to?.description))])
                    })),
                    ("linkedRecords", .array([])),
                ]).text)
            } else {
                print("\(subject)  \(profile?.registration?.name ?? "(no registration known)")")
                print("as of \(date), known at \(try time.knownAtText())")
                if let registration = profile?.registration {
                    print("kind: \(registration.kind.rawValue)  region: \(registration.region)")
                }
                if let deregistered = profile?.deregistered { print("deregistered: \(deregistered)") }
                for spell in roles {
                    print("role: \(spell.role.rawValue) \(spell.person.masked) from \(spell.from)" + (spell.to.map { " to \($0)" } ?? ""))
                }
            }
        }
    }
}
