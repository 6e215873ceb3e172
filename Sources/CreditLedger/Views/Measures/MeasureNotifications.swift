import CreditFacts
import LedgerStorage

/// A person a notified measure reaches through the organisation's record.
public struct ReachedPerson: Sendable, Hashable, Comparable {
    /// The person.
    public var person: CitizenIdentityNumber
    /// The role through which.
    public var role: Role
    /// Why the person is linked.
    public var basis: LinkBasis

    /// Orders by person, role and basis.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.person, lhs.role.rawValue, lhs.basis.rawValue) < (rhs.person, rhs.role.rawValue, rhs.basis.rawValue)
    }
}

/// A push to an implementing department (发起 → 推送): a fact started a trigger of a measure the
/// department implements, for this subject, from this date.
public struct MeasureNotification: Sendable, Hashable, Comparable {
    /// The department code (`FY`), as it ends the department's fact sources.
    public var body: String
    /// The measure.
    public var measureId: MeasureID
    /// The subject whose record or grade triggered it.
    public var subject: SubjectCode
    /// The trigger.
    public var trigger: MeasureTriggerHit
    /// The first day the measure applies (the end of a listing's grace period, else the record's
    /// date; for a grade, the date of the fact that moved it).
    public var effective: LegalDate
    /// Whether the measure reaches the subject itself.
    public var reachesSubject: Bool
    /// The persons it reaches through the subject's record on that day (penetration), sorted.
    public var persons: [ReachedPerson]
    /// The log position of the fact that caused the notification (a subscriber's checkpoint).
    public var position: Position

    /// Orders by position, body, measure and trigger reference.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.position, lhs.body, lhs.measureId, lhs.trigger.ref) < (rhs.position, rhs.body, rhs.measureId, rhs.trigger.ref)
    }
}

/// Works out the notifications a fact causes (发起): a list entry, a penalty or a commitment breach
/// that starts a measure's trigger, and a fact that moves a subject's grade into levels a measure
/// triggers on. Pure: given views without and with the fact (of at least the fact's subject).
public struct MeasureNotifier: Sendable {
    /// The matcher whose trigger logic decides.
    public let matcher: Matcher

    /// Creates a notifier.
    public init(matcher: Matcher) { self.matcher = matcher }

    /// Whether `fact` can cause a notification under this catalogue (the others need no views).
    public func mayNotify(_ fact: Fact) -> Bool {
        switch fact.body {
        case .listEntered, .penaltyDecided, .commitmentBreached, .honourGranted, .evaluationPublished: return true
        case .subjectRegistered, .subjectDeregistered, .roleAssigned, .roleEnded, .licenceGranted, .actRecorded,
             .commitmentMade, .repairApplied, .repairAccepted, .objectionRaised, .objectionAccepted, .measureApplied:
            return false
        default:
            return matcher.catalogue.index.scenes[CatalogueIndex.everyScene].needs.grade
        }
    }

    /// The notifications `recorded` causes, one per implementing body of each measure it starts,
    /// sorted. `before` holds the views without the fact, `after` with it.
    /// - Throws: ``LedgerError/unknownView(_:)`` when either set lacks a status view.
    public func notifications(for recorded: RecordedFact, before: ViewSet, after: ViewSet) throws(LedgerError) -> [MeasureNotification] {
        notifications(for: recorded, previousLevel: previousLevel(of: recorded.fact, views: try StatusViews(before)),
                      after: try StatusViews(after))
    }

    /// Applies `recorded` to `views` (views a subscriber keeps up to date) and returns the
    /// notifications it causes: the grade before is read before the fact is applied, so no copy
    /// of the views is made.
    /// - Throws: ``LedgerError/unknownView(_:)`` when `views` lacks a status view.
    public func advance(_ views: inout ViewSet, with recorded: RecordedFact) throws(LedgerError) -> [MeasureNotification] {
        let previous = previousLevel(of: recorded.fact, views: try StatusViews(views))
        views.apply(recorded)
        return notifications(for: recorded, previousLevel: previous, after: try StatusViews(views))
    }

    /// The view types a subscriber's views need (the matcher's and the grader's).
    public static var viewTypes: [any Projector.Type] { StatusViews.types }

    /// The subject's level before `fact`, when the fact can move a grade a measure triggers on.
    private func previousLevel(of fact: Fact, views: StatusViews) -> GradeLevel? {
        guard mayNotify(fact), matcher.catalogue.index.scenes[CatalogueIndex.everyScene].needs.grade else { return nil }
        return matcher.grader.level(standing(of: fact.subject, asOf: fact.effective, views: views))
    }

    private func standing(of subject: SubjectCode, asOf date: LegalDate, views: StatusViews) -> Standing {
        Standing(of: subject, asOf: date, views: views, penetration: matcher.penetration)
    }

    private func notifications(for recorded: RecordedFact, previousLevel: GradeLevel?, after: StatusViews) -> [MeasureNotification] {
        let fact = recorded.fact
        var result: [MeasureNotification] = []
        if let day = Self.startDate(of: fact) {
            let key = fact.ref
            recordHits(of: fact.subject, asOf: day, views: after) { measure, hit in
                guard hit.fact == key, hit.since == day else { return }
                notify(measure, hit, subject: fact.subject, position: recorded.position, views: after, into: &result)
            }
        }
        if let previousLevel {
            for match in matcher.matchEveryScene(standing(of: fact.subject, asOf: fact.effective, views: after))
            where match.via == nil && match.trigger.kind == .grade && !Self.levels(of: match.measure).contains(previousLevel) {
                notify(match.measure, match.trigger, subject: fact.subject, position: recorded.position, views: after, into: &result)
            }
        }
        return result.sorted()
    }

    /// The day a record fact can start a trigger: a listing's publication (after its grace period),
    /// a penalty's decision, a breach, an honour's grant, an evaluation's publication; nil for
    /// other facts.
    static func startDate(of fact: Fact) -> LegalDate? {
        switch fact.body {
        case .listEntered(let entry): max(fact.effective, entry.publishFrom ?? fact.effective)
        case .penaltyDecided, .commitmentBreached, .honourGranted, .evaluationPublished: fact.effective
        default: nil
        }
    }

    /// Every measure's hits on the subject's own records that day, whether the measure reaches the
    /// subject, persons in linked roles, or both.
    private func recordHits(of subject: SubjectCode, asOf date: LegalDate, views: StatusViews, _ body: (Measure, MeasureTriggerHit) -> Void) {
        let scene = matcher.catalogue.index.scenes[CatalogueIndex.everyScene]
        let own = Standing(of: subject, asOf: date, views: views, penetration: matcher.penetration, withOrganisations: false)
        var noGrade: LazyGrade? = nil
        matcher.ownHits(own, scene, &noGrade, where: { _ in true }, body)
    }

    private func notify(_ measure: Measure, _ hit: MeasureTriggerHit, subject: SubjectCode, position: Position, views: StatusViews,
                        into result: inout [MeasureNotification]) {
        let persons = measure.reaches.roles.isEmpty ? [] : reachedPersons(measure, hit, subject: subject, views: views)
        guard measure.reaches.subject || !persons.isEmpty else { return }
        for body in measure.implementingBodies {
            result.append(MeasureNotification(body: body.code, measureId: measure.id, subject: subject, trigger: hit,
                                              effective: hit.since, reachesSubject: measure.reaches.subject, persons: persons,
                                              position: position))
        }
    }

    /// The persons penetration links to the record behind `hit` on its start day, in roles the
    /// measure reaches.
    private func reachedPersons(_ measure: Measure, _ hit: MeasureTriggerHit, subject: SubjectCode, views: StatusViews) -> [ReachedPerson] {
        let penetration = matcher.penetration
        guard let record = penetration.records(of: subject, asOf: hit.since, views: views)
            .first(where: { $0.ref == hit.ref && hit.kind.matches($0.kind) }) else { return [] }
        return penetration.links(of: record, asOf: hit.since, views: views)
            .filter { $0.reaches(measure, through: hit) }
            .map { ReachedPerson(person: $0.person, role: $0.role, basis: $0.basis) }
            .sorted()
    }

    private static func levels(of measure: Measure) -> [GradeLevel] {
        measure.triggers.flatMap { trigger -> [GradeLevel] in
            if case .grade(let levels) = trigger { levels } else { [] }
        }
    }
}
