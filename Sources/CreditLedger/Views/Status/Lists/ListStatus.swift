import CreditFacts

/// A list entry as of a date: whether it is active and published, its planned expiry under the
/// regime of the entry date, and an abnormal-operation entry's rollover into serious dishonesty.
///
/// A rolled-over abnormal-operation entry gives two statuses with the same number: the abnormal
/// entry, which lasts until the duty is performed, and the serious-dishonesty listing it became,
/// which has a life of its own (its own period and earliest early removal, counted from the
/// rollover). A red-list entry ends on the day the subject stands on a list that bars the red list.
public struct ListStatus: Sendable, Hashable {
    /// The entry's number.
    public var listNo: ListNo
    /// The list the entry was made on.
    public var enteredList: ListKind
    /// The list this status is about: the entered list, or `seriousDishonesty` for the listing an
    /// abnormal-operation entry rolled over into.
    public var list: ListKind
    /// The regulatory field.
    public var field: RegulatoryField
    /// The listing date.
    public var entered: LegalDate
    /// Since when it stands on `list` (the rollover date for a rolled-over listing).
    public var onListSince: LegalDate
    /// For the serious-dishonesty listing an abnormal-operation entry rolled over into: the rollover date.
    public var rolledOver: LegalDate?
    /// First day no longer listed as planned: the stated `plannedExit`, else the regime's period;
    /// nil for lists without a period (abnormal operation, red, whitelist).
    public var plannedExpiry: LegalDate?
    /// First day published (the end of the grace period, or the listing date).
    public var publishedFrom: LegalDate
    /// Whether it is on the list on the date asked about.
    public var isActive: Bool
    /// Whether it is published on that date.
    public var isPublished: Bool
    /// When it left the list, if it had by that date.
    public var ended: LegalDate?
    /// Why it left: a code and its parameters, worded by the pages.
    public var endExplanation: Explanation?
    /// Why it left, in English (the JSON documents' text).
    public var endReason: String? { endExplanation?.text }
    /// Whether an objection against it is open on that date.
    public var disputed: Bool
    /// From when it is archived from the views (kept in the log): the regime's dishonesty
    /// retention from its anchor (by default the listing, never before it leaves the list); nil
    /// while it is on the list.
    public var archivedFrom: LegalDate?
    /// When it left by an exit or a correction on objection (not repair or expiry), for repair eligibility.
    var exitedOrCorrected: LegalDate?

    /// What ends a listing, known by the date asked about.
    private struct Stops {
        var exit: ListRegister.Exit?
        var repaired: LegalDate?
        var corrected: LegalDate?
    }

    private init(_ r: ListRegister.Record, list: ListKind, since: LegalDate, planned: LegalDate?, stops: Stops,
                 asOf date: LegalDate, context: ViewContext) {
        listNo = r.listNo
        enteredList = r.list
        self.list = list
        field = r.field
        entered = r.entered
        onListSince = since
        rolledOver = since == r.entered ? nil : since
        plannedExpiry = planned
        publishedFrom = max(since, r.publishFrom ?? r.entered)
        disputed = r.objections.disputed(on: date)
        let expired = planned.flatMap { $0 <= date ? $0 : nil }
        ended = earliest(stops.exit?.date, stops.repaired, stops.corrected, expired)
        exitedOrCorrected = earliest(stops.exit?.date, stops.corrected)
        switch ended {
        case nil: endExplanation = nil
        case stops.corrected: endExplanation = Explanation(.listingCorrected, "corrected on objection on {date}", ["date": .date(stops.corrected!)])
        case stops.repaired: endExplanation = Explanation(.listingRepaired, "repaired (信用修复) on {date}", ["date": .date(stops.repaired!)])
        case stops.exit?.date:
            endExplanation = Explanation(.listingExited, "exited ({reason}) on {date}",
                                         ["reason": .word("listExit", stops.exit!.reason.rawValue), "date": .date(stops.exit!.date)])
        default: endExplanation = Explanation(.listingPeriodEnded, "planned period ended on {date}", ["date": .date(expired!)])
        }
        isActive = ended == nil
        isPublished = isActive && date >= publishedFrom
        archivedFrom = r.regime(on: since, context).archivedFrom(found: since, ended: ended)
    }

    /// Ends an active entry on `day` (a date on or before the one asked about) for `reason`.
    private mutating func end(on day: LegalDate, reason: Explanation, context: ViewContext, record: ListRegister.Record) {
        ended = day
        endExplanation = reason
        isActive = false
        isPublished = false
        archivedFrom = record.regime(on: onListSince, context).archivedFrom(found: onListSince, ended: day)
    }

    /// The statuses of one subject's records on `date`, in record order (a rolled-over entry's
    /// serious listing right after its abnormal entry), each with its record.
    static func judge(_ records: [ListRegister.Record], asOf date: LegalDate, context: ViewContext)
        -> [(record: ListRegister.Record, status: ListStatus)] {
        var judged: [(record: ListRegister.Record, status: ListStatus)] = []
        for record in records where record.entered <= date {
            for status in statuses(of: record, asOf: date, context: context) { judged.append((record, status)) }
        }
        for i in judged.indices where judged[i].status.list == .red {
            endRedEntry(&judged[i], among: judged, asOf: date, context: context)
        }
        return judged
    }

    /// One record's statuses: one, or two for an abnormal-operation entry that rolled over.
    private static func statuses(of r: ListRegister.Record, asOf date: LegalDate, context: ViewContext) -> [ListStatus] {
        let rules = r.regime(on: r.entered, context).lists
        let corrected = r.objections.correction(by: date)
        let exits = r.exits.filter { $0.date <= date }
        let repaired = r.repairs.approval(by: date)
        guard r.list == .abnormalOperation, let rollover = r.rollover(context) else {
            let planned = r.plannedExit ?? period(of: r.list, rules)?.after(r.entered)
            let stops = Stops(exit: exits.first, repaired: repaired, corrected: corrected)
            return [ListStatus(r, list: r.list, since: r.entered, planned: planned, stops: stops, asOf: date, context: context)]
        }
        // 企业信息公示暂行条例 Art. 17: still listed after the period → the serious list. The
        // abnormal entry ends when the duty is performed (or the listing is repaired, revoked or
        // corrected); the serious listing runs its own period from the rollover and ends only by
        // its own exit (early removal, expiry), repair, revocation or correction.
        let abnormalStops = Stops(exit: exits.first { $0.date < rollover || $0.reason.endsAbnormalEntry }, repaired: repaired,
                                  corrected: corrected)
        let abnormal = ListStatus(r, list: .abnormalOperation, since: r.entered, planned: r.plannedExit, stops: abnormalStops,
                                  asOf: date, context: context)
        let rolled = rollover <= date && (earliest(abnormalStops.exit?.date, abnormalStops.repaired, corrected, r.plannedExit)
            .map { $0 > rollover } ?? true)
        guard rolled else { return [abnormal] }
        let seriousStops = Stops(exit: exits.first { $0.date >= rollover && $0.reason.endsRolledOverListing },
                                 repaired: repaired.flatMap { $0 >= rollover ? $0 : nil }, corrected: corrected)
        let planned = r.regime(on: rollover, context).lists.seriousDishonesty.period.after(rollover)
        return [abnormal, ListStatus(r, list: .seriousDishonesty, since: rollover, planned: planned, stops: seriousStops,
                                     asOf: date, context: context)]
    }

    /// 红黑名单交叉比对, the other way round (seed 001: 确保已被列入"黑名单"的主体不被列为"红名单"):
    /// a red entry made before a listing on a list that bars the red list ends on the day that
    /// listing begins (not its publication: the subject is listed from then), and with it every
    /// reward it triggered. It does not come back when that listing ends.
    private static func endRedEntry(_ red: inout (record: ListRegister.Record, status: ListStatus),
                                    among judged: [(record: ListRegister.Record, status: ListStatus)],
                                    asOf date: LegalDate, context: ViewContext) {
        var first: (day: LegalDate, status: ListStatus)?
        for other in judged where other.status.list != .red {
            let day = max(other.status.onListSince, red.status.entered)
            guard day <= date, other.status.ended.map({ day < $0 }) ?? true, red.status.ended.map({ day < $0 }) ?? true,
                  red.record.regime(on: day, context).lists.redListBarringLists.contains(other.status.list),
                  first.map({ day < $0.day }) ?? true else { continue }
            first = (day, other.status)
        }
        guard let (day, barring) = first else { return }
        let reason = Explanation(
            .redEntryBarred,
            "ended on {date}: the subject is on the {list} list ({listNo}, since {since}); a subject on a dishonesty list is not on the red list (红黑名单交叉比对)",
            ["date": .date(day), "list": .word("list", barring.list.rawValue), "listNo": .text(barring.listNo.text), "since": .date(barring.onListSince)])
        red.status.end(on: day, reason: reason, context: context, record: red.record)
    }

    /// The regime's listing period of `list`, if it has one.
    static func period(of list: ListKind, _ rules: ListRules) -> CalendarPeriod? {
        switch list {
        case .seriousDishonesty: rules.seriousDishonesty.period
        case .judgmentDefaulter: rules.judgmentDefaulter.period
        case .keyAttention: rules.keyAttention.period
        case .abnormalOperation, .red, .financingWhitelist: nil
        }
    }

    /// Judges a list repair on its application date: the entry must still stand, not be repaired
    /// already, and (serious dishonesty, including a rolled-over listing) have reached the earliest
    /// early removal; a repair commitment when the regime requires one.
    static func repairEligibility(_ r: ListRegister.Record, application: RepairSpell, context: ViewContext) -> RepairEligibility {
        let applied = application.applied
        let conditions = r.regime(on: applied, context)
        let current = statuses(of: r, asOf: applied, context: context).last!
        var problems: [String] = []
        if let gone = current.exitedOrCorrected {
            problems.append("the entry left the list on \(gone): nothing to repair")
        }
        if let earlier = r.repairs.first(where: { $0.repairNo != application.repairNo && $0.approval(by: applied) != nil }) {
            problems.append("already repaired under \(earlier.repairNo)")
        }
        if current.list == .seriousDishonesty, conditions.repair.eligibleAfterMinimumPeriod {
            let from = r.regime(on: current.onListSince, context).lists.seriousDishonesty.earlyRemovalAfter.after(current.onListSince)
            if applied < from { problems.append("early removal from the serious-dishonesty list is possible from \(from) (applied on \(applied))") }
        }
        if conditions.repair.requiresRepairCommitment, application.commitmentNo == nil {
            problems.append("no repair commitment (信用修复承诺) was made")
        }
        return RepairEligibility(target: r.listNo.text, applied: applied, instrument: conditions.instrument, problems: problems)
    }

    func encode(into e: inout CanonicalEncoder) {
        e.write(id: listNo)
        e.write(word: list)
        e.write(onListSince)
        e.write(optionalDate: plannedExpiry)
        e.write(publishedFrom)
        e.write(isActive)
        e.write(isPublished)
        e.write(optionalDate: ended)
        e.write(disputed)
    }
}

extension ListExitReason {
    /// Whether an exit dated on or after an abnormal-operation entry's rollover ends the abnormal
    /// entry: the duty performed, a repair, a revocation or a court deletion; not an early removal
    /// or the expiry of the serious listing.
    var endsAbnormalEntry: Bool {
        switch self {
        case .performed, .repaired, .revoked, .courtDeleted: true
        case .earlyRemoval, .expired: false
        }
    }

    /// Whether such an exit ends the serious listing the entry rolled over into: everything but
    /// the duty performed, which ends only the abnormal entry (the serious listing has its own life).
    var endsRolledOverListing: Bool { self != .performed }
}
