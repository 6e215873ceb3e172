import CreditFacts
import Synchronization

/// Counts what the log never holds: identical copies received (重复报送) and refused facts by
/// reason, per source. The ledger feeds it from `append` (and an import may feed refusals of lines
/// that never became facts); ``DataQuality/report(asOf:context:intake:)`` joins it with the view.
///
/// Not durable and not part of digests: the log alone decides digests, and these events are not in
/// the log. Thread-safe.
public final class IntakeCounters: Sendable {
    /// The counts at one moment.
    public struct Counts: Sendable, Hashable {
        /// Duplicates per source.
        public var duplicates: [SourceID: Int] = [:]
        /// Refusals per source and kind.
        public var refusals: [SourceID: [String: Int]] = [:]
        /// Creates empty counts.
        public init() {}
    }

    /// The key refusals of lines that name no readable source are counted under: empty, which no
    /// source can be (a source has 1–64 characters). Documents show it as `null`.
    public static let unnamedSource = SourceID(unchecked: "")

    private let state = Mutex(Counts())

    /// Creates empty counters.
    public init() {}

    /// Counts the duplicates among the receipts of an append of `facts` (receipts in fact order).
    public func record(_ facts: [Fact], receipts: [FactReceipt]) {
        state.withLock { counts in
            for (fact, receipt) in zip(facts, receipts) {
                if case .duplicate = receipt { counts.duplicates[fact.source, default: 0] += 1 }
            }
        }
    }

    /// Counts the refusals of an append of `facts` (each refusal names its fact's index).
    public func record(_ facts: [Fact], refusals: [Refusal]) {
        state.withLock { counts in
            for refusal in refusals where facts.indices.contains(refusal.index) {
                counts.refusals[facts[refusal.index].source, default: [:]][refusal.kind.description, default: 0] += 1
            }
        }
    }

    /// Counts `count` identical copies received from `source`.
    public func recordDuplicates(source: SourceID, count: Int) {
        state.withLock { $0.duplicates[source, default: 0] += count }
    }

    /// Counts one refusal of a line that never became a fact (e.g. broken JSON in an import),
    /// under the source it named, if any could be read.
    public func recordRefusal(source: SourceID, kind: String) {
        state.withLock { $0.refusals[source, default: [:]][kind, default: 0] += 1 }
    }

    /// The counts now.
    public var counts: Counts { state.withLock { $0 } }

    /// Replaces the counts (restoring them when the ledger opens).
    func restore(_ counts: Counts) { state.withLock { $0 = counts } }
}

extension IntakeCounters.Counts {
    /// The counts canonically (sources and kinds sorted), for the file the ledger keeps them in.
    func encoded() -> [UInt8] {
        var e = CanonicalEncoder()
        e.write(duplicates.sorted { $0.key < $1.key }) { e, pair in e.write(pair.key.text); e.write(pair.value) }
        e.write(refusals.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.text)
            e.write(pair.value.sorted { $0.key < $1.key }) { e, kind in e.write(kind.key); e.write(kind.value) }
        }
        return e.bytes
    }

    /// Reads what `encoded()` wrote.
    init(decoding bytes: [UInt8]) throws(SnapshotError) {
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
    }
}
