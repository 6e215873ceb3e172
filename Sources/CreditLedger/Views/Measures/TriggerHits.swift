import CreditFacts

extension Standing {
    /// The hits of `trigger` among the standing's records on its date (grades are judged by the
    /// matcher). A listing in its grace period (宽限期, before publishFrom) is recorded but not
    /// published, and triggers nothing yet; repair, exit, revocation, correction on objection and
    /// expiry are in the records' statuses, so the measures they triggered lift from that date.
    func hits(of trigger: MeasureTrigger, into result: inout [MeasureTriggerHit]) {
        let date = asOf
        switch trigger {
        case .onList(let lists, let fields):
            for listing in listings where listing.status.isActive && listing.status.isPublished && lists.contains(listing.status.list)
                && (fields?.contains(listing.record.field) ?? true) {
                let status = listing.status
                result.append(MeasureTriggerHit(kind: .onList, list: status.list, ref: listing.record.listNo.text, fact: listing.record.fact,
                                                recordDate: status.onListSince, since: max(status.onListSince, status.publishedFrom)))
            }
        case .penaltyInPublicity(let severities, let fields):
            for penalty in penalties where penalty.status.isPublic && severities.contains(penalty.status.severity)
                && (fields?.contains(penalty.record.field) ?? true) {
                let record = penalty.record
                result.append(MeasureTriggerHit(kind: .penaltyInPublicity, severity: penalty.status.severity, ref: record.decisionNo.text,
                                                fact: record.fact, recordDate: record.decided, since: record.decided))
            }
        case .breachedCommitment(let kinds, let severities, let withinMonths, let untilRepaired):
            for commitment in commitments where commitment.status.status == .breached {
                let record = commitment.record
                guard let breached = commitment.status.breached, let kind = record.breach, kinds.contains(kind) else { continue }
                if let severities, !(record.breachSeverity.map { severities.contains($0) } ?? false) { continue }
                if let withinMonths, date >= breached.adding(months: withinMonths) { continue }
                if untilRepaired, commitment.repaired != nil { continue }
                result.append(MeasureTriggerHit(kind: .breachedCommitment, severity: record.breachSeverity, breach: kind,
                                                ref: record.commitmentNo.text, fact: record.breachFact ?? "", recordDate: breached,
                                                since: breached))
            }
        case .grade:
            return
        }
    }
}
