import CreditFacts

/// A licence (行政许可) as of a date: its number, item, issuing department, validity, and whether
/// it is still in force. The ends follow 《中华人民共和国行政许可法》第七十条, which lists when a
/// licence is cancelled (注销): (一) its validity ended without renewal; (三) the holding
/// organisation ended (依法终止); (四) the licence was revoked (吊销). The ledger reads them from
/// the facts it has:
///
/// - **expired** from the day after `validUntil`;
/// - **revoked** from the decision date of a `penalty.decided` whose kinds include `licenceRevoked`
///   (吊销许可证件), decided by the department that granted the licence (the licensing authority
///   revokes its own licences, 行政处罚法 Art. 9 and 行政许可法 Art. 70(四)), on a date the licence
///   was in force; a penalty itself revoked or corrected on objection by the date revokes nothing.
///   The interchange does not link a penalty to a licence number, so such a penalty revokes every
///   licence that department granted the subject and that was in force on the decision date;
/// - **cancelled** from the date the holder is deregistered (`subject.deregistered`).
///
/// The first of these to happen on or before the date is the licence's end; with none it is
/// **valid**. Everything else that ends a licence in Art. 70 (a holder's death, force majeure,
/// withdrawal 撤回 or annulment 撤销 of the grant) has no fact in interchange v1.
public struct LicenceStatus: Sendable, Hashable {
    /// Where a licence stands on a date.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// In force.
        case valid
        /// Past its validity (有效期届满).
        case expired
        /// Revoked by a penalty (吊销许可证件).
        case revoked
        /// Cancelled because its holder was deregistered (主体注销).
        case cancelled
    }

    /// The grant's decision number (许可决定书文号).
    public var decisionNo: DecisionNo
    /// The licensed item (许可事项).
    public var item: String
    /// The issuing department: the source that reported the grant (许可机关).
    public var issuer: SourceID
    /// The grant date.
    public var granted: LegalDate
    /// The end of validity as granted, if any (nil: no fixed term).
    public var validUntil: LegalDate?
    /// The grant fact (`SOURCE/ID`).
    public var fact: FactRef
    /// Its state on the date asked about.
    public var state: State
    /// The first day of that state when it is not `valid` (the day after `validUntil`, the
    /// revoking decision's date, the deregistration date).
    public var since: LegalDate?
    /// The penalty decision that revoked it, when `revoked`.
    public var revokedBy: DecisionNo?

    /// Judges `record` on `date` against the subject's `penalties` (with their statuses on the
    /// date) and the date it was deregistered, if it was by then.
    public init(record: ConductRecords.LicenceRecord, penalties: [Standing.Penalty], deregistered: LegalDate?, asOf date: LegalDate) {
        decisionNo = record.grant.decisionNo
        item = record.grant.item
        issuer = record.fact.source
        granted = record.granted
        validUntil = record.grant.validUntil
        fact = record.fact
        let expiry = record.grant.validUntil.map { $0.adding(days: 1) }
        var ends: [(date: LegalDate, state: State, by: DecisionNo?)] = []
        if let expiry, expiry <= date { ends.append((expiry, .expired, nil)) }
        for penalty in penalties {
            let r = penalty.record
            guard r.kinds.contains(.licenceRevoked), r.fact.source == record.fact.source, r.decided >= record.granted, r.decided <= date,
                  expiry.map({ r.decided < $0 }) ?? true, penalty.status.status != .revoked else { continue }
            ends.append((r.decided, .revoked, r.decisionNo))
        }
        if let deregistered, deregistered <= date { ends.append((deregistered, .cancelled, nil)) }
        // The earliest end; on one day, in the order expired, revoked (in decision order), cancelled.
        let first = ends.enumerated().min { ($0.element.date, $0.offset) < ($1.element.date, $1.offset) }?.element
        state = first?.state ?? .valid
        since = first?.date
        revokedBy = first?.by
    }

    /// Whether the licence is in force on the date.
    public var isValid: Bool { state == .valid }
}
