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

    /// Creates a recorded fact.
    public init(position: Position, recorded: RecordedTime, fact: Fact) {
        self.init(position: position, recorded: recorded, fact: fact, contentHash: 0)
    }

    init(position: Position, recorded: RecordedTime, fact: Fact, contentHash: UInt64) {
        self.position = position
        self.recorded = recorded
        self.fact = fact
        self.contentHash = contentHash
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
    /// The fact's idempotency key, `SOURCE/ID`.
    public var key: String
    /// The field at fault.
    public var field: String
    /// A reason class for counting refusals (e.g. `conflict`, `unknownReference`, `recordedBackwards`).
    public var kind: String
    /// What is wrong, in words.
    public var reason: String

    /// Creates a refusal.
    public init(index: Int, key: String, field: String, kind: String, reason: String) {
        self.index = index
        self.key = key
        self.field = field
        self.kind = kind
        self.reason = reason
    }

    public var description: String { "fact \(index) (\(key)): \(field): \(reason)" }
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

    public var description: String {
        switch self {
        case .refused(let refusals):
            return "refused \(refusals.count) fact(s), nothing appended:\n" + refusals.map { "  \($0)" }.joined(separator: "\n")
        case .log(let error): return error.description
        case let .undecodable(position, reason): return "record \(position) is not a fact: \(reason)"
        case .unknownView(let name): return "the ledger runs no view \(name)"
        case .snapshot(let reason): return reason
        }
    }
}

extension Fact {
    /// The fact's idempotency key as reports and reasons name it: `SOURCE/ID`.
    public var key: String { source.text + "/" + id.text }
}
