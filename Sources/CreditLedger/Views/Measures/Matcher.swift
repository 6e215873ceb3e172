import CreditFacts

/// Matches a catalogue's measures to a subject in a scene on a date (联合奖惩: which measures apply,
/// and why). A measure is matched only through a trigger its catalogue entry declares (于法有据),
/// judged on the subject's ``Standing``; a person is also reached through an organisation's record
/// when penetration links them in a role the measure reaches. Pure queries over a standing;
/// ``Ledger/match(_:scene:asOf:knownAt:catalogue:model:)`` wraps them with the time axes.
///
/// The hot path: per-scene measure lists are precomputed in the catalogue, each record is judged
/// once (in the standing), and results carry the records' own strings (no string is built).
public struct Matcher: Sendable {
    /// The catalogue matched.
    public let catalogue: MeasureCatalogue
    /// The rules the status views judge by.
    public let context: ViewContext
    /// Grades for `grade` triggers.
    let grader: Grader
    /// Links from organisations' records to persons (the policy a standing is read under).
    let penetration: Penetration

    /// Creates a matcher of `catalogue` under the ledger's rules, grading with `model`.
    public init(catalogue: MeasureCatalogue, context: ViewContext, model: GradingModel,
                penetration policy: PenetrationPolicy = .standard) {
        self.catalogue = catalogue
        self.context = context
        grader = Grader(model: model, context: context)
        penetration = Penetration(policy: policy, context: context)
    }

    /// The measures that apply to the subject whose standing this is, in `scene` on the standing's
    /// date, each with its trigger and, for a person reached through an organisation, the
    /// organisation and role. Sorted by measure id, then trigger reference.
    public func match(_ standing: Standing, scene: MeasureScene) -> [MeasureMatch] {
        matches(standing, slot: scene.position)
    }

    /// The matches of every measure of the catalogue, whatever its scene (for notifications,
    /// feedback and the subject document, which are per measure). `grade`, when the caller has
    /// graded the standing already with this matcher's model, is not computed again.
    public func matchEveryScene(_ standing: Standing, grade: Grade? = nil) -> [MeasureMatch] {
        matches(standing, slot: CatalogueIndex.everyScene, grade: grade)
    }

    func matches(_ standing: Standing, slot: Int, grade known: Grade? = nil) -> [MeasureMatch] {
        let scene = catalogue.index.scenes[slot]
        guard !scene.measures.isEmpty else { return [] }
        var result: [MeasureMatch] = []
        var grade: LazyGrade? = LazyGrade(known)
        ownHits(standing, scene, &grade, where: { $0.reaches.subject }) { measure, hit in
            result.append(MeasureMatch(measure: measure, trigger: hit, via: nil))
        }
        if standing.subject.isPerson, scene.needs.roles {
            reachThroughOrganisations(standing, scene: scene, into: &result)
        }
        if result.count > 1 { result.sort() }
        return result
    }

    /// Calls `body` with each hit of the measures of `scene` (those `included`) whose triggers hold
    /// for the standing's own records or grade: the measure in force, of the subject's kind,
    /// within its `maxYears`, and not withheld by an `unless` condition. Grade triggers count only
    /// when `grade` is given (an organisation's record reaches persons, its grade does not).
    func ownHits(_ standing: Standing, _ scene: CatalogueIndex.Scene, _ grade: inout LazyGrade?,
                 where included: (Measure) -> Bool, _ body: (Measure, MeasureTriggerHit) -> Void) {
        let kind: MeasureSubjectKind = standing.subject.isPerson ? .person : .organisation
        var hits: [MeasureTriggerHit] = []
        for index in scene.measures {
            let measure = catalogue.measures[index]
            guard included(measure), measure.subjectKinds.contains(kind), measure.inForce.contains(standing.asOf) else { continue }
            hits.removeAll(keepingCapacity: true)
            collect(measure, standing, &grade, into: &hits)
            guard !hits.isEmpty, !withheld(measure, standing, &grade) else { continue }
            for hit in hits { body(measure, hit) }
        }
    }

    /// The hits of `measure`'s triggers for a standing, within the measure's `maxYears`.
    private func collect(_ measure: Measure, _ standing: Standing, _ grade: inout LazyGrade?, into hits: inout [MeasureTriggerHit]) {
        let date = standing.asOf
        for trigger in measure.triggers {
            if case .grade(let levels) = trigger {
                guard grade != nil, levels.contains(grade!.level(standing, grader)) else { continue }
                let current = grade!.value(standing, grader)
                hits.append(MeasureTriggerHit(kind: .grade, grade: current.level, ref: current.model,
                                              fact: current.reasons.first?.fact, recordDate: date, since: date))
            } else {
                standing.hits(of: trigger, into: &hits)
            }
        }
        if let years = measure.maxYears {
            hits.removeAll { date >= $0.recordDate.adding(months: 12 * years) }
        }
    }

    /// Whether one of the measure's withholding conditions (`unless`) holds.
    private func withheld(_ measure: Measure, _ standing: Standing, _ grade: inout LazyGrade?) -> Bool {
        guard !measure.unless.isEmpty else { return false }
        var hits: [MeasureTriggerHit] = []
        for condition in measure.unless {
            if case .grade(let levels) = condition {
                if let level = grade?.level(standing, grader), levels.contains(level) { return true }
            } else {
                standing.hits(of: condition, publishedOnly: false, into: &hits)
                if !hits.isEmpty { return true }
            }
        }
        return false
    }

    /// The measures that reach a person through the records of organisations penetration links
    /// them to: the organisation's own trigger hits (grace periods, windows and lifting judged as
    /// for the organisation) whose record is the linked one, in a role the measure reaches — a
    /// current holder only when the measure binds the role.
    private func reachThroughOrganisations(_ standing: Standing, scene: CatalogueIndex.Scene, into result: inout [MeasureMatch]) {
        let links = standing.links
        var start = links.startIndex
        var noGrade: LazyGrade? = nil
        while start < links.endIndex {
            // Links are sorted by record, so each organisation's links are consecutive.
            let organisation = links[start].record.organisation
            let end = links[start...].firstIndex { $0.record.organisation != organisation } ?? links.endIndex
            if let own = standing.organisation(organisation) {
                ownHits(own, scene, &noGrade, where: { !$0.reaches.roles.isEmpty }) { measure, hit in
                    for link in links[start..<end] where link.reaches(measure, through: hit) {
                        result.append(MeasureMatch(measure: measure, trigger: hit,
                                                   via: MeasureVia(organisation: organisation, role: link.role, basis: link.basis)))
                    }
                }
            }
            start = end
        }
    }
}

extension PenetrationLink {
    /// Whether this link carries `measure`, triggered by `hit` on the organisation, to its person:
    /// the hit is about the linked record, the role is one the measure reaches, and a current
    /// holder only of a role the measure binds.
    func reaches(_ measure: Measure, through hit: MeasureTriggerHit) -> Bool {
        hit.ref == record.ref && hit.kind.matches(record.kind) && measure.reaches.roles.contains(role)
            && (basis != .currentHolder || measure.reaches.bindsRole)
    }
}

/// A subject's grade, computed at most once per match and only if a trigger asks for it: first
/// the level alone (no reasons, the grading's fast path), then, only for a hit, the reasons that
/// give the trigger its fact.
struct LazyGrade {
    private var level: GradeLevel?
    private var grade: Grade?

    /// Starts from `grade` when it is already known.
    init(_ grade: Grade? = nil) {
        self.grade = grade
        level = grade?.level
    }

    /// The level of the standing's subject on its date.
    mutating func level(_ standing: Standing, _ grader: Grader) -> GradeLevel {
        if let level { return level }
        let computed = grader.level(standing)
        level = computed
        return computed
    }

    /// The grade of the standing's subject on its date, with its reasons.
    mutating func value(_ standing: Standing, _ grader: Grader) -> Grade {
        if let grade { return grade }
        let computed = grader.grade(standing)
        grade = computed
        level = computed.level
        return computed
    }
}

extension MeasureTriggerKind {
    /// Whether a hit of this kind is about a penetration record of `kind`.
    func matches(_ kind: DishonestyRecordKind) -> Bool {
        switch (self, kind) {
        case (.onList, .listEntry), (.penaltyInPublicity, .penalty), (.breachedCommitment, .breachedCommitment): true
        default: false
        }
    }
}
