import CreditFacts
import Dispatch
import LedgerStorage

/// A view: consumes the facts of the types it reads, in log order, and answers queries. Views are
/// plain values that never do I/O, so they are tested by feeding them facts.
///
/// A view keeps the history it needs along valid time (effective dates) so that it can answer
/// "as of" any date; the engine handles transaction time ("known at") by choosing which facts a
/// view instance has seen.
///
/// This is the whole contract a view must meet. What more it offers, it says by adopting a
/// capability: ``SnapshotState`` (its state is kept in snapshots), ``DigestContent`` (it shows
/// something as of a date, so it takes part in the ledger's digest), ``SubjectPartitioned`` (replay
/// may build it on every core) and ``AdmissionRules`` (it refuses facts at append).
public protocol Projector: Sendable {
    /// A stable name: the view's section in snapshots and digests.
    static var name: String { get }
    /// The version of the code that gives the state its meaning. Change it whenever `apply` or the
    /// encoding changes: snapshots of another version are discarded and the view is rebuilt.
    static var codeVersion: Int { get }
    /// The fact types `apply` reads: replay and appends hand the view no other.
    static var factTypes: FactTypeSet { get }

    /// An empty view.
    init()
    /// Takes the next fact of one of ``factTypes`` in log order.
    mutating func apply(_ fact: RecordedFact)
}

/// A view whose state snapshots keep, so that opening a ledger replays only the facts after the
/// newest snapshot. A ledger writes snapshots only when every view it runs adopts this.
public protocol SnapshotState: Projector {
    /// The whole state, canonically.
    func encodeState(into encoder: inout CanonicalEncoder)
    /// Reads back what `encodeState` wrote.
    init(decodingState decoder: inout CanonicalDecoder) throws(SnapshotError)
}

/// A view that shows something as of a valid-time date: its canonical encoding of that is part of
/// the ledger's digest (in view order, after its name and code version).
public protocol DigestContent: Projector {
    /// What the view shows as of `date` under the ledger's rules, canonically.
    func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder)
}

/// A view whose state is keyed by the fact's subject: replay splits the log by subject, builds a
/// part on each core and merges the parts. A replay uses every core only when every view it
/// builds adopts this.
public protocol SubjectPartitioned: Projector {
    /// Absorbs a part built from a disjoint set of subjects.
    mutating func merge(_ other: Self)
    /// Prepares for about `facts` more facts (a replay knows how many are coming).
    mutating func reserveCapacity(facts: Int)
}

extension SubjectPartitioned {
    /// Most views need no preparation.
    public mutating func reserveCapacity(facts: Int) {}
}

/// A view whose tables the ledger's writer can prepare off the lock queries read the views under,
/// so that applying facts under that lock never has to move a whole table:
///
/// - **Growing ahead.** A table that fills up doubles in the middle of applying a fact, and holds
///   every query up while it moves its entries (the idempotency keys of half a million facts:
///   50–140 ms on a loaded two-core machine). Before each append the writer builds copies of the
///   views whose tables would grow within it, with room made, while queries go on reading the
///   live views, and swaps them in.
/// - **Unsharing after a snapshot.** A background snapshot keeps the views as they were while it
///   writes them; the live views share their tables with it, so the first fact applied to each
///   table would copy it whole, under the lock (about 370 ms of stalled queries at a million
///   facts). The next append copies them first, off the lock.
protocol GrowsAhead: Projector {
    /// Prepares the view's tables for `room`; returns whether any of them moved to new storage.
    mutating func prepareTables(_ room: TableRoom) -> Bool
}

/// What ``GrowsAhead/prepareTables(_:)`` prepares a view's tables for.
enum TableRoom {
    /// Room for this many more facts (each adds at most one entry to a table) without growing.
    case ahead(Int)
    /// Storage of their own: a table shared with a snapshot being written is copied.
    case unshared
}

extension Dictionary {
    /// Prepares the dictionary for `room`: room for that many more entries, at least doubling
    /// (so that growing stays amortised) — looking first, since `reserveCapacity` copies a shared
    /// dictionary even when it has room — or storage of its own. Returns whether it moved.
    mutating func prepare(_ room: TableRoom) -> Bool {
        switch room {
        case .ahead(let more):
            guard count + more > capacity else { return false }
            reserveCapacity(Swift.max(count + more, capacity * 2))
        case .unshared:
            // A shared dictionary is copied at its size; one held only here stays as it is.
            reserveCapacity(capacity)
        }
        return true
    }
}

/// A view with rules that depend on the ledger's state (a red-list entry for a subject on a
/// dishonesty list …). An append judges each fact on a scratch copy of these views, seeded with
/// the live state of the subjects it touches and fed the facts of the same append accepted so far,
/// so a red-list entry after a black-list entry in one file is refused like one in two appends.
public protocol AdmissionRules: Projector {
    /// Why the ledger must refuse `fact` given what this view holds now, or nil to admit it.
    /// Called at append, for each fact, before anything of the append is written.
    func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem?
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
    /// The reason class, for counting refusals.
    public var kind: RefusalKind
    /// What is wrong, in words.
    public var reason: String

    /// Creates a problem.
    public init(field: String, kind: RefusalKind, reason: String) {
        self.field = field
        self.kind = kind
        self.reason = reason
    }
}

/// The views a ledger runs, fed together.
public struct ViewSet: Sendable {
    /// The views, in registration order (names are unique).
    public private(set) var views: [any Projector]
    /// The fact types each view reads, by index: tested per fact instead of asking each view.
    private let reads: [FactTypeSet]
    /// The fact types any view reads.
    let anyReads: FactTypeSet

    /// A set of empty views of the given types.
    public init(_ types: [any Projector.Type]) {
        precondition(Set(types.map { $0.name }).count == types.count, "view names must be unique")
        views = types.map { $0.init() }
        reads = types.map { $0.factTypes }
        anyReads = reads.reduce(FactTypeSet()) { $0.union($1) }
    }

    /// A set of restored views (from a snapshot).
    init(restoring restored: [any Projector]) {
        self.init(restored.map { type(of: $0) })
        views = restored
    }

    /// The view types, in order.
    public var types: [any Projector.Type] { views.map { type(of: $0) } }

    /// Feeds one fact to every view that reads its type.
    public mutating func apply(_ fact: RecordedFact) {
        let type = fact.fact.type
        for index in views.indices where reads[index].contains(type) { views[index].apply(fact) }
    }

    /// Feeds `facts`, in order, to every view that reads their types, on two threads: the
    /// ledger's index (the view with the most work per fact) on one, the other views on the
    /// other. Each view sees the same facts in the same order as with ``apply(_:)``, so its state
    /// is the same.
    mutating func applyOnTwoThreads(_ facts: [RecordedFact]) {
        guard views.count > 1, facts.count > 1 else {
            for fact in facts { apply(fact) }
            return
        }
        let first = views.firstIndex { $0 is LedgerIndex } ?? 0
        let groups = [[first], views.indices.filter { $0 != first }]
        // Each group's views are taken out of the set while they change, so that each is held
        // once and changes in place.
        let work = groups.map { group in
            ViewGroup(ViewSet(restoring: group.map { index -> any Projector in
                let view = views[index]
                views[index] = type(of: view).init()
                return view
            }))
        }
        DispatchQueue.concurrentPerform(iterations: work.count) { group in
            for fact in facts { work[group].views.apply(fact) }
        }
        for (group, indices) in groups.enumerated() {
            for (offset, index) in indices.enumerated() { views[index] = work[group].views.views[offset] }
        }
    }

    /// Prepares every partitioned view for about `facts` more facts.
    mutating func reserveCapacity(facts: Int) {
        for index in views.indices {
            guard var view = views[index] as? any SubjectPartitioned else { continue }
            view.reserveCapacity(facts: facts)
            views[index] = view
        }
    }

    /// The set with the tables of every ``GrowsAhead`` view prepared for `room`; nil when no
    /// table needed it. Holds the same facts as this set.
    func preparingTables(_ room: TableRoom) -> ViewSet? {
        var prepared = self
        var any = false
        for index in views.indices {
            guard var view = views[index] as? any GrowsAhead, view.prepareTables(room) else { continue }
            prepared.views[index] = view
            any = true
        }
        return any ? prepared : nil
    }

    /// Whether every view can be built in parts by subject and merged.
    static func arePartitioned(_ types: [any Projector.Type]) -> Bool {
        types.allSatisfy { $0 is any SubjectPartitioned.Type }
    }

    /// Replaces the views with those of `other` that were built from disjoint subjects, merged in.
    /// Every view must be ``SubjectPartitioned`` (see ``arePartitioned(_:)``).
    mutating func merge(_ other: ViewSet) {
        for index in views.indices {
            var left = views[index] as! any SubjectPartitioned
            // The set lets go of the view while it merges, so `left` holds its state alone and
            // grows in place instead of copying every dictionary first.
            views[index] = type(of: left).init()
            left.merge(any: other.views[index])
            views[index] = left
        }
    }

    /// The view of type `V`.
    public func view<V: Projector>(_ type: V.Type) -> V? {
        for view in views { if let match = view as? V { return match } }
        return nil
    }
}

/// One group of views being fed on its own thread (``ViewSet/applyOnTwoThreads(_:)``): only that
/// thread touches it until the threads are joined.
private final class ViewGroup: @unchecked Sendable {
    var views: ViewSet

    init(_ views: ViewSet) { self.views = views }
}

extension SubjectPartitioned {
    /// ``merge(_:)`` with a part known only as a view of the same type.
    mutating func merge(any other: any Projector) { merge(other as! Self) }
}

extension AdmissionRules {
    /// ``adopt(_:from:)`` with a live view known only as a view of the same type.
    mutating func adopt(_ subject: SubjectCode, fromAny live: any Projector) { adopt(subject, from: live as! Self) }
}
