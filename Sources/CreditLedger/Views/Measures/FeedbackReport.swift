import CreditFacts

/// One `measure.applied` fact as a case of the report (典型案例).
public struct FeedbackCase: Sendable, Hashable, Comparable {
    /// The subject the measure was applied to.
    public var subject: SubjectCode
    /// The date of the feedback.
    public var date: LegalDate
    /// The scene.
    public var scene: MeasureScene
    /// Applied, not applicable, or waived.
    public var outcome: MeasureOutcome
    /// The case reference the department gave.
    public var caseRef: String
    /// The `measure.applied` fact.
    public var fact: FactRef

    /// Cases sort by date, case reference, subject and fact.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.date, lhs.caseRef, lhs.subject, lhs.fact) < (rhs.date, rhs.caseRef, rhs.subject, rhs.fact)
    }
}

/// What one department did with one measure in a period (执行反馈).
public struct FeedbackRow: Sendable, Hashable {
    /// The measure.
    public var measureId: MeasureID
    /// The department code (`FY`).
    public var department: String
    /// Whether the catalogue knows the measure (feedback may name a measure a district dropped).
    public var knownMeasure: Bool
    /// Whether the catalogue names the department as an implementing body of the measure.
    public var implementingBody: Bool
    /// Cases whose trigger for the measure started in the period (a list entry published, a
    /// penalty decided, a commitment breached, a grade reached), counted for each implementing
    /// body; 0 for a department that is not one.
    public var triggered: Int
    /// Of those, the cases the department answered: a `measure.applied` about the same subject for
    /// the measure, dated from the record's date to the end of the period.
    public var answered: Int
    /// `measure.applied` facts from the department for the measure dated in the period.
    public var feedback: Int
    /// Of those, by outcome.
    public var applied: Int, notApplicable: Int, waived: Int
    /// The cases with a case reference (典型案例), sorted.
    public var cases: [FeedbackCase]

    /// answered / triggered; nil when nothing was triggered.
    public var feedbackRate: Double? { triggered == 0 ? nil : Double(answered) / Double(triggered) }
}

/// The feedback report of a period: per measure and department, triggered cases, feedback
/// received, the feedback rate and the cases.
public struct FeedbackReport: Sendable, Hashable {
    /// First day of the period.
    public var from: LegalDate
    /// Last day of the period (inclusive).
    public var to: LegalDate
    /// Rows sorted by measure id, then department.
    public var rows: [FeedbackRow]

    /// The row of `measure` and `department`, if any.
    public func row(_ measure: String, _ department: String) -> FeedbackRow? {
        rows.first { $0.measureId.text == measure && $0.department == department }
    }
}

/// A case a measure's trigger started: one record (or grade) of one subject.
struct TriggeredCase: Hashable {
    var measure: Int
    var subject: SubjectCode
    var kind: MeasureTriggerKind
    var ref: String
    var recordDate: LegalDate
}

/// Builds the feedback report from the views.
struct FeedbackReporter {
    let matcher: Matcher

    func report(from: LegalDate, to: LegalDate, views: StatusViews, feedback: MeasureFeedback) -> FeedbackReport {
        let cases = TriggeredCases(matcher: matcher, from: from, to: to, views: views).all()
        var rows: [RowKey: FeedbackRow] = [:]
        let catalogue = matcher.catalogue
        for measure in catalogue.measures {
            for body in measure.implementingBodies {
                rows[RowKey(measure: measure.id, department: body.code)] = FeedbackRow(
                    measureId: measure.id, department: body.code, knownMeasure: true, implementingBody: true, triggered: 0,
                    answered: 0, feedback: 0, applied: 0, notApplicable: 0, waived: 0, cases: [])
            }
        }
        var answers: [AnswerKey: [LegalDate]] = [:]
        for subject in feedback.subjects {
            for item in feedback.feedback(about: subject, asOf: to) {
                let key = RowKey(measure: item.measureId, department: item.department)
                answers[AnswerKey(row: key, subject: subject), default: []].append(item.date)
                guard item.date >= from else { continue }
                count(item, subject: subject, key: key, known: catalogue.measure(item.measureId) != nil, in: &rows)
            }
        }
        for triggered in cases {
            let measure = catalogue.measures[triggered.measure]
            for body in measure.implementingBodies {
                let key = RowKey(measure: measure.id, department: body.code)
                rows[key]!.triggered += 1
                let dates = answers[AnswerKey(row: key, subject: triggered.subject)] ?? []
                if dates.contains(where: { $0 >= triggered.recordDate }) { rows[key]!.answered += 1 }
            }
        }
        let sorted = rows.values.map { row -> FeedbackRow in
            var row = row
            row.cases.sort()
            return row
        }.sorted { ($0.measureId, $0.department) < ($1.measureId, $1.department) }
        return FeedbackReport(from: from, to: to, rows: sorted)
    }

    private func count(_ item: MeasureFeedback.Applied, subject: SubjectCode, key: RowKey, known: Bool,
                       in rows: inout [RowKey: FeedbackRow]) {
        if rows[key] == nil {
            rows[key] = FeedbackRow(measureId: key.measure, department: key.department, knownMeasure: known, implementingBody: false,
                                    triggered: 0, answered: 0, feedback: 0, applied: 0, notApplicable: 0, waived: 0, cases: [])
        }
        rows[key]!.feedback += 1
        switch item.outcome {
        case .applied: rows[key]!.applied += 1
        case .notApplicable: rows[key]!.notApplicable += 1
        case .waived: rows[key]!.waived += 1
        }
        if let ref = item.caseRef {
            rows[key]!.cases.append(FeedbackCase(subject: subject, date: item.date, scene: item.scene, outcome: item.outcome,
                                                 caseRef: ref, fact: item.fact))
        }
    }

    private struct RowKey: Hashable {
        var measure: MeasureID
        var department: String
    }

    private struct AnswerKey: Hashable {
        var row: RowKey
        var subject: SubjectCode
    }
}

/// The cases the catalogue's triggers started in a period, found through the matcher's own
/// trigger logic: each record that can start a trigger (a list entry published or rolled over, a
/// penalty decided, a commitment breached) is judged on its start date, and counts when a
/// measure's trigger holds from that very day; a grade trigger counts a subject whose grade
/// reached one of its levels during the period (not at its start, at its end).
struct TriggeredCases {
    let matcher: Matcher
    let from: LegalDate
    let to: LegalDate
    let views: StatusViews

    func all() -> [TriggeredCase] {
        var found = Set<TriggeredCase>()
        for subject in views.subjectsWithRecords {
            for day in startDates(of: subject) {
                let standing = Standing(of: subject, asOf: day, views: views, penetration: matcher.penetration)
                for match in matcher.matchEveryScene(standing)
                where match.via == nil && match.trigger.kind != .grade && match.trigger.since == day {
                    found.insert(TriggeredCase(measure: matcher.catalogue.index.byID[match.measure.id]!, subject: subject,
                                               kind: match.trigger.kind, ref: match.trigger.ref, recordDate: match.trigger.recordDate))
                }
            }
        }
        found.formUnion(gradeCases())
        return found.sorted { ($0.measure, $0.subject, $0.ref) < ($1.measure, $1.subject, $1.ref) }
    }

    /// The days in the period on which a record of `subject` may start a trigger, sorted.
    private func startDates(of subject: SubjectCode) -> [LegalDate] {
        var days = Set<LegalDate>()
        let context = matcher.context
        for record in views.lists.records(of: subject) {
            days.insert(max(record.entered, record.publishFrom ?? record.entered))
            if let rollover = record.rollover(context) { days.insert(rollover) }
        }
        for record in views.publicity.records(of: subject) { days.insert(record.decided) }
        for record in views.commitments.entry(subject)?.commitments ?? [] {
            if let breached = record.breached { days.insert(breached) }
        }
        return days.filter { $0 >= from && $0 <= to }.sorted()
    }

    /// Subjects whose grade is in a grade trigger's levels at the end of the period but was not
    /// the day before it began.
    private func gradeCases() -> Set<TriggeredCase> {
        let graded = matcher.catalogue.measures.enumerated().compactMap { index, measure -> (Int, [GradeLevel])? in
            let levels = measure.triggers.flatMap { trigger -> [GradeLevel] in
                if case .grade(let levels) = trigger { levels } else { [] }
            }
            return levels.isEmpty || !measure.reaches.subject ? nil : (index, levels)
        }
        guard !graded.isEmpty else { return [] }
        // Levels without reasons, on every core (the grading's distribution path).
        let subjects = views.registry.entries.keys.sorted()
        let grader = matcher.grader
        let end = grader.levels(of: subjects, asOf: to, views: views)
        let start = grader.levels(of: subjects, asOf: from.adding(days: -1), views: views)
        var found = Set<TriggeredCase>()
        for (i, subject) in subjects.enumerated() where end[i] != start[i] {
            let (now, before) = (GradeLevel.allCases[Int(end[i])], GradeLevel.allCases[Int(start[i])])
            for (index, levels) in graded where levels.contains(now) && !levels.contains(before) {
                let measure = matcher.catalogue.measures[index]
                guard measure.inForce.contains(to), measure.subjectKinds.contains(subject.isPerson ? .person : .organisation) else { continue }
                found.insert(TriggeredCase(measure: index, subject: subject, kind: .grade, ref: grader.model.id, recordDate: from))
            }
        }
        return found
    }
}
