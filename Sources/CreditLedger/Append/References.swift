import CreditFacts

/// A number one fact defines and later facts of the same subject refer to.
struct ReferenceKey: Hashable, Sendable, Comparable {
    /// The kind of number. The raw value is stored in snapshots of the ledger index: frozen, a new
    /// kind takes a new value.
    enum Kind: UInt8, Sendable, Comparable {
        case decision = 0, list = 1, commitment = 2, repair = 3, objection = 4

        static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }

        /// How the number is named in messages.
        var noun: String {
            switch self {
            case .decision: "decision"
            case .list: "list entry"
            case .commitment: "commitment"
            case .repair: "repair application"
            case .objection: "objection"
            }
        }
    }

    var kind: Kind
    var text: String

    static func < (lhs: ReferenceKey, rhs: ReferenceKey) -> Bool { (lhs.kind, lhs.text) < (rhs.kind, rhs.text) }
}

/// A reference a fact makes, with the field that makes it.
struct Reference {
    var field: String
    var key: ReferenceKey
}

extension FactBody {
    /// The number this fact defines, if any (a penalty's decision number, a list entry's number …).
    var definedReference: ReferenceKey? {
        switch self {
        case .penaltyDecided(let p): return ReferenceKey(kind: .decision, text: p.decisionNo.text)
        case .licenceGranted(let l): return ReferenceKey(kind: .decision, text: l.decisionNo.text)
        case .actRecorded(let a): return ReferenceKey(kind: .decision, text: a.decisionNo.text)
        case .commitmentMade(let c): return ReferenceKey(kind: .commitment, text: c.commitmentNo.text)
        case .listEntered(let l): return ReferenceKey(kind: .list, text: l.listNo.text)
        case .repairApplied(let r): return ReferenceKey(kind: .repair, text: r.repairNo.text)
        case .objectionRaised(let o): return ReferenceKey(kind: .objection, text: o.objectionNo.text)
        default: return nil
        }
    }

    /// The numbers this fact refers to, each of which the subject must already hold.
    var requiredReferences: [Reference] {
        switch self {
        case .penaltyPerformed(let p): return [Reference(field: "body.decisionNo", key: .init(kind: .decision, text: p.decisionNo.text))]
        case .penaltyRevoked(let p): return [Reference(field: "body.decisionNo", key: .init(kind: .decision, text: p.decisionNo.text))]
        case .commitmentFulfilled(let c): return [Reference(field: "body.commitmentNo", key: .init(kind: .commitment, text: c.commitmentNo.text))]
        case .commitmentBreached(let c): return [Reference(field: "body.commitmentNo", key: .init(kind: .commitment, text: c.commitmentNo.text))]
        case .listExited(let l): return [Reference(field: "body.listNo", key: .init(kind: .list, text: l.listNo.text))]
        case .repairDecided(let r): return [Reference(field: "body.repairNo", key: .init(kind: .repair, text: r.repairNo.text))]
        case .repairAccepted(let r): return [Reference(field: "body.repairNo", key: .init(kind: .repair, text: r.repairNo.text))]
        case .objectionAccepted(let o): return [Reference(field: "body.objectionNo", key: .init(kind: .objection, text: o.objectionNo.text))]
        case .objectionResolved(let o): return [Reference(field: "body.objectionNo", key: .init(kind: .objection, text: o.objectionNo.text))]
        case .repairApplied(let r):
            var references: [Reference]
            switch r.target {
            case .decision(let d): references = [Reference(field: "body.target.decisionNo", key: .init(kind: .decision, text: d.text))]
            case .list(let l): references = [Reference(field: "body.target.listNo", key: .init(kind: .list, text: l.text))]
            case .commitment(let c): references = [Reference(field: "body.target.commitmentNo", key: .init(kind: .commitment, text: c.text))]
            }
            if let commitment = r.commitmentNo {
                references.append(Reference(field: "body.commitmentNo", key: .init(kind: .commitment, text: commitment.text)))
            }
            return references
        case .objectionRaised(let o):
            switch o.target {
            case .decision(let d): return [Reference(field: "body.target.decisionNo", key: .init(kind: .decision, text: d.text))]
            case .list(let l): return [Reference(field: "body.target.listNo", key: .init(kind: .list, text: l.text))]
            case .commitment(let c): return [Reference(field: "body.target.commitmentNo", key: .init(kind: .commitment, text: c.text))]
            }
        default: return []
        }
    }
}
