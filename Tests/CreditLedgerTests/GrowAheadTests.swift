import CreditFacts
import Foundation
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
            #expect(live.grownAhead(facts: 0) == nil, "nothing grows ahead of no facts")
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
}
