import CreditFacts

/// What an append judges facts against: a scratch copy of each view with admission rules,
/// seeded with the live state of each subject the append touches and fed the facts of the same
/// append accepted so far, so a red-list entry after a black-list entry in one request is
/// refused like one in two appends.
///
/// The views are kept as what they are, views with rules, with the place of each one's live
/// copy among the ledger's views found once: seeding a subject and judging a fact then ask no
/// view whether it has rules (a protocol conformance looked up at run time, per view and per
/// fact, was a sixth of the serial part of an append under load; perf, `make bench-server`).
struct AdmissionScratch {
    private var views: [any AdmissionRules]
    /// The fact types each view reads.
    private let reads: [FactTypeSet]
    /// Where each view's live copy is in the ledger's ``ViewSet``.
    private let liveIndices: [Int]

    /// Empty copies of the views of `live` that have admission rules.
    init(of live: ViewSet) {
        var views: [any AdmissionRules] = [], reads: [FactTypeSet] = [], liveIndices: [Int] = []
        for (index, view) in live.views.enumerated() {
            guard let rules = view as? any AdmissionRules else { continue }
            views.append(type(of: rules).init())
            reads.append(type(of: rules).factTypes)
            liveIndices.append(index)
        }
        self.views = views
        self.reads = reads
        self.liveIndices = liveIndices
    }

    /// Copies `subject`'s state from the live views (the same ledger's views this scratch was
    /// made of), replacing any of its own.
    mutating func adopt(_ subject: SubjectCode, from live: ViewSet) {
        for index in views.indices {
            var view = views[index]
            // Taken out of the array while it changes: `view` then holds the view's state alone,
            // so adopting one subject changes it in place rather than copying the whole view
            // (which made an import's admission quadratic in the subjects it touched).
            views[index] = type(of: view).init()
            view.adopt(subject, fromAny: live.views[liveIndices[index]])
            views[index] = view
        }
    }

    /// The first view's reason to refuse `fact`, if any.
    func admissionProblem(for fact: Fact, context: ViewContext) -> AdmissionProblem? {
        for view in views {
            if let problem = view.admissionProblem(for: fact, context: context) { return problem }
        }
        return nil
    }

    /// Feeds an accepted fact to every view that reads its type.
    mutating func apply(_ fact: RecordedFact) {
        let type = fact.fact.type
        for index in views.indices where reads[index].contains(type) { views[index].apply(fact) }
    }
}
