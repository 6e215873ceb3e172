import Testing
@testable import CreditLedger

/// The idempotency index's layout is a function of its keys alone, so snapshots are byte-identical
/// however the ledger was built (appends, a rebuild on one core, partitions merged from several).
@Suite struct FactKeyTableTests {
    /// Deterministic keys; `collide` makes every key's home slot the same in small tables.
    static func keys(_ count: Int, collide: Bool = false) -> [(FactKey, KeyedFact)] {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return (0..<count).map { n in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let low = collide ? UInt64(n) << 20 : state
            return (FactKey(high: state.byteSwapped, low: low), KeyedFact(position: UInt64(n), content: state >> 7))
        }
    }

    static func table(_ entries: some Sequence<(FactKey, KeyedFact)>, reserving: Int = 0) -> FactKeyTable {
        var table = FactKeyTable(capacity: reserving)
        for (key, value) in entries { table.insertIfAbsent(key, value) }
        return table
    }

    @Test(arguments: [false, true])
    func theSameKeysInAnyOrderGiveTheSameLayout(collide: Bool) {
        // Colliding keys make one long probe run: fewer of them keep the test quick.
        let count = collide ? 400 : 3_000
        let entries = Self.keys(count, collide: collide)
        var generator = SplitMix64(seed: 7)
        let inOrder = Self.table(entries).canonical
        let reversed = Self.table(entries.reversed()).canonical
        let shuffled = Self.table(entries.shuffled(using: &generator)).canonical
        let reserved = Self.table(entries.shuffled(using: &generator), reserving: 100_000).canonical
        var merged = Self.table(entries[(count / 2)...])
        merged.merge(Self.table(entries[..<(count / 2)]))
        for table in [reversed, shuffled, reserved, merged.canonical] {
            let sameLayout = table.slots == inOrder.slots   // compared first: a failure would print every slot
            #expect(sameLayout)
            #expect(table.count == count)
        }
        for (key, value) in entries { #expect(shuffled[key] == value) }
    }

    @Test func aRepeatedKeyKeepsTheFirstFact() {
        let entries = Self.keys(100, collide: true)
        var table = Self.table(entries)
        table.insertIfAbsent(entries[40].0, KeyedFact(position: 9_999, content: 1))
        #expect(table.count == 100)
        #expect(table[entries[40].0] == entries[40].1)
        #expect(table[FactKey(high: 1, low: 2)] == nil)
    }
}
