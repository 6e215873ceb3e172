import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// The library's subject document rendered as CLI.md's `subject --json` document, as text, or for
/// report pages. `knownAtText` is the instant as the user gave it (or `now`).
extension SubjectDocument {
    /// CLI.md's `subject --json` document (plus `warnings`).
    public func json(knownAtText: String) -> JSON {
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
                         ("repairEligibleFrom", .optional(p.repairEligibleFrom?.description)), ("disputed", .bool(p.disputed)),
                         ("whyNotPublicExplanation", .explanation(p.notPublicExplanation))])
            })),
            ("lists", .array(lists.map { l in
                .object([("listNo", .string(l.listNo.text)), ("list", .string(l.list.rawValue)), ("active", .bool(l.isActive)),
                         ("published", .bool(l.isPublished)), ("enteredOn", .string(l.entered.description)),
                         ("onListSince", .string(l.onListSince.description)),
                         ("plannedExpiry", .optional(l.plannedExpiry?.description)), ("exitedOn", .optional(l.ended?.description)),
                         ("endReason", .optional(l.endReason)),
                         ("endExplanation", .explanation(l.endExplanation))])
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
                .object([("kind", .string(w.kind.rawValue)), ("refs", .array(w.refs.map(JSON.string))), ("detail", .string(w.detail)),
                         ("explanation", .explanation(w.explanation))])
            })),
        ] + NotInLedger.members(subject, inLedger: inLedger))
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
    public func text(knownAtText: String) -> String {
        var lines = ["\(subject)  \(profile?.registration?.name ?? "(no registration known)")", "as of \(asOf), known at \(knownAtText)"]
        if !inLedger { lines.append(NotInLedger.notice(subject)) }
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
            lines.append("list: \(l.list.rawValue) \(l.listNo) entered \(l.entered)" + (l.rolledOver.map { ", rolled over \($0)" } ?? "")
                + (l.isActive ? ", active" : ", ended \(l.ended?.description ?? "")") + (l.endReason.map { " (\($0))" } ?? "")
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
