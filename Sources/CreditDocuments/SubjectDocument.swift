import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// Everything the CLI shows of one subject as of a date, gathered once from views built from the
/// subject's own facts (and, for a person, those of the organisations that could reach them), and
/// rendered as CLI.md's `subject --json` document, as text, or for report pages.
public struct SubjectDocument {
    /// The subject asked about.
    public var subject: SubjectCode
    /// The valid-time date.
    public var asOf: LegalDate
    /// The transaction-time instant as the document shows it.
    public var knownAtText: String
    /// Registration and deregistration as of the date, if known.
    public var profile: SubjectRegistry.Profile?
    /// Roles of persons in the organisation that began by the date.
    public var roles: [SubjectRegistry.RoleSpell]
    /// Penalties with their publicity as of the date.
    public var penalties: [PenaltyStatus]
    /// List entries as of the date.
    public var lists: [ListStatus]
    /// Commitments as of the date.
    public var commitments: [CommitmentStatus]
    /// Credit repairs applied for by the date.
    public var repairs: [RepairSpell]
    /// For a person, the organisation records that reach them.
    public var links: [PenetrationLink]
    /// Early-warning signals.
    public var warnings: [EarlyWarning]
    /// The grade with its reasons.
    public var grade: Grade
    /// Measures that apply in any scene, each once (by measure, trigger and path).
    public var measures: [MeasureMatch]

    /// Reads the subject from `ledger` as of `date`, as known at `knownAt`, grading with `model`
    /// and matching `catalogue`.
    public init(_ subject: SubjectCode, ledger: Ledger, asOf date: LegalDate, knownAt: RecordedTime?, knownAtText: String,
         model: GradingModel? = nil, catalogue: MeasureCatalogue? = nil) throws {
        let model = try model ?? GradingModel.bundledDefault()
        self.subject = subject
        self.asOf = date
        self.knownAtText = knownAtText
        let context = ledger.context
        let penetration = Penetration(context: context)
        var scope = [subject]
        if case .person(let person) = subject {
            scope += try ledger.withViews { penetration.candidateOrganisations(of: person, views: $0) }
        }
        let views = try ledger.subjectViews(scope, knownAt: knownAt)
        let registry = views.view(SubjectRegistry.self)
        profile = registry?.profile(subject, asOf: date)
        roles = (registry?.entry(subject)?.roles ?? []).filter { $0.from <= date }.sorted { ($0.from, $0.person) < ($1.from, $1.person) }
        penalties = (views.view(PenaltyPublicity.self)?.penalties(of: subject, asOf: date, context: context) ?? [])
            .sorted { ($0.decided, $0.decisionNo.text) < ($1.decided, $1.decisionNo.text) }
        lists = (views.view(ListRegister.self)?.entries(of: subject, asOf: date, context: context) ?? [])
            .sorted { ($0.entered, $0.listNo.text) < ($1.entered, $1.listNo.text) }
        commitments = (views.view(CommitmentRegister.self)?.commitments(of: subject, asOf: date) ?? [])
            .sorted { ($0.made, $0.commitmentNo.text) < ($1.made, $1.commitmentNo.text) }
        repairs = (views.view(CommitmentRegister.self)?.entry(subject)?.repairs ?? []).filter { $0.applied <= date }
            .sorted { ($0.applied, $0.repairNo.text) < ($1.applied, $1.repairNo.text) }
        if case .person(let person) = subject {
            links = penetration.linkedRecords(of: person, asOf: date, views: views)
        } else {
            links = []
        }
        warnings = EarlyWarnings().signals(of: subject, asOf: date, views: views)
        grade = Grader(model: model, context: context).grade(subject, asOf: date, views: views)
        let matcher = try ledger.matcher(catalogue: catalogue, model: model)
        measures = matcher.matchEveryScene(subject, asOf: date, views: views)
    }

    /// A repair's status on the document's date.
    public func status(of repair: RepairSpell) -> String {
        guard let decided = repair.decided, decided <= asOf, let outcome = repair.outcome else { return "pending" }
        return outcome.rawValue
    }

    /// CLI.md's `subject --json` document (plus `warnings`).
    public var json: JSON {
        .object([
            ("subject", .string(subject.description)),
            ("kind", .optional(profile?.registration?.kind.rawValue ?? (subject.isPerson ? "naturalPerson" : nil))),
            ("name", .optional(profile?.registration?.name)),
            ("asOf", .string(asOf.description)), ("knownAt", .string(knownAtText)),
            ("grade", RuleDocuments.grade(grade)),
            ("penalties", .array(penalties.map { p in
                .object([("decisionNo", .string(p.decisionNo.text)), ("decided", .string(p.decided.description)),
                         ("field", .string(p.field.rawValue)), ("severity", .string(p.severity.rawValue)),
                         ("status", .string(p.status.rawValue)), ("public", .bool(p.isPublic)),
                         ("publicUntil", .optional(p.publicityEnd?.description)), ("whyNotPublic", .optional(p.whyNotPublic)),
                         ("repairEligibleFrom", .optional(p.repairEligibleFrom?.description)), ("disputed", .bool(p.disputed))])
            })),
            ("lists", .array(lists.map { l in
                .object([("listNo", .string(l.listNo.text)), ("list", .string(l.list.rawValue)), ("active", .bool(l.isActive)),
                         ("published", .bool(l.isPublished)), ("enteredOn", .string(l.entered.description)),
                         ("plannedExpiry", .optional(l.plannedExpiry?.description)), ("exitedOn", .optional(l.ended?.description))])
            })),
            ("commitments", .array(commitments.map { c in
                .object([("commitmentNo", .string(c.commitmentNo.text)), ("kind", .string(c.kind.rawValue)),
                         ("status", .string(c.status.rawValue))])
            })),
            ("repairs", .array(repairs.map { r in
                .object([("repairNo", .string(r.repairNo.text)), ("applied", .string(r.applied.description)), ("status", .string(status(of: r)))])
            })),
            ("roles", .array(roles.map { spell in
                .object([("person", .string(spell.person.masked)), ("role", .string(spell.role.rawValue)),
                         ("from", .string(spell.from.description)), ("to", .optional(spell.to?.description))])
            })),
            ("linkedRecords", Self.linkedRecords(links)),
            ("measures", .array(measures.map(RuleDocuments.match))),
            ("warnings", .array(warnings.map { w in
                .object([("kind", .string(w.kind.rawValue)), ("refs", .array(w.refs.map(JSON.string))), ("detail", .string(w.detail))])
            })),
        ])
    }

    /// A person's linked records as CLI.md's `linkedRecords` array (with kind, date and basis).
    public static func linkedRecords(_ links: [PenetrationLink]) -> JSON {
        .array(links.map { link in
            .object([("organisation", .string(link.record.organisation.description)), ("ref", .string(link.record.ref)),
                     ("kind", .string(link.record.kind.rawValue)), ("effective", .string(link.record.effective.description)),
                     ("role", .string(link.role.rawValue)), ("basis", .string(link.basis.rawValue))])
        })
    }

    /// The persons a record reaches, identity numbers masked.
    public static func links(_ links: [PenetrationLink]) -> JSON {
        .array(links.map { link in
            .object([("person", .string(link.person.masked)), ("role", .string(link.role.rawValue)), ("basis", .string(link.basis.rawValue))])
        })
    }

    /// One link in words.
    public static func describe(_ link: PenetrationLink) -> String {
        "\(link.record.organisation) \(link.record.kind.rawValue) \(link.record.ref) of \(link.record.effective): "
            + "\(link.role.rawValue) (\(link.basis.rawValue))"
    }

    /// The document as text lines for a terminal.
    public var text: String {
        var lines = ["\(subject)  \(profile?.registration?.name ?? "(no registration known)")", "as of \(asOf), known at \(knownAtText)"]
        if let registration = profile?.registration { lines.append("kind: \(registration.kind.rawValue)  region: \(registration.region)") }
        lines.append("grade: \(grade.level.rawValue) (score \(grade.score), model \(grade.model))")
        for reason in grade.reasons {
            lines.append("  \(reason.points >= 0 ? "+" : "")\(reason.points) \(reason.rule) \(reason.ref) (\(reason.date))"
                + (reason.via.map { " via \($0.organisation) as \($0.role.rawValue)" } ?? ""))
        }
        if let deregistered = profile?.deregistered { lines.append("deregistered: \(deregistered)") }
        for spell in roles {
            lines.append("role: \(spell.role.rawValue) \(spell.person.masked) from \(spell.from)" + (spell.to.map { " to \($0)" } ?? ""))
        }
        for p in penalties {
            let publicity = p.isPublic ? "public until \(p.publicityEnd?.description ?? "-")" : "not public (\(p.whyNotPublic ?? p.status.rawValue))"
            lines.append("penalty: \(p.decisionNo) \(p.decided) \(p.field.rawValue) \(p.severity.rawValue), \(p.status.rawValue), \(publicity)"
                + (p.disputed ? ", disputed" : ""))
        }
        for l in lists {
            lines.append("list: \(l.list.rawValue) \(l.listNo) entered \(l.entered)" + (l.isActive ? ", active" : ", ended \(l.ended?.description ?? "")")
                + (l.isPublished ? ", published" : ", not published"))
        }
        for c in commitments { lines.append("commitment: \(c.kind.rawValue) \(c.commitmentNo) \(c.status.rawValue)") }
        for r in repairs { lines.append("repair: \(r.repairNo) applied \(r.applied), \(status(of: r))") }
        for link in links { lines.append("linked: " + Self.describe(link)) }
        for w in warnings { lines.append("warning: \(w.kind.rawValue): \(w.detail)") }
        for match in measures { lines.append("measure: " + RuleDocuments.describe(match)) }
        return lines.joined(separator: "\n")
    }
}
