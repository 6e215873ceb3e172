import CreditFacts

/// Facts and timeliness of the 双公示 acts in one period: facts, on time, late, not judged.
struct Timeliness: Sendable, Hashable {
    var facts = 0, onTime = 0, late = 0, unjudged = 0

    mutating func add(_ other: Timeliness) {
        facts += other.facts; onTime += other.onTime; late += other.late; unjudged += other.unjudged
    }

    /// factsReported, publicActs, onTimeRate, lateRate.
    func figures(months: Int) -> [IndicatorFigure] {
        let judged = onTime + late
        let none = unjudged > 0
            ? Explanation(.noActJudged, "no act judged ({count} past the holiday calendar)", ["count": .number(unjudged)])
            : Explanation(.noActUnderDeadline, "no act under the publication deadline", [:])
        return [
            IndicatorFigure(.factsReported, .count(facts), months: months),
            IndicatorFigure(.publicActs, .count(onTime + late + unjudged), months: months),
            IndicatorFigure(.onTimeRate, .ratio(onTime, of: judged, none: none), months: months),
            IndicatorFigure(.lateRate, .ratio(late, of: judged, none: none), months: months),
        ]
    }
}

extension DataQuality {
    /// Per source, the facts and timeliness of each period (indexed as `periods`), and the facts of
    /// every source effective on or before each period's last day.
    func timeliness(in periods: [IndicatorPeriod], context: ViewContext)
        -> (bySource: [SourceID: [Timeliness]], factsThrough: [Int]) {
        var bySource: [SourceID: [Timeliness]] = [:]
        var before = 0
        var inPeriod = [Int](repeating: 0, count: periods.count)
        for (source, counts) in sources {
            // Each source's deadline is its channel's.
            var deadlines: [Int32: LegalDate?] = [:]
            var rows = [Timeliness](repeating: Timeliness(), count: periods.count)
            for (key, count) in counts.lags {
                let day = Int32(key >> 9), lag = Int(key & 0xff), n = Int(count)
                let effective = LegalDate(daysSinceEpoch: day)
                guard let index = IndicatorPeriod.index(of: effective, in: periods) else {
                    if let first = periods.first, effective < first.from { before += n }
                    continue
                }
                rows[index].facts += n
                inPeriod[index] += n
                guard key & 0x100 != 0 else { continue }
                let deadline = deadlines[day] ?? Self.deadline(for: effective, source: source, context: context)
                deadlines[day] = deadline
                guard let deadline else { rows[index].unjudged += n; continue }
                if lag < Self.lagCeilingDays, effective.adding(days: lag) <= deadline { rows[index].onTime += n } else {
                    rows[index].late += n
                }
            }
            bySource[source] = rows
        }
        var factsThrough: [Int] = []
        for count in inPeriod {
            before += count
            factsThrough.append(before)
        }
        return (bySource, factsThrough)
    }
}

/// Joint-measure cases (measure.applied) per period, for the district and per source.
struct MeasureCases {
    var district: [Int]
    var bySource: [SourceID: [Int]] = [:]

    init(_ feedback: MeasureFeedback, periods: [IndicatorPeriod]) {
        district = [Int](repeating: 0, count: periods.count)
        for applied in feedback.entries.values.joined() {
            guard let index = IndicatorPeriod.index(of: applied.date, in: periods) else { continue }
            district[index] += 1
            bySource[applied.source, default: [Int](repeating: 0, count: periods.count)][index] += 1
        }
    }
}

/// List entries and exits per period and list kind.
struct ListMovements {
    var entries: [[ListKind: Int]]
    var exits: [[ListKind: Int]]

    init(_ lists: ListRegister, periods: [IndicatorPeriod]) {
        entries = Array(repeating: [:], count: periods.count)
        exits = Array(repeating: [:], count: periods.count)
        for record in lists.records.values.joined() {
            if let index = IndicatorPeriod.index(of: record.entered, in: periods) { entries[index][record.list, default: 0] += 1 }
            for exit in record.exits {
                if let index = IndicatorPeriod.index(of: exit.date, in: periods) { exits[index][record.list, default: 0] += 1 }
            }
        }
    }

    /// `listEntries.KIND` and `listExits.KIND` for every list kind, in vocabulary order (zeros included).
    func figures(_ index: Int) -> [IndicatorFigure] {
        ListKind.allCases.map { IndicatorFigure(.listEntries, key: "listEntries.\($0.rawValue)", .count(entries[index][$0] ?? 0), judged: false) }
            + ListKind.allCases.map { IndicatorFigure(.listExits, key: "listExits.\($0.rawValue)", .count(exits[index][$0] ?? 0)) }
    }
}

/// 告知承诺 and 容缺受理 commitments made, fulfilled and breached, and repairs applied and decided, per period.
struct CommitmentMovements {
    /// Per period: [kind: (made, fulfilled, breached)].
    var commitments: [[CommitmentKind: (made: Int, fulfilled: Int, breached: Int)]]
    var repairs: [(applied: Int, approved: Int, rejected: Int, onTime: Int, judged: Int, unjudged: Int)]
    /// Why the repairs decided on time cannot be judged at all: the regime sets no decision limit.
    var noLimit: Explanation?

    init(_ register: CommitmentRegister, cases: CaseRegister, periods: [IndicatorPeriod], deadlines: CaseDeadlines, calendar: WorkingDayCalendar) {
        commitments = Array(repeating: [:], count: periods.count)
        repairs = Array(repeating: (0, 0, 0, 0, 0, 0), count: periods.count)
        for entry in register.entries.values {
            for record in entry.commitments where record.kind == .approvalSubstitution || record.kind == .missingDocuments {
                if let i = IndicatorPeriod.index(of: record.made, in: periods) { commitments[i][record.kind, default: (0, 0, 0)].made += 1 }
                if let day = record.fulfilled, let i = IndicatorPeriod.index(of: day, in: periods) {
                    commitments[i][record.kind, default: (0, 0, 0)].fulfilled += 1
                }
                if let day = record.breached, let i = IndicatorPeriod.index(of: day, in: periods) {
                    commitments[i][record.kind, default: (0, 0, 0)].breached += 1
                }
            }
        }
        let limit = deadlines.repair.decide
        noLimit = limit == nil
            ? Explanation(.noRepairLimit, "the {regime} regime sets no repair decision limit", ["regime": .text(deadlines.regime)]) : nil
        for subject in cases.subjects {
            for c in cases.cases(of: subject) where c.kind == .repair {
                if let i = IndicatorPeriod.index(of: c.received, in: periods) { repairs[i].applied += 1 }
                guard let decided = c.decided, let outcome = c.outcome, let i = IndicatorPeriod.index(of: decided, in: periods) else { continue }
                if outcome == RepairOutcome.approved.rawValue { repairs[i].approved += 1 } else { repairs[i].rejected += 1 }
                guard let limit else { continue }
                // A limit counted from acceptance cannot be judged for a repair decided without one.
                guard let start = limit.from == .accepted ? c.accepted : c.received,
                      let due = CaseDeadlines.due(start, workingDays: limit.workingDays, calendar: calendar) else {
                    repairs[i].unjudged += 1
                    continue
                }
                repairs[i].judged += 1
                if decided <= due { repairs[i].onTime += 1 }
            }
        }
    }

    /// The commitment and repair figures of period `index`.
    func figures(_ index: Int) -> [IndicatorFigure] {
        var out: [IndicatorFigure] = []
        for (definition, kind) in [(IndicatorID.notificationCommitments, CommitmentKind.approvalSubstitution),
                                   (.missingDocumentsCommitments, .missingDocuments)] {
            let counts = commitments[index][kind] ?? (0, 0, 0)
            out += [IndicatorFigure(definition, key: definition.rawValue + ".made", .count(counts.made), judged: false),
                    IndicatorFigure(definition, key: definition.rawValue + ".fulfilled", .count(counts.fulfilled), judged: false),
                    IndicatorFigure(definition, key: definition.rawValue + ".breached", .count(counts.breached), judged: false)]
        }
        let r = repairs[index]
        let none = r.unjudged > 0
            ? Explanation(.noRepairJudged, "no repair decision judged ({count} past the holiday calendar or without an acceptance)",
                          ["count": .number(r.unjudged)])
            : Explanation(.noRepairDecided, "no repair decided in the period", [:])
        out += [IndicatorFigure(.repairs, key: "repairs.applied", .count(r.applied)),
                IndicatorFigure(.repairs, key: "repairs.approved", .count(r.approved)),
                IndicatorFigure(.repairs, key: "repairs.rejected", .count(r.rejected)),
                IndicatorFigure(.repairsDecidedOnTime, noLimit.map { .notComputable($0) } ?? .ratio(r.onTime, of: r.judged, none: none))]
        return out
    }
}

extension SubjectRegistry {
    /// Organisations (not persons) registered on or before `date` and not deregistered by then.
    func organisationCount(asOf date: LegalDate) -> Int { organisationCounts(asOf: [date])[0] }

    /// ``organisationCount(asOf:)`` for each of `dates`, with one pass over the registry: an
    /// organisation counts from its first registration until its deregistration, so the count on a
    /// day is the registrations on or before it minus the deregistrations on or before it (an
    /// organisation deregistered before it registered never counts and is left out of both).
    func organisationCounts(asOf dates: [LegalDate]) -> [Int] {
        var registered: [LegalDate] = [], deregistered: [LegalDate] = []
        for (subject, entry) in entries where subject.isOrganisation {
            guard let first = entry.registrations.first?.effective else { continue }
            if let gone = entry.deregistered {
                guard gone >= first else { continue }
                deregistered.append(gone)
            }
            registered.append(first)
        }
        registered.sort()
        deregistered.sort()
        return dates.map { Self.countOnOrBefore($0, in: registered) - Self.countOnOrBefore($0, in: deregistered) }
    }

    /// How many of the sorted `dates` are on or before `date`.
    private static func countOnOrBefore(_ date: LegalDate, in dates: [LegalDate]) -> Int {
        var (low, high) = (0, dates.count)
        while low < high {
            let mid = (low + high) / 2
            if dates[mid] <= date { low = mid + 1 } else { high = mid }
        }
        return low
    }
}

extension ConductRecords {
    /// How many subjects `include` accepts whose latest evaluation under `scheme` published on or
    /// before `date` (the latest year, then the latest publication) has `grade`.
    func countLatestGrade(_ grade: String, scheme: String, asOf date: LegalDate, where include: (SubjectCode) -> Bool) -> Int {
        var count = 0
        for (subject, entry) in entries where include(subject) && entry.evaluations.latest(scheme: scheme, asOf: date)?.evaluation.grade == grade {
            count += 1
        }
        return count
    }
}

extension Collection<ConductRecords.EvaluationRecord> {
    /// The latest evaluation under `scheme` published on or before `date`: the latest year, then
    /// the latest publication, the first in record order among equals.
    func latest(scheme: String, asOf date: LegalDate) -> Element? {
        var latest: Element?
        for record in self where record.evaluation.scheme == scheme && record.published <= date {
            if let current = latest, (record.evaluation.year, record.published) <= (current.evaluation.year, current.published) { continue }
            latest = record
        }
        return latest
    }
}

extension SubjectCode {
    /// Whether the code names an organisation (a unified social credit code), not a person.
    var isOrganisation: Bool {
        if case .organisation = self { return true }
        return false
    }
}
