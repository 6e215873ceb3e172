import CreditFacts
import LedgerStorage

/// A view: consumes facts in log order and answers queries. Views are plain values that never do
/// I/O, so they are tested by feeding them facts.
///
/// A view keeps the history it needs along valid time (effective dates) so that it can answer
/// "as of" any date; the engine handles transaction time ("known at") by choosing which facts a
/// view instance has seen.
public protocol Projector: Sendable {
    /// A stable name: the view's section in snapshots and digests.
    static var name: String { get }
    /// The version of the code that gives the state its meaning. Change it whenever `apply` or the
    /// encoding changes: snapshots of another version are discarded and the view is rebuilt.
    static var codeVersion: Int { get }

    /// An empty view.
    init()
    /// Takes the next fact in log order.
    mutating func apply(_ fact: RecordedFact)

    /// The whole state, canonically (for snapshots).
    func encodeState(into encoder: inout CanonicalEncoder)
    /// Reads back what `encodeState` wrote.
    init(decodingState decoder: inout CanonicalDecoder) throws(SnapshotError)

    /// What the view shows as of a valid-time date under the ledger's rules, canonically (for
    /// digests).
    func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder)

    /// Whether the view's state is keyed by the fact's subject, so that replay can split the log by
    /// subject, build parts in parallel and `merge` them.
    static var isPartitionedBySubject: Bool { get }
    /// Absorbs a part built from a disjoint set of subjects.
    mutating func merge(_ other: Self)
    /// Prepares for about `facts` more facts (a replay knows how many are coming).
    mutating func reserveCapacity(facts: Int)

    /// Why the ledger must refuse `fact` given what this view holds now, or nil to admit it: a rule
    /// that depends on the ledger's state (a red-list entry for a subject on a dishonesty list …).
    /// Called at append, for each fact, before anything of the append is written.
    func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem?

    /// Whether the view's admission rules are judged on a scratch copy: an append keeps scratch
    /// copies of these views, for the subjects it touches, so that each fact is judged after the
    /// facts before it in the same append or import (a red-list entry after a black-list entry in
    /// one file is refused like one in two appends). Such views implement ``adopt(_:from:)``.
    /// Views that leave it false are judged on their live state, before the append.
    static var hasAdmissionRules: Bool { get }
    /// Takes `subject`'s state from `live` (the scratch copy's seed), replacing any of its own.
    mutating func adopt(_ subject: SubjectCode, from live: Self)
}

/// The rules views judge facts by: the rule regimes (publicity periods, list periods, repair …) and
/// the working-day calendar. Data, not code: a district overrides the regimes with its own file.
/// Views keep facts in their state and apply these rules when asked, so a change of rules never
/// invalidates a snapshot.
public struct ViewContext: Sendable {
    /// The rule regimes, by effective date.
    public var rules: RuleBook
    /// Working days (法定节假日 and 调休).
    public var calendar: WorkingDayCalendar

    /// Creates a context.
    public init(rules: RuleBook, calendar: WorkingDayCalendar) {
        self.rules = rules
        self.calendar = calendar
    }

    /// The national rules and calendar bundled with CreditFacts.
    public static func national() throws -> ViewContext {
        ViewContext(rules: try RuleBook.national(), calendar: try WorkingDayCalendar.chinaMainland())
    }
}

/// A view's reason to refuse a fact at append.
public struct AdmissionProblem: Sendable, Hashable {
    /// The field at fault, e.g. `body.list`.
    public var field: String
    /// A reason class for counting refusals, e.g. `redListConflict`.
    public var kind: String
    /// What is wrong, in words.
    public var reason: String

    /// Creates a problem.
    public init(field: String, kind: String, reason: String) {
        self.field = field
        self.kind = kind
        self.reason = reason
    }
}

extension Projector {
    /// Views are not split unless they say so.
    public static var isPartitionedBySubject: Bool { false }
    /// Most views need no preparation.
    public mutating func reserveCapacity(facts: Int) {}

    /// Most views admit every fact.
    public func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem? { nil }
    /// Most views have no admission rules.
    public static var hasAdmissionRules: Bool { false }
    /// Views without admission rules need no scratch copies.
    public mutating func adopt(_ subject: SubjectCode, from live: Self) {
        preconditionFailure("\(Self.name) has admission rules but cannot adopt a subject's state")
    }

    /// Only partitioned views are merged.
    public mutating func merge(_ other: Self) {
        preconditionFailure("\(Self.name) is not partitioned by subject and cannot be merged")
    }
}

/// The views a ledger runs, fed together.
public struct ViewSet: Sendable {
    /// The views, in registration order (names are unique).
    public private(set) var views: [any Projector]

    /// A set of empty views of the given types.
    public init(_ types: [any Projector.Type]) {
        views = types.map { $0.init() }
        precondition(Set(types.map { $0.name }).count == types.count, "view names must be unique")
    }

    mutating func replaceViews(_ restored: [any Projector]) { views = restored }

    /// The view types, in order.
    public var types: [any Projector.Type] { views.map { type(of: $0) } }

    /// Feeds one fact to every view.
    public mutating func apply(_ fact: RecordedFact) {
        for index in views.indices { views[index].apply(fact) }
    }

    /// Prepares every view for about `facts` more facts.
    mutating func reserveCapacity(facts: Int) {
        for index in views.indices { views[index].reserveCapacity(facts: facts) }
    }

    /// The first view's reason to refuse `fact`, if any.
    func admissionProblem(for fact: Fact, context: ViewContext, skippingScratchTypes: Bool = false) -> AdmissionProblem? {
        for view in views where !(skippingScratchTypes && type(of: view).hasAdmissionRules) {
            if let problem = view.admissionProblem(for: fact, context: context) { return problem }
        }
        return nil
    }

    /// Empty views of the types with admission rules: the scratch an append judges facts against.
    func admissionScratch() -> ViewSet {
        ViewSet(types.filter { $0.hasAdmissionRules })
    }

    /// Copies `subject`'s state from the views of `live` into the views of the same types here.
    mutating func adopt(_ subject: SubjectCode, from live: ViewSet) {
        for index in views.indices {
            guard let source = live.views.first(where: { type(of: $0) == type(of: views[index]) }) else { continue }
            views[index] = Self.adopted(views[index], subject, source)
        }
    }

    private static func adopted<V: Projector>(_ scratch: V, _ subject: SubjectCode, _ live: any Projector) -> any Projector {
        var result = scratch
        result.adopt(subject, from: live as! V)
        return result
    }

    /// The view of type `V`.
    public func view<V: Projector>(_ type: V.Type) -> V? {
        for view in views { if let match = view as? V { return match } }
        return nil
    }

    /// Replaces the views with those of `other` that were built from disjoint subjects, merged in.
    mutating func merge(_ other: ViewSet) {
        for index in views.indices {
            views[index] = Self.merged(views[index], other.views[index])
        }
    }

    private static func merged<V: Projector>(_ left: V, _ right: any Projector) -> any Projector {
        var result = left
        result.merge(right as! V)
        return result
    }
}
