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
            let knownAt = try time.instant()
            let registry = try ledger.subjectView(SubjectRegistry.self, subject: subject, knownAt: knownAt)
            let penalties = try ledger.subjectView(PenaltyPublicity.self, subject: subject, knownAt: knownAt)
                .penalties(of: subject, asOf: date, context: ledger.context)
                .sorted { ($0.decided, $0.decisionNo.text) < ($1.decided, $1.decisionNo.text) }
            let lists = try ledger.subjectView(ListRegister.self, subject: subject, knownAt: knownAt)
                .entries(of: subject, asOf: date, context: ledger.context)
                .sorted { ($0.entered, $0.listNo.text) < ($1.entered, $1.listNo.text) }
            let commitments = try ledger.subjectView(CommitmentRegister.self, subject: subject, knownAt: knownAt)
                .commitments(of: subject, asOf: date)
                .sorted { ($0.made, $0.commitmentNo.text) < ($1.made, $1.commitmentNo.text) }
            let profile = registry.profile(subject, asOf: date)
            let entry = registry.entry(subject)
            let roles = (entry?.roles ?? []).filter { $0.from <= date }.sorted { ($0.from, $0.person) < ($1.from, $1.person) }
            if options.json {
                print(JSON.object([
                    ("subject", .string(subject.description)),
                    ("kind", .optional(profile?.registration?.kind.rawValue ?? (subject.isPerson ? "naturalPerson" : nil))),
                    ("name", .optional(profile?.registration?.name)),
                    ("asOf", .string(date.description)), ("knownAt", .string(try time.knownAtText())),
                    ("grade", .null),
                    ("penalties", .array(penalties.map { p in
                        .object([("decisionNo", .string(p.decisionNo.text)), ("severity", .string(p.severity.rawValue)),
                                 ("status", .string(p.status.rawValue)), ("public", .bool(p.isPublic)),
                                 ("publicUntil", .optional(p.publicityEnd?.description)),
                                 ("repairEligibleFrom", .optional(p.repairEligibleFrom?.description)), ("disputed", .bool(p.disputed))])
                    })),
                    ("lists", .array(lists.map { l in
                        .object([("listNo", .string(l.listNo.text)), ("list", .string(l.list.rawValue)), ("active", .bool(l.isActive)),
                                 ("published", .bool(l.isPublished)), ("enteredOn", .string(l.entered.description)),
                                 ("exitedOn", .optional(l.ended?.description))])
                    })),
                    ("commitments", .array(commitments.map { c in
                        .object([("commitmentNo", .string(c.commitmentNo.text)), ("kind", .string(c.kind.rawValue)),
                                 ("status", .string(c.status.rawValue))])
                    })),
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
                for p in penalties {
                    let publicity = p.isPublic ? "public until \(p.publicityEnd?.description ?? "-")" : "not public (\(p.whyNotPublic ?? p.status.rawValue))"
                    print("penalty: \(p.decisionNo) \(p.decided) \(p.field.rawValue) \(p.severity.rawValue), \(p.status.rawValue), \(publicity)"
                        + (p.disputed ? ", disputed" : ""))
                }
                for l in lists {
                    print("list: \(l.list.rawValue) \(l.listNo) entered \(l.entered)" + (l.isActive ? ", active" : ", ended \(l.ended?.description ?? "")")
                        + (l.isPublished ? ", published" : ", not published"))
                }
                for c in commitments { print("commitment: \(c.kind.rawValue) \(c.commitmentNo) \(c.status.rawValue)") }
            }
        }
    }
}
