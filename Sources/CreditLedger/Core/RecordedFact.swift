import CreditFacts
import LedgerStorage

/// A fact as the ledger holds it: where it stands in the log and when the ledger recorded it.
public struct RecordedFact: Sendable, Hashable {
    /// Its position in the log.
    public var position: Position
    /// Transaction time: when the ledger recorded it.
    public var recorded: RecordedTime
    /// The fact (its `recorded` field is this record's recorded time).
    public var fact: Fact
    /// A hash of the fact's stored bytes, to tell a duplicate from a conflicting fact.
    var contentHash: UInt64
    /// Its idempotency key when the append already computed it (a SHA-256 the ledger's index
    /// would otherwise compute again); nil when read back from the log. Not part of equality.
    var key: FactKey?

    /// Creates a recorded fact.
    public init(position: Position, recorded: RecordedTime, fact: Fact) {
        self.init(position: position, recorded: recorded, fact: fact, contentHash: 0)
    }

    init(position: Position, recorded: RecordedTime, fact: Fact, contentHash: UInt64, key: FactKey? = nil) {
        self.position = position
        self.recorded = recorded
        self.fact = fact
        self.contentHash = contentHash
        self.key = key
    }

    public static func == (lhs: RecordedFact, rhs: RecordedFact) -> Bool {
        lhs.position == rhs.position && lhs.recorded == rhs.recorded && lhs.contentHash == rhs.contentHash && lhs.fact == rhs.fact
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(position)
        hasher.combine(recorded)
        hasher.combine(fact)
        hasher.combine(contentHash)
    }
}

/// What happened to one fact of an append.
public enum FactReceipt: Sendable, Hashable {
    /// Appended at this position and recorded time.
    case appended(position: Position, recorded: RecordedTime)
    /// An identical copy of a fact the ledger already holds (重复报送): not appended again.
    case duplicate(of: Position)
}

/// Why one fact of an append was refused.
public struct Refusal: Sendable, Hashable, CustomStringConvertible {
    /// The fact's index in the append call.
    public var index: Int
    /// The fact refused.
    public var fact: FactRef
    /// The field at fault.
    public var field: String
    /// The reason class, for counting refusals by reason.
    public var kind: RefusalKind
    /// What is wrong, in words.
    public var reason: String

    /// Creates a refusal.
    public init(index: Int, fact: FactRef, field: String, kind: RefusalKind, reason: String) {
        self.index = index
        self.fact = fact
        self.field = field
        self.kind = kind
        self.reason = reason
    }

    /// `fact INDEX (SOURCE/ID): FIELD: REASON`.
    public var description: String { "fact \(index) (\(fact)): \(field): \(reason)" }
}

/// Why the ledger refuses a fact, as counted in the data-quality report (by ``description``).
public enum RefusalKind: Sendable, Hashable, CustomStringConvertible {
    /// The fact breaks a rule of its own fields (a fine without `fineYuan` …).
    case invalid(FactError.Kind)
    /// The ledger holds a different fact under the same `(source, id)`.
    case conflict
    /// The fact refers to a number (decision, list entry …) the subject does not hold.
    case unknownReference
    /// The number referred to takes effect after the fact.
    case referenceLater
    /// A migrated fact's `recorded` is before the ledger's last recorded time.
    case recordedBackwards
    /// The effective date is later than the date the fact was recorded (a future act).
    case effectiveAfterRecorded
    /// A red-list entry for a subject on a dishonesty list (红黑名单交叉比对).
    case redListConflict
    /// Early removal from the serious-dishonesty list before the regime allows it.
    case earlyRemovalTooSoon
    /// The approval of a repair the regime does not allow.
    case repairNotAllowed
    /// A repair application that cites no repair commitment (信用修复承诺).
    case repairCommitmentRequired
    /// A judgment-defaulter listing whose grace period (宽限期) is outside the regime's range.
    case gracePeriodOutOfRange
    /// A rule of a view defined outside this library, by the name the view gives it.
    case viewRule(String)

    /// The name counted and printed (`conflict`, `invalidValue`, `redListConflict` …).
    public var description: String {
        switch self {
        case .invalid(let kind): kind.rawValue
        case .conflict: "conflict"
        case .unknownReference: "unknownReference"
        case .referenceLater: "referenceLater"
        case .recordedBackwards: "recordedBackwards"
        case .effectiveAfterRecorded: "effectiveAfterRecorded"
        case .redListConflict: "redListConflict"
        case .earlyRemovalTooSoon: "earlyRemovalTooSoon"
        case .repairNotAllowed: "repairNotAllowed"
        case .repairCommitmentRequired: "repairCommitmentRequired"
        case .gracePeriodOutOfRange: "gracePeriodOutOfRange"
        case .viewRule(let name): name
        }
    }
}

/// Everything that can go wrong with a ledger.
public enum LedgerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Facts of an append were refused; nothing of that append was recorded.
    case refused([Refusal])
    /// The log below the ledger failed or is damaged.
    case log(LogError)
    /// A stored record could not be decoded into a fact.
    case undecodable(position: Position, reason: String)
    /// A query names a view the ledger does not run.
    case unknownView(String)
    /// A snapshot could not be written (the facts are safe in the log; the next open replays more).
    case snapshot(String)
    /// The rules the views judge by (the rule regimes or the working-day calendar) cannot be read:
    /// the reason names the file and what is wrong in it.
    case rules(String)
    /// A signed checkpoint could not be written or read (the facts are safe in the log).
    case checkpoint(String)
    /// The ledger's backend does not offer this yet (e.g. Merkle proofs on a PostgreSQL ledger):
    /// the reason names the feature and the ledger. Nothing was changed.
    case unsupported(String)

    public var description: String {
        switch self {
        case .refused(let refusals):
            return "refused \(refusals.count) fact(s), nothing appended:\n" + refusals.map { "  \($0)" }.joined(separator: "\n")
        case .log(let error): return error.description
        case let .undecodable(position, reason): return "record \(position) is not a fact: \(reason)"
        case .unknownView(let name): return "the ledger runs no view \(name)"
        case .snapshot(let reason): return reason
        case .rules(let reason): return "the ledger's rules cannot be read: \(reason)"
        case .checkpoint(let reason): return reason
        case .unsupported(let reason): return reason
        }
    }
}

