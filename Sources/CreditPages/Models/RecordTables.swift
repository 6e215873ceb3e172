import CreditFacts
import CreditLedger

/// The tables of the report pages, one function per kind of record, each row built from the typed
/// record: the columns (and their order) of the records as the `--json` documents list them.
enum RecordTables {
    /// Penalties: decision, dates, field, severity, status, publicity and why not, repair date,
    /// whether disputed. `omitting` leaves columns out by label (`Public`, `Why not public`).
    static func penalties(_ penalties: [PenaltyStatus], omitting: Set<String> = []) -> PageTable {
        PageTable(penalties.map { p in
            [("Decision no.", .text(p.decisionNo.text)), ("Decided", .date(p.decided)), ("Field", .text(p.field.rawValue)),
             ("Severity", .text(p.severity.rawValue)), ("Status", .text(p.status.rawValue)), ("Public", .flag(p.isPublic)),
             ("Public until", .date(p.publicityEnd)), ("Why not public", .text(p.whyNotPublic)),
             ("Repair eligible from", .date(p.repairEligibleFrom)), ("Disputed", .disputed(p.disputed))]
        }, omitting: omitting)
    }

    /// List entries, with why each is not published when `why` gives a reason.
    static func listings(_ listings: [(status: ListStatus, why: String?)], omitting: Set<String> = []) -> PageTable {
        PageTable(listings.map { l, why in
            [("List no.", .text(l.listNo.text)), ("List", .text(l.list.rawValue)), ("Entered on", .date(l.entered)),
             ("Planned expiry", .date(l.plannedExpiry)), ("Active", .flag(l.isActive)), ("Published", .flag(l.isPublished)),
             ("Why", .text(why))]
        }, omitting: omitting)
    }

    /// Commitments with their status as of the report's date.
    static func commitments(_ commitments: [CommitmentStatus]) -> PageTable {
        PageTable(commitments.map { c in
            [("Commitment no.", .text(c.commitmentNo.text)), ("Kind", .text(c.kind.rawValue)), ("Status", .text(c.status.rawValue))]
        })
    }

    /// Repair applications with their status in words.
    static func repairs(of document: SubjectDocument) -> PageTable {
        PageTable(document.repairs.map { r in
            [("Repair no.", .text(r.repairNo.text)), ("Applied", .date(r.applied)), ("Status", .text(document.status(of: r)))]
        })
    }

    /// Roles held in an organisation, persons masked.
    static func roles(_ roles: [SubjectRegistry.RoleSpell]) -> PageTable {
        PageTable(roles.map { spell in
            [("Person (masked)", .text(spell.person.masked)), ("Role", .text(spell.role.rawValue)), ("From", .date(spell.from)),
             ("To", .date(spell.to))]
        })
    }

    /// A person's links to organisations' dishonesty records.
    static func linkedRecords(_ links: [PenetrationLink]) -> PageTable {
        PageTable(links.map { link in
            [("Organisation", .text(link.record.organisation.description)), ("Record", .text(link.record.ref)),
             ("Kind", .text(link.record.kind.rawValue)), ("Effective", .date(link.record.effective)),
             ("Role", .text(link.role.rawValue)), ("Basis", .text(link.basis.rawValue))]
        })
    }

    /// The reasons of a grade, points coloured by sign.
    static func reasons(_ grade: Grade) -> PageTable {
        PageTable(grade.reasons.map { reason in
            [("Fact", .text(reason.fact?.description ?? "")), ("Record", .text(reason.ref)), ("Rule", .text(reason.rule)),
             ("Points", .number(reason.points, style: reason.points < 0 ? "num loss" : reason.points > 0 ? "num gain" : "num")),
             ("Date", .date(reason.date)),
             ("Via", .pairs(reason.via.map { [("organisation", $0.organisation.description), ("role", $0.role.rawValue)] }))]
        })
    }

    /// Measures that apply: the measure led by its id, the trigger as one phrase
    /// (`abnormalOperation MD-4685-7 since 2026-03-18`, `serious penalty 沪税稽罚〔2026〕4685-5号 since
    /// 2026-06-25`), and the path through an organisation when there is one.
    static func measures(_ matches: [MeasureMatch]) -> PageTable {
        PageTable(matches.map { match in
            let measure = match.measure
            return [("Kind", .text(measure.kind.rawValue)), ("Category", .number(measure.category)),
                    ("Measure", .text("\(measure.id.text) \(measure.measure.display)")), ("Legal basis", .text(measure.legalBasis)),
                    ("Implementing bodies", .list(measure.implementingBodies.map(\.name))), ("Trigger", .text(trigger(match.trigger))),
                    ("Via", .pairs(match.via.map {
                        [("organisation", $0.organisation.description), ("role", $0.role.rawValue), ("basis", $0.basis.rawValue)]
                    }))]
        })
    }

    /// Early-warning signals.
    static func warnings(_ warnings: [EarlyWarning]) -> PageTable {
        PageTable(warnings.map { w in [("Kind", .text(w.kind.rawValue)), ("Refs", .list(w.refs)), ("Detail", .text(w.detail))] })
    }

    /// A trigger in words: what it is (list, grade, penalty severity, breach; its kind when none of
    /// these), the record and since when.
    private static func trigger(_ trigger: MeasureTriggerHit) -> String {
        let what = [trigger.list?.rawValue, trigger.grade.map { "grade \($0.rawValue)" }, trigger.severity.map { "\($0.rawValue) penalty" },
                    trigger.breach.map { "\($0.rawValue) breach" }].compactMap { $0 }.joined(separator: " ")
        return [what.isEmpty ? trigger.kind.rawValue : what, trigger.ref, "since \(trigger.since)"].joined(separator: " ")
    }
}
