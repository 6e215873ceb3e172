import CreditFacts
import CreditLedger

/// The tables of the report pages, one function per kind of record, each row built from the typed
/// record: the columns (and their order) of the records as the `--json` documents list them, keyed
/// by the documents' field names and labelled, like every code in a cell, by the ``Wording``.
enum RecordTables {
    /// Penalties: decision, dates, field, severity, status, publicity and why not, repair date,
    /// whether disputed. `omitting` leaves columns out by key (`public`, `whyNotPublic`).
    static func penalties(_ penalties: [PenaltyStatus], omitting: Set<String> = [], _ w: Wording) -> PageTable {
        PageTable(penalties.map { p in
            [("decisionNo", .text(p.decisionNo.text)), ("decided", .date(p.decided)), ("field", .plain(w.field(p.field))),
             ("severity", .plain(w.severity(p.severity))), ("status", .plain(w.status(p.status))), ("public", .flag(p.isPublic, w)),
             ("publicUntil", .date(p.publicityEnd)), ("whyNotPublic", .text(p.notPublicExplanation.map(w.explain))),
             ("repairEligibleFrom", .date(p.repairEligibleFrom)), ("disputed", .disputed(p.disputed, w))]
        }, omitting: omitting, wording: w)
    }

    /// List entries, with why each is not published when `why` gives a reason.
    static func listings(_ listings: [(status: ListStatus, why: Explanation?)], omitting: Set<String> = [], _ w: Wording) -> PageTable {
        PageTable(listings.map { l, why in
            [("listNo", .text(l.listNo.text)), ("list", .plain(w.list(l.list))), ("enteredOn", .date(l.entered)),
             ("plannedExpiry", .date(l.plannedExpiry)), ("active", .flag(l.isActive, w)), ("published", .flag(l.isPublished, w)),
             ("why", .text(why.map(w.explain)))]
        }, omitting: omitting, wording: w)
    }

    /// Commitments with their status as of the report's date.
    static func commitments(_ commitments: [CommitmentStatus], _ w: Wording) -> PageTable {
        PageTable(commitments.map { c in
            [("commitmentNo", .text(c.commitmentNo.text)), ("kind", .plain(w.commitment(c.kind))), ("status", .plain(w.status(c.status)))]
        }, wording: w)
    }

    /// Repair applications with their status in words.
    static func repairs(of document: SubjectDocument, _ w: Wording) -> PageTable {
        PageTable(document.repairs.map { r in
            [("repairNo", .text(r.repairNo.text)), ("applied", .date(r.applied)), ("status", .plain(w.repairStatus(document.status(of: r))))]
        }, wording: w)
    }

    /// Roles held in an organisation, persons masked.
    static func roles(_ roles: [SubjectRegistry.RoleSpell], _ w: Wording) -> PageTable {
        PageTable(roles.map { spell in
            [("person", .text(spell.person.masked)), ("role", .plain(w.role(spell.role))), ("from", .date(spell.from)), ("to", .date(spell.to))]
        }, wording: w)
    }

    /// A person's links to organisations' dishonesty records.
    static func linkedRecords(_ links: [PenetrationLink], _ w: Wording) -> PageTable {
        PageTable(links.map { link in
            [("organisation", .text(link.record.organisation.description)), ("record", .text(link.record.ref)),
             ("kind", .plain(w.record(link.record.kind))), ("effective", .date(link.record.effective)),
             ("role", .plain(w.role(link.role))), ("basis", .plain(w.basis(link.basis)))]
        }, wording: w)
    }

    /// The reasons of a grade, points coloured by sign; the rule by its title in the model, the
    /// fact by its reporting department and id.
    static func reasons(_ grade: Grade, _ w: Wording) -> PageTable {
        PageTable(grade.reasons.map { reason in
            [("rule", .plain(w.rule(reason.rule))), ("record", .text(reason.ref)),
             ("points", .number(reason.points, style: reason.points < 0 ? "num loss" : reason.points > 0 ? "num gain" : "num")),
             ("date", .date(reason.date)), ("source", .plain(reason.fact.map(w.fact) ?? "—")),
             ("via", .pairs(reason.via.map { [(w.text("col.organisation"), $0.organisation.description), (w.text("col.role"), w.role($0.role))] }))]
        }, wording: w)
    }

    /// Measures that apply: the measure led by its id, the trigger as one phrase
    /// (`经营异常名录 MD-4685-7 2026-03-18起`), and the path through an organisation when there is one.
    static func measures(_ matches: [MeasureMatch], _ w: Wording) -> PageTable {
        PageTable(matches.map { match in
            let measure = match.measure
            return [("kind", .plain(w.measureKind(measure.kind))), ("category", .number(measure.category)),
                    ("measure", .text("\(measure.id.text) \(w.measure(measure.measure))")), ("legalBasis", .text(measure.legalBasis)),
                    ("implementingBodies", .list(measure.implementingBodies.map(\.name))), ("trigger", .text(trigger(match.trigger, w))),
                    ("via", .pairs(match.via.map {
                        [(w.text("col.organisation"), $0.organisation.description), (w.text("col.role"), w.role($0.role)),
                         (w.text("col.basis"), w.basis($0.basis))]
                    }))]
        }, wording: w)
    }

    /// Early-warning signals.
    static func warnings(_ warnings: [EarlyWarning], _ w: Wording) -> PageTable {
        PageTable(warnings.map { warning in
            [("kind", .plain(w.warning(warning.kind))), ("refs", .list(warning.refs)), ("detail", .text(w.explain(warning.explanation)))]
        }, wording: w)
    }

    /// A trigger in words: what it is (list, grade, penalty class, breach; its kind when none of
    /// these), the record and since when.
    static func trigger(_ trigger: MeasureTriggerHit, _ w: Wording) -> String {
        let what = [trigger.list.map(w.list), trigger.grade.map(w.level), trigger.severity.map { "\(w.severity($0)) \(w.word("triggerKind", "penaltyInPublicity"))" },
                    trigger.breach.map(w.breach)].compactMap { $0 }.joined(separator: " ")
        let since = w.language == .zh ? "\(trigger.since)起" : "since \(trigger.since)"
        return [what.isEmpty ? w.word("triggerKind", trigger.kind.rawValue) : what, trigger.ref, since].joined(separator: " ")
    }
}
