import CreditFacts

/// Data quality per source (信用信息归集质量): facts reported; for the administrative acts the
/// 双公示 deadline applies to (licences, penalties, the other acts of the ten), on time (within
/// 7 working days of the effective date on the holiday calendar by default), late, on-time rate; and code conflicts (重码: one code reported under two names).
///
/// Timeliness is judged at query time: the view keeps, per source, how many facts had each
/// (effective date, calendar-day lag) pair, so the deadline and calendar stay data. Lags of
/// ``lagCeilingDays`` days or more are kept as that ceiling and always count as late (no deadline in
/// the rules comes near: 7 working days span at most 17 calendar days). A fact without `reported`
/// counts from the day it was recorded (INTERCHANGE: `reported` defaults to the append time).
///
/// Duplicates and refusals never reach the log, so this view cannot replay them: the ledger feeds
/// them to an ``IntakeCounters`` and ``report(asOf:context:intake:)`` joins the two.
///
/// Partitioned by subject although it reports by source: per-source counts add up across parts,
/// and the registrations it compares for conflicts are per subject, so each lies in one part.
public struct DataQuality: Projector, SnapshotState, DigestContent, SubjectPartitioned {
    public static let name = "quality"
    public static let codeVersion = 3
    /// The facts this view reads.
    public static let factTypes: FactTypeSet = .all

    /// Lags (in calendar days) at or beyond this are kept as the ceiling and count as late.
    public static let lagCeilingDays = 255

    /// What the view counts for one source.
    struct SourceCounts: Sendable, Hashable {
        /// Facts per (effective day << 9 | 双公示 act << 8 | lag in calendar days).
        var lags = CounterTable()
        /// Codes this source reported under a second name.
        var conflicts: [SubjectCode] = []
        /// Facts per (recorded day (China Standard Time) << 1 | code conflict): what the ledger
        /// accepted on each day, and the conflicts among it, for the intake figures of a period.
        var received = CounterTable()
    }

    /// A registration seen for a code: when, under which name (FNV-1a of its UTF-8), from whom.
    struct NameSighting: Sendable, Hashable {
        var effective: LegalDate
        var nameHash: UInt64
        var source: SourceID
    }

    private(set) var sources: [SourceID: SourceCounts] = [:]
    private(set) var names: [SubjectCode: [NameSighting]] = [:]

    public init() {}

    public mutating func apply(_ recorded: RecordedFact) {
        let fact = recorded.fact
        let reported = (fact.reported ?? Timestamp(recorded.recorded)).chinaStandardDate
        let lag = min(max(fact.effective.days(until: reported), 0), Self.lagCeilingDays)
        let key = Int64(fact.effective.daysSinceEpoch) << 9 | (Self.isPublicAct(fact.body) ? 0x100 : 0) | Int64(lag)
        sources[fact.source, default: SourceCounts()].lags.add(key)
        sources[fact.source]!.received.add(Int64(Timestamp(recorded.recorded).chinaStandardDate.daysSinceEpoch) << 1)
        guard case .subjectRegistered(let registration) = fact.body else { return }
        let sighting = NameSighting(effective: fact.effective, nameHash: ContentHash.fnv1a(registration.name.utf8), source: fact.source)
        // A rename takes a new date from the registering source; two names on one date, or from two
        // sources, cannot both be true of one subject.
        let conflicting = names[fact.subject]?.contains {
            $0.nameHash != sighting.nameHash && ($0.effective == sighting.effective || $0.source != sighting.source)
        } ?? false
        names[fact.subject, default: []].append(sighting)
        if conflicting {
            sources[fact.source]!.conflicts.append(fact.subject)
            sources[fact.source]!.received.add(Int64(Timestamp(recorded.recorded).chinaStandardDate.daysSinceEpoch) << 1 | 1)
        }
    }

    /// Whether the 双公示 deadline applies: licences, penalties and the other administrative acts
    /// of the ten (国办发〔2015〕51号, 国办发〔2019〕35号). Other facts count as reported, not judged.
    static func isPublicAct(_ body: FactBody) -> Bool {
        switch body {
        case .licenceGranted, .penaltyDecided, .actRecorded: true
        default: false
        }
    }

    public mutating func merge(_ other: DataQuality) {
        for (source, counts) in other.sources {
            sources[source, default: SourceCounts()].lags.merge(counts.lags)
            sources[source]!.conflicts.append(contentsOf: counts.conflicts)
            sources[source]!.received.merge(counts.received)
        }
        names.merge(other.names) { mine, _ in mine }
    }

    // MARK: - Queries

    /// Quality per source for facts effective on or before `date`, sorted by source, joined with the
    /// duplicates and refusals the ledger counted at intake (when given).
    public func report(asOf date: LegalDate, context: ViewContext, intake: IntakeCounters.Counts? = nil) -> [SourceQuality] {
        var out: [SourceID: SourceQuality] = [:]
        for (source, counts) in sources {
            // Each source's deadline is its channel's (a district may give one channel other days).
            var deadlines: [Int32: LegalDate?] = [:]
            var quality = SourceQuality(source: source)
            for (key, count) in counts.lags {
                let day = Int32(key >> 9), lag = Int(key & 0xff)
                let effective = LegalDate(daysSinceEpoch: day)
                guard effective <= date else { continue }
                quality.facts += Int(count)
                guard key & 0x100 != 0 else { continue }
                let deadline = deadlines[day] ?? Self.deadline(for: effective, source: source, context: context)
                deadlines[day] = deadline
                guard let deadline else { quality.notJudge(Int(count), effective: effective, calendar: context.calendar); continue }
                if lag < Self.lagCeilingDays, effective.adding(days: lag) <= deadline { quality.onTime += Int(count) } else { quality.late += Int(count) }
            }
            quality.codeConflicts = Array(Set(counts.conflicts)).sorted()
            out[source] = quality
        }
        for (source, count) in intake?.duplicates ?? [:] { out[source, default: SourceQuality(source: source)].duplicates = count }
        for (source, kinds) in intake?.refusals ?? [:] {
            out[source, default: SourceQuality(source: source)].refusals = kinds.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                .map(SourceQuality.RefusalCount.init)
        }
        return out.values.sorted { $0.source < $1.source }
    }

    /// Per source, the facts accepted and the code conflicts among them on the days of each of
    /// `periods` (sorted, contiguous), by the day they were recorded (China Standard Time).
    func received(in periods: [IndicatorPeriod]) -> [SourceID: [(accepted: Int, conflicts: Int)]] {
        var out: [SourceID: [(accepted: Int, conflicts: Int)]] = [:]
        for (source, counts) in sources {
            var rows = [(accepted: Int, conflicts: Int)](repeating: (0, 0), count: periods.count)
            for (key, count) in counts.received {
                guard let index = IndicatorPeriod.index(of: LegalDate(daysSinceEpoch: Int32(key >> 1)), in: periods) else { continue }
                if key & 1 == 0 { rows[index].accepted += Int(count) } else { rows[index].conflicts += Int(count) }
            }
            out[source] = rows
        }
        return out
    }

    /// The last on-time day for a fact of `source` effective on `date` (the regime of the source's
    /// channel), or nil outside the holiday calendar.
    static func deadline(for date: LegalDate, source: SourceID, context: ViewContext) -> LegalDate? {
        try? context.calendar.workingDay(context.rules.regime(on: date, source: source).publicationDeadlineWorkingDays, after: date)
    }

    // MARK: - Canonical state

    public func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(sources.sorted { $0.key < $1.key }) { e, pair in
            e.write(id: pair.key)
            e.write(pair.value.lags.sorted { $0.key < $1.key }) { e, lag in e.write(lag.key); e.write(lag.value) }
            e.write(pair.value.conflicts.sorted()) { e, code in e.write(code.description) }
            e.write(pair.value.received.sorted { $0.key < $1.key }) { e, day in e.write(day.key); e.write(day.value) }
        }
        encoder.write(names.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.description)
            e.write(pair.value) { e, s in e.write(s.effective); e.write(s.nameHash); e.write(id: s.source) }
        }
    }

    public init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        for _ in 0..<Int(try d.readUInt32()) {
            let source = try d.readID(SourceID.self)
            var counts = SourceCounts()
            var previous: Int64?
            for (key, value) in try d.readArray({ (d) throws(SnapshotError) in (try d.readInt64(), try d.readUInt32()) }) {
                // Written sorted and once per key: a repeat would overflow its count, so it is refused.
                guard previous.map({ $0 < key }) ?? true else { throw SnapshotError("lag \(key) out of order or repeated") }
                previous = key
                if value > 0 { counts.lags.add(key, value) }
            }
            counts.conflicts = try d.readArray { (d) throws(SnapshotError) in try d.readSubject() }
            previous = nil
            for (key, value) in try d.readArray({ (d) throws(SnapshotError) in (try d.readInt64(), try d.readUInt32()) }) {
                guard previous.map({ $0 < key }) ?? true else { throw SnapshotError("received day \(key) out of order or repeated") }
                previous = key
                if value > 0 { counts.received.add(key, value) }
            }
            sources[source] = counts
        }
        for (subject, sightings) in try d.readArray({ (d) throws(SnapshotError) in
            (try d.readSubject(), try d.readArray { (d) throws(SnapshotError) in
                NameSighting(effective: try d.readDate(), nameHash: try d.readUInt64(), source: try d.readID(SourceID.self))
            })
        }) { names[subject] = sightings }
    }

    public func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        encoder.write(report(asOf: date, context: context)) { e, q in
            e.write(id: q.source)
            e.write(q.facts); e.write(q.onTime); e.write(q.late); e.write(q.unjudged)
            e.write(q.codeConflicts) { e, code in e.write(code.description) }
        }
    }
}

/// One source's data quality.
public struct SourceQuality: Sendable, Hashable {
    /// How many refusals of one kind.
    public struct RefusalCount: Sendable, Hashable {
        /// The refusal kind (e.g. `invalidCode`, `conflict`, `redListConflict`).
        public var kind: String
        /// How many.
        public var count: Int
    }

    /// The reporting department.
    public var source: SourceID
    /// Facts in the log from it.
    public var facts = 0
    /// Reported within the deadline.
    public var onTime = 0
    /// Reported after it.
    public var late = 0
    /// Administrative acts whose deadline the holiday calendar cannot give: not judged (neither on
    /// time nor late), the sum of ``notJudged``.
    public var unjudged = 0
    /// The unjudged acts by reason, sorted by reason: "calendar ends D" for a deadline past the
    /// calendar's last day, "calendar starts D" for an act before its first.
    public var notJudged: [RefusalCount] = []
    /// Identical copies received (重复报送), from the ledger's intake counters.
    public var duplicates = 0
    /// Refused facts by kind, sorted by kind, from the ledger's intake counters.
    public var refusals: [RefusalCount] = []
    /// Codes it reported under a second name (重码), sorted.
    public var codeConflicts: [SubjectCode] = []

    /// Creates an empty record for `source`.
    public init(source: SourceID) { self.source = source }

    /// Lines refused with an invalid code (错码: a check character or structure that fails GB 32100
    /// or GB 11643), the numerator of the 重错码率 with the code conflicts.
    public var codeErrors: Int { refusals.first { $0.kind == FactError.Kind.invalidCode.rawValue }?.count ?? 0 }

    /// Every refusal counted for this source.
    public var refused: Int { refusals.reduce(0) { $0 + $1.count } }

    /// Counts `count` acts effective on `effective` that `calendar` cannot judge, under the reason.
    mutating func notJudge(_ count: Int, effective: LegalDate, calendar: WorkingDayCalendar) {
        unjudged += count
        let reason = effective < calendar.coverage.lowerBound
            ? "calendar starts \(calendar.coverage.lowerBound)" : "calendar ends \(calendar.coverage.upperBound)"
        if let i = notJudged.firstIndex(where: { $0.kind == reason }) { notJudged[i].count += count } else {
            notJudged.append(RefusalCount(kind: reason, count: count))
            notJudged.sort { $0.kind < $1.kind }
        }
    }

    /// On time ÷ judged facts (及时率), or nil when none was judged.
    public var onTimeRate: Double? { onTime + late == 0 ? nil : Double(onTime) / Double(onTime + late) }
}

extension DataQuality: GrowsAhead {
    mutating func prepareTables(_ room: TableRoom) -> Bool {
        names.prepare(room)
    }
}
