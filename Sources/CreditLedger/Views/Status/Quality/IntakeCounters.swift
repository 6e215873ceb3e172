import CreditFacts
import LedgerStorage
import Synchronization

/// Counts what the log never holds: identical copies received (重复报送) and refused facts by
/// reason, per source. The ledger feeds it from `append` (and an import may feed refusals of lines
/// that never became facts); ``DataQuality/report(asOf:context:intake:)`` joins it with the view.
///
/// Each is also counted under the day it was received (China Standard Time, on the ledger's
/// clock), so that period figures (合规率, 重错码率 per month) can be computed; ``Counts/datedSince``
/// is the first day from which every refusal and duplicate was counted by day.
///
/// Kept next to the log (`intake.counts`) but not part of digests: the log alone decides digests,
/// and these events are not in the log. Thread-safe.
public final class IntakeCounters: Sendable {
    /// The counts at one moment.
    public struct Counts: Sendable, Hashable {
        /// Duplicates per source.
        public var duplicates: [SourceID: Int] = [:]
        /// Refusals per source and kind.
        public var refusals: [SourceID: [String: Int]] = [:]
        /// Per day received and source, the duplicates and refusals of that day.
        public var days: [LegalDate: [SourceID: Day]] = [:]
        /// The first day from which duplicates and refusals are counted by day (the day the
        /// counters began, or were started again after their file was lost, or were upgraded from
        /// the format without days); nil before anything set it.
        public var datedSince: LegalDate?
        /// Creates empty counts.
        public init() {}
    }

    /// What one source sent on one day that the log does not hold.
    public struct Day: Sendable, Hashable {
        /// Identical copies received.
        public var duplicates = 0
        /// Refusals by kind.
        public var refusals: [String: Int] = [:]
        /// Creates an empty day.
        public init() {}
    }

    /// The key refusals of lines that name no readable source are counted under: empty, which no
    /// source can be (a source has 1–64 characters). Documents show it as `null`.
    public static let unnamedSource = SourceID(unchecked: "")

    private let state = Mutex(Counts())
    /// Today's date (China Standard Time) on the clock of the ledger the counters belong to.
    private let today: @Sendable () -> LegalDate

    /// Creates empty counters dating what they count by `today` (the system clock's China
    /// Standard Time date by default).
    public init(today: @escaping @Sendable () -> LegalDate = { Timestamp(RecordedTime.now()).chinaStandardDate }) {
        self.today = today
    }

    /// Counts the duplicates among the receipts of an append of `facts` (receipts in fact order).
    public func record(_ facts: [Fact], receipts: [FactReceipt]) {
        let day = today()
        state.withLock { counts in
            for (fact, receipt) in zip(facts, receipts) {
                if case .duplicate = receipt { counts.addDuplicates(fact.source, 1, on: day) }
            }
        }
    }

    /// Counts the refusals of an append of `facts` (each refusal names its fact's index).
    public func record(_ facts: [Fact], refusals: [Refusal]) {
        let day = today()
        state.withLock { counts in
            for refusal in refusals where facts.indices.contains(refusal.index) {
                counts.addRefusal(facts[refusal.index].source, refusal.kind.description, on: day)
            }
        }
    }

    /// Counts `count` identical copies received from `source`.
    public func recordDuplicates(source: SourceID, count: Int) {
        let day = today()
        state.withLock { $0.addDuplicates(source, count, on: day) }
    }

    /// Counts one refusal of a line that never became a fact (e.g. broken JSON in an import),
    /// under the source it named, if any could be read.
    public func recordRefusal(source: SourceID, kind: String) {
        let day = today()
        state.withLock { $0.addRefusal(source, kind, on: day) }
    }

    /// The counts now.
    public var counts: Counts { state.withLock { $0 } }

    /// Replaces the counts (restoring them when the ledger opens); counts that were never dated
    /// (a new ledger, a lost file, the format without days) are dated from today.
    func restore(_ counts: Counts) {
        var counts = counts
        if counts.datedSince == nil { counts.datedSince = today() }
        state.withLock { $0 = counts }
    }
}

extension IntakeCounters.Counts {
    mutating func addDuplicates(_ source: SourceID, _ count: Int, on day: LegalDate) {
        duplicates[source, default: 0] += count
        days[day, default: [:]][source, default: .init()].duplicates += count
        datedSince = datedSince ?? day
    }

    mutating func addRefusal(_ source: SourceID, _ kind: String, on day: LegalDate) {
        refusals[source, default: [:]][kind, default: 0] += 1
        days[day, default: [:]][source, default: .init()].refusals[kind, default: 0] += 1
        datedSince = datedSince ?? day
    }
}

extension IntakeCounters.Counts {
    /// The counts canonically (sources, kinds and days sorted), for the file the ledger keeps them
    /// in: the totals, then the first dated day and the days.
    func encoded() -> [UInt8] {
        var e = CanonicalEncoder()
        e.write(duplicates.sorted { $0.key < $1.key }) { e, pair in e.write(pair.key.text); e.write(pair.value) }
        e.write(refusals.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.text)
            e.write(pair.value.sorted { $0.key < $1.key }) { e, kind in e.write(kind.key); e.write(kind.value) }
        }
        e.write(datedSince) { e, day in e.write(day) }
        e.write(days.sorted { $0.key < $1.key }) { e, day in
            e.write(day.key)
            e.write(day.value.sorted { $0.key < $1.key }) { e, pair in
                e.write(pair.key.text)
                e.write(pair.value.duplicates)
                e.write(pair.value.refusals.sorted { $0.key < $1.key }) { e, kind in e.write(kind.key); e.write(kind.value) }
            }
        }
        return e.bytes
    }

    /// Reads what `encoded()` wrote; `dated`: whether the bytes hold the days (the format with
    /// them), else the totals alone.
    init(decoding bytes: [UInt8], dated: Bool = true) throws(SnapshotError) {
        self.init()
        var d = CanonicalDecoder(bytes)
        for (source, count) in try d.readArray({ (d) throws(SnapshotError) in (try d.readString(), try d.readInt()) }) {
            guard duplicates.updateValue(count, forKey: SourceID(unchecked: source)) == nil else {
                throw SnapshotError("duplicates of \(source) counted twice")
            }
        }
        for (source, kinds) in try d.readArray({ (d) throws(SnapshotError) in
            (try d.readString(), try d.readArray { (d) throws(SnapshotError) in (try d.readString(), try d.readInt()) })
        }) {
            // Written once per source and kind: a repeat is damage (adding repeats could overflow).
            var byKind: [String: Int] = [:]
            for (kind, count) in kinds {
                guard byKind.updateValue(count, forKey: kind) == nil else {
                    throw SnapshotError("refusals of \(source) as \(kind) counted twice")
                }
            }
            guard refusals.updateValue(byKind, forKey: SourceID(unchecked: source)) == nil else {
                throw SnapshotError("refusals of \(source) counted twice")
            }
        }
        guard dated else { return }
        datedSince = try d.readOptional { (d) throws(SnapshotError) in try d.readDate() }
        var previous: LegalDate?
        for (day, sources) in try d.readArray({ (d) throws(SnapshotError) in
            (try d.readDate(), try d.readArray { (d) throws(SnapshotError) in
                (try d.readString(), try d.readInt(), try d.readArray { (d) throws(SnapshotError) in (try d.readString(), try d.readInt()) })
            })
        }) {
            // Written sorted, once per day, source and kind: anything else is damage.
            guard previous.map({ $0 < day }) ?? true else { throw SnapshotError("day \(day) out of order or repeated") }
            previous = day
            var bySource: [SourceID: IntakeCounters.Day] = [:]
            for (source, duplicates, kinds) in sources {
                var counts = IntakeCounters.Day()
                counts.duplicates = duplicates
                for (kind, count) in kinds {
                    guard counts.refusals.updateValue(count, forKey: kind) == nil else {
                        throw SnapshotError("refusals of \(source) as \(kind) on \(day) counted twice")
                    }
                }
                guard bySource.updateValue(counts, forKey: SourceID(unchecked: source)) == nil else {
                    throw SnapshotError("\(source) counted twice on \(day)")
                }
            }
            days[day] = bySource
        }
        guard d.isAtEnd else { throw SnapshotError("bytes after the days") }
    }
}
