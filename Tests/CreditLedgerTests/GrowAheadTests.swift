import CreditFacts
import Foundation
import Synchronization
import Testing
@testable import CreditLedger

/// The views' tables grow before an append, off the lock queries read the views under, never in
/// the middle of applying it (``GrowsAhead``): a table that doubled under the lock held every
/// query up while it moved its entries (120 ms and more for the keys of half a million facts).
@Suite struct GrowAheadTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()

    /// The entries held and the room of each table that grows with the facts: the idempotency
    /// keys, and views' tables by subject and by person.
    static func tables(_ ledger: Ledger) -> [(count: Int, capacity: Int)] {
        ledger.state.withLock { state in
            let views = state.views
            let index = views.view(LedgerIndex.self)!
            let registry = views.view(SubjectRegistry.self)!
            let penalties = views.view(PenaltyPublicity.self)!
            let quality = views.view(DataQuality.self)!
            return [(index.keys.count, index.keys.slots.count * 3 / 4), (index.positions.count, index.positions.capacity),
                    (registry.entries.count, registry.entries.capacity),
                    (registry.organisationsByPerson.count, registry.organisationsByPerson.capacity),
                    (penalties.records.count, penalties.records.capacity), (quality.names.count, quality.names.capacity)]
        }
    }

    @Test func anAppendMakesRoomForAllItsFactsBeforeApplyingThem() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        let first = Self.tables(ledger).map(\.capacity)
        var company = 0
        for batch in [1, 3, 10, 40, 100, 300, 700] {
            let facts = (0..<batch).flatMap { n -> [Fact] in
                let code = Codes.enterprise(company + n)
                return Facts.company(company + n) + [Facts.penalty(code, decision: "沪市监罚〔2024〕\(company + n)号", on: "2024-03-01")]
            }
            company += batch
            let before = Self.tables(ledger)
            try ledger.append(facts)
            // Room for as many entries as facts in every table (each fact adds at most one to a
            // table): made before the facts were applied, so none of them grew a table under the lock.
            let after = Self.tables(ledger)
            for (table, (held, now)) in zip(before, after).enumerated() {
                #expect(now.capacity >= held.count + facts.count, "table \(table): \(held.count) held, room for \(now.capacity) after appending \(facts.count) facts")
            }
            let live = ledger.state.withLock { $0.views }
            #expect(live.preparingTables(.ahead(0)) == nil, "nothing grows ahead of no facts")
        }
        let last = Self.tables(ledger).map(\.capacity)
        let grew = zip(first, last).allSatisfy { $0 < $1 }
        #expect(grew, "every table grew along the way: \(first) → \(last)")
        // The views grown ahead hold what views built by replaying the log hold.
        let digest = try ledger.digest(asOf: date("2024-12-31"))
        let types = ledger.state.withLock { $0.views.types }.filter { $0 != LedgerIndex.self }
        let replayed = try Replay.rebuild(types, log: ledger.log, to: try ledger.head.nextPosition, cores: 1)
        #expect(Ledger.digest(of: replayed, asOf: date("2024-12-31"), context: ledger.context) == digest)
        var index = LedgerIndex()
        try ledger.forEachFact { index.apply($0) }
        let live = ledger.state.withLock { $0.views.view(LedgerIndex.self)! }
        #expect(live.keys.canonical == index.keys.canonical)
        #expect(live.positions == index.positions && live.references == index.references)
        try ledger.close()
    }

    /// Where a table's entries are stored: the same after applying a fact when the table was
    /// changed in place, different when it had to be copied.
    static func storage(_ ledger: Ledger) -> [UInt] {
        ledger.state.withLock { state in
            let index = state.views.view(LedgerIndex.self)!
            let registry = state.views.view(SubjectRegistry.self)!
            return [UInt(bitPattern: index.keys.slots.withUnsafeBufferPointer { $0.baseAddress }),
                    unsafeBitCast(index.positions, to: UInt.self), unsafeBitCast(registry.entries, to: UInt.self)]
        }
    }

    /// A background snapshot keeps the views as they were while it writes them. The next append
    /// first gives the live views tables of their own, off the lock, so that the facts it applies
    /// change them in place instead of copying each whole under the lock queries wait on.
    @Test func theLiveViewsTakeTablesOfTheirOwnBeforeTheAppendAfterASnapshotStarts() throws {
        var settings = configuration(clock: clock)
        settings.snapshotEveryFacts = 200
        settings.snapshotNiceness = 5   // written on a thread of its own, at a lower priority
        let ledger = try Ledger.open(directory: directory.path, configuration: settings)
        for n in 0..<99 { try ledger.append(Facts.company(n)) }
        // The snapshot waits behind this, keeping the views it was given, until released.
        let release = DispatchSemaphore(value: 0)
        ledger.snapshotQueue.async { release.wait() }
        try ledger.append(Facts.company(99))   // 200 facts: the snapshot is due and takes the views
        let shared = Self.storage(ledger)
        // What the next append does first, before it takes the views' lock at all.
        ledger.prepareForAppend(facts: 2)
        let own = Self.storage(ledger)
        #expect(zip(shared, own).allSatisfy { $0 != $1 }, "every table copied off the lock")
        try ledger.append(Facts.company(100))
        #expect(Self.storage(ledger) == own, "a table was copied under the lock while the snapshot held the views")
        release.signal()
        ledger.snapshotQueue.sync {}
        #expect(ledger.lastSnapshotError == nil)
        // The snapshot holds the views as they were when it started: a reader beside the writer,
        // opened from it with the facts after it replayed, shows what the writer shows.
        let fromSnapshot = Mutex<UInt64?>(nil)
        let reader = try Ledger.open(directory: directory.path, configuration: settings, access: .readOnly) { replayed, _ in
            fromSnapshot.withLock { $0 = $0 ?? replayed }
        }
        #expect(fromSnapshot.withLock { $0 } == 200, "the reader opened from the snapshot of the first 200 facts")
        #expect(try reader.digest(asOf: date("2024-12-31")) == (try ledger.digest(asOf: date("2024-12-31"))))
        try reader.close()
        try ledger.close()
    }
}
