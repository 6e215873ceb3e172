import CreditFacts

/// Matches a catalogue's measures to a subject in a scene on a date (联合奖惩: which measures apply,
/// and why). A measure is matched only through a trigger its catalogue entry declares (于法有据),
/// judged on the status views as of the date; a person is also reached through an organisation's
/// record when penetration links them in a role the measure reaches. Pure queries over a
/// ``ViewSet``; ``Ledger/match(_:scene:asOf:knownAt:catalogue:model:)`` wraps them with the time
/// axes.
///
/// The hot path: per-scene measure lists and the evidence they need are precomputed in the
/// catalogue, each view and each record is read once per match, and results carry the records'
/// own strings (no string is built).
public struct Matcher: Sendable {
    /// The catalogue matched.
    public let catalogue: MeasureCatalogue
    /// The rules the status views judge by.
    public let context: ViewContext
    /// Grades for `grade` triggers.
    let grader: Grader
    /// Links from organisations' records to persons.
    let penetration: Penetration

    /// Creates a matcher of `catalogue` under the ledger's rules, grading with `model`.
    public init(catalogue: MeasureCatalogue, context: ViewContext, model: GradingModel,
                penetration policy: PenetrationPolicy = .standard) {
        self.catalogue = catalogue
        self.context = context
        grader = Grader(model: model, context: context)
        penetration = Penetration(policy: policy, context: context)
    }

    /// The measures that apply to `subject` in `scene` on `date`, each with its trigger and, for a
    /// person reached through an organisation, the organisation and role. Sorted by measure id,
    /// then trigger reference.
    public func match(_ subject: SubjectCode, scene: MeasureScene, asOf date: LegalDate, views: ViewSet) -> [MeasureMatch] {
        matches(subject, slot: scene.position, asOf: date, views: views)
    }

    /// The matches of every measure of the catalogue, whatever its scene (for notifications and
    /// feedback, which are per measure).
    public func matchEveryScene(_ subject: SubjectCode, asOf date: LegalDate, views: ViewSet) -> [MeasureMatch] {
        matches(subject, slot: CatalogueIndex.everyScene, asOf: date, views: views)
    }

    func matches(_ subject: SubjectCode, slot: Int, asOf date: LegalDate, views: ViewSet) -> [MeasureMatch] {
        let scene = catalogue.index.scenes[slot]
        guard !scene.measures.isEmpty else { return [] }
        let sources = MatchViews(views)
        var result: [MeasureMatch] = []
        var grade: LazyGrade? = LazyGrade()
        let evidence = MatchEvidence(subject, asOf: date, needs: scene.needs, views: sources, context: context)
        ownHits(subject, scene, date, evidence, views, &grade, where: { $0.reaches.subject }) { measure, hit in
            result.append(MeasureMatch(measure: measure, trigger: hit, via: nil))
        }
        if case .person(let person) = subject, scene.needs.roles {
            reachThroughOrganisations(person, scene: scene, asOf: date, views: views, sources: sources, into: &result)
        }
        if result.count > 1 { result.sort() }
        return result
    }

    /// Calls `body` with each hit of the measures of `scene` (those `included`) whose triggers hold
    /// for `subject`'s own records or grade on `date`: the measure in force, of the subject's kind,
    /// within its `maxYears`, and not withheld by an `unless` condition. Grade triggers count only
    /// when `grade` is given (an organisation's record reaches persons, its grade does not).
    func ownHits(_ subject: SubjectCode, _ scene: CatalogueIndex.Scene, _ date: LegalDate, _ evidence: MatchEvidence,
                 _ views: ViewSet, _ grade: inout LazyGrade?, where included: (Measure) -> Bool,
                 _ body: (Measure, MeasureTriggerHit) -> Void) {
        let kind: MeasureSubjectKind = subject.isPerson ? .person : .organisation
        var hits: [MeasureTriggerHit] = []
        for index in scene.measures {
            let measure = catalogue.measures[index]
            guard included(measure), measure.subjectKinds.contains(kind), measure.inForce.contains(date) else { continue }
            hits.removeAll(keepingCapacity: true)
            collect(measure, subject, date, evidence, views, &grade, into: &hits)
            guard !hits.isEmpty, !withheld(measure, subject, date, evidence, views, &grade) else { continue }
            for hit in hits { body(measure, hit) }
        }
    }

    /// The hits of `measure`'s triggers for a subject, within the measure's `maxYears`.
    private func collect(_ measure: Measure, _ subject: SubjectCode, _ date: LegalDate, _ evidence: MatchEvidence,
                         _ views: ViewSet, _ grade: inout LazyGrade?, into hits: inout [MeasureTriggerHit]) {
        for trigger in measure.triggers {
            if case .grade(let levels) = trigger {
                guard grade != nil, levels.contains(grade!.level(subject, date, views, grader)) else { continue }
                let current = grade!.value(subject, date, views, grader)
                hits.append(MeasureTriggerHit(kind: .grade, grade: current.level, ref: current.model,
                                              fact: current.reasons.first?.fact ?? "", recordDate: date, since: date))
            } else {
                evidence.hits(of: trigger, asOf: date, into: &hits)
            }
        }
        if let years = measure.maxYears {
            hits.removeAll { date >= $0.recordDate.adding(months: 12 * years) }
        }
    }

    /// Whether one of the measure's withholding conditions (`unless`) holds.
    private func withheld(_ measure: Measure, _ subject: SubjectCode, _ date: LegalDate, _ evidence: MatchEvidence,
                          _ views: ViewSet, _ grade: inout LazyGrade?) -> Bool {
        guard !measure.unless.isEmpty else { return false }
        var hits: [MeasureTriggerHit] = []
        for condition in measure.unless {
            if case .grade(let levels) = condition {
                if let level = grade?.level(subject, date, views, grader), levels.contains(level) { return true }
            } else {
                evidence.hits(of: condition, asOf: date, into: &hits)
                if !hits.isEmpty { return true }
            }
        }
        return false
    }

    /// The measures that reach `person` through the records of organisations penetration links
    /// them to: the organisation's own trigger hits (grace periods, windows and lifting judged as
    /// for the organisation) whose record is the linked one, in a role the measure reaches — a
    /// current holder only when the measure binds the role.
    private func reachThroughOrganisations(_ person: CitizenIdentityNumber, scene: CatalogueIndex.Scene, asOf date: LegalDate,
                                           views: ViewSet, sources: MatchViews, into result: inout [MeasureMatch]) {
        let links = penetration.linkedRecords(of: person, asOf: date, views: views)
        var start = links.startIndex
        var noGrade: LazyGrade? = nil
        while start < links.endIndex {
            // Links are sorted by record, so each organisation's links are consecutive.
            let organisation = links[start].record.organisation
            let end = links[start...].firstIndex { $0.record.organisation != organisation } ?? links.endIndex
            let evidence = MatchEvidence(organisation, asOf: date, needs: scene.needs, views: sources, context: context)
            ownHits(organisation, scene, date, evidence, views, &noGrade, where: { !$0.reaches.roles.isEmpty }) { measure, hit in
                for link in links[start..<end] where link.reaches(measure, through: hit) {
                    result.append(MeasureMatch(measure: measure, trigger: hit,
                                               via: MeasureVia(organisation: organisation, role: link.role, basis: link.basis)))
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

    /// The level of `subject` on `date`.
    mutating func level(_ subject: SubjectCode, _ date: LegalDate, _ views: ViewSet, _ grader: Grader) -> GradeLevel {
        if let level { return level }
        var records = SubjectRecords()
        var none: [GradeReason] = []
        let (computed, _) = grader.evaluate(subject, asOf: date, sources: GradingSources(views), records: &records,
                                            reasons: &none, collecting: false)
        level = computed
        return computed
    }

    /// The grade of `subject` on `date`, with its reasons.
    mutating func value(_ subject: SubjectCode, _ date: LegalDate, _ views: ViewSet, _ grader: Grader) -> Grade {
        if let grade { return grade }
        let computed = grader.grade(subject, asOf: date, views: views)
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
