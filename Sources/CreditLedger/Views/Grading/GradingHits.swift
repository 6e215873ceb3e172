import CreditFacts

/// A record that meets a condition, as a reason names it.
struct GradingHit {
    /// The fact behind the record (nil for a breach recorded without one).
    var fact: FactRef?
    /// Decision, list, commitment or contract number, or honour title.
    var ref: String
    /// The record's date.
    var date: LegalDate
    /// The organisation and role, for reverse penetration.
    var via: GradeLink?
}

extension Standing {
    /// The kinds of gradable record present on or before the date, one bit per kind.
    var gradable: GradableRecords {
        var present = GradableRecords()
        if !penalties.isEmpty { present.insert(.penalty) }
        if !listings.isEmpty { present.insert(.listEntry) }
        if commitments.contains(where: \.isMade) { present.insert(.commitment) }
        if !honours.isEmpty { present.insert(.honour) }
        if !contracts.isEmpty { present.insert(.contract) }
        if !evaluations.isEmpty { present.insert(.evaluation) }
        return present
    }

    /// Calls `body` for each record that meets `condition` on the standing's date, as grading
    /// reads a ``Condition``: an entry in its grace period (宽限期) does not count — nothing punishes
    /// from a listing before its publication date (法发〔2019〕35号: the listing is published only if
    /// the party has not performed when the grace period ends) — and a breach counts only once its
    /// commitment was made by the date.
    func forEachGradingHit(_ condition: GradingCondition, _ body: (GradingHit) -> Void) {
        forEachHit(condition) { hit in
            guard hit.isMade, hit.isPublished else { return }
            body(GradingHit(fact: hit.fact, ref: hit.ref, date: hit.recordDate, via: hit.via))
        }
    }
}

/// A set of ``GradableRecord`` kinds as bits: checked for every subject of a distribution, so
/// without a `Set`'s hashing.
struct GradableRecords: Sendable, Hashable {
    private var bits: UInt8 = 0

    init() {}

    init(_ kinds: [GradableRecord]) { for kind in kinds { insert(kind) } }

    mutating func insert(_ kind: GradableRecord) { bits |= Self.bit(kind) }

    func contains(_ kind: GradableRecord) -> Bool { bits & Self.bit(kind) != 0 }

    func containsAny(of other: GradableRecords) -> Bool { bits & other.bits != 0 }

    private static func bit(_ kind: GradableRecord) -> UInt8 {
        switch kind {
        case .penalty: 1
        case .listEntry: 2
        case .commitment: 4
        case .honour: 8
        case .contract: 16
        case .evaluation: 32
        }
    }
}
