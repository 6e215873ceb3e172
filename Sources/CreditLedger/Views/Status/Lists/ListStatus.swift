import CreditFacts

/// A list entry as of a date: whether it is active and published, its planned expiry under the
/// regime of the entry date, and an abnormal-operation entry's rollover into serious dishonesty.
public struct ListStatus: Sendable, Hashable {
    /// The entry's number.
    public var listNo: ListNo
    /// The list the entry was made on.
    public var enteredList: ListKind
    /// The list it stands on as of the date: the entered list, or `seriousDishonesty` after an
    /// abnormal-operation entry rolled over.
    public var list: ListKind
    /// The regulatory field.
    public var field: RegulatoryField
    /// The listing date.
    public var entered: LegalDate
    /// Since when it stands on `list` (the rollover date after a rollover).
    public var onListSince: LegalDate
    /// When an abnormal-operation entry rolled over into the serious-dishonesty list, if it did.
    public var rolledOver: LegalDate?
    /// First day no longer listed as planned: the stated `plannedExit`, else the regime's period;
    /// nil for lists without a period (abnormal operation before rollover, red, whitelist).
    public var plannedExpiry: LegalDate?
    /// First day published (the end of the grace period, or the listing date).
    public var publishedFrom: LegalDate
    /// Whether it is on the list on the date asked about.
    public var isActive: Bool
    /// Whether it is published on that date.
    public var isPublished: Bool
    /// When it left the list, if it had by that date.
    public var ended: LegalDate?
    /// Why it left, in words.
    public var endReason: String?
    /// Whether an objection against it is open on that date.
    public var disputed: Bool
    /// From when it is archived from the views (kept in the log): the regime's dishonesty
    /// retention after it left the list; nil while it is on the list.
    public var archivedFrom: LegalDate?

    init(record r: ListRegister.Record, asOf date: LegalDate, context: ViewContext) {
        let rules = context.rules.regime(on: r.entered).lists
        let exit = r.exited.flatMap { $0 <= date ? $0 : nil }
        let repaired = r.repairs.approval(by: date)
        let corrected = r.objections.correction(by: date)
        let stop = earliest(exit, repaired, corrected)
        listNo = r.listNo
        enteredList = r.list
        list = r.list
        field = r.field
        entered = r.entered
        onListSince = r.entered
        plannedExpiry = r.plannedExit ?? Self.period(of: r.list, rules)?.after(r.entered)
        publishedFrom = max(r.entered, r.publishFrom ?? r.entered)
        disputed = r.objections.disputed(on: date)
        if r.list == .abnormalOperation {
            let rollover = rules.abnormalOperation.rolloverToSeriousDishonestyAfter.after(r.entered)
            let endedBefore = earliest(stop, plannedExpiry).map { $0 <= rollover } ?? false
            if rollover <= date, !endedBefore {
                // 企业信息公示暂行条例 Art. 17: still listed after the period → serious list, judged
                // by the regime in force on the rollover date.
                list = .seriousDishonesty
                onListSince = rollover
                rolledOver = rollover
                plannedExpiry = context.rules.regime(on: rollover).lists.seriousDishonesty.period.after(rollover)
                publishedFrom = max(publishedFrom, rollover)
            }
        }
        let expired = plannedExpiry.flatMap { $0 <= date ? $0 : nil }
        ended = earliest(stop, expired)
        switch ended {
        case nil: endReason = nil
        case corrected: endReason = "corrected on objection on \(corrected!)"
        case repaired: endReason = "repaired (信用修复) on \(repaired!)"
        case exit: endReason = "exited (\(r.exitReason?.rawValue ?? "")) on \(exit!)"
        default: endReason = "planned period ended on \(expired!)"
        }
        isActive = ended == nil
        isPublished = isActive && date >= publishedFrom
        archivedFrom = ended.map { context.rules.regime(on: r.entered).dishonestyRetention.after($0) }
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
    /// already, and (serious dishonesty) have reached the earliest early removal; a repair
    /// commitment when the regime requires one.
    static func repairEligibility(_ r: ListRegister.Record, application: RepairSpell, context: ViewContext) -> RepairEligibility {
        let applied = application.applied
        let conditions = context.rules.regime(on: applied)
        var problems: [String] = []
        if let gone = earliest(r.exited, r.objections.correction(by: applied)), gone <= applied {
            problems.append("the entry left the list on \(gone): nothing to repair")
        }
        if let earlier = r.repairs.first(where: { $0.repairNo != application.repairNo && $0.approval(by: applied) != nil }) {
            problems.append("already repaired under \(earlier.repairNo)")
        }
        if r.list == .seriousDishonesty, conditions.repair.eligibleAfterMinimumPeriod {
            let from = context.rules.regime(on: r.entered).lists.seriousDishonesty.earlyRemovalAfter.after(r.entered)
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
