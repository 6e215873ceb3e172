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

    /// A snapshot stores the keys in position order and opening rebuilds the table from them: the
    /// rebuilt table is the one the appends made, slot for slot, whatever order the keys come in.
    @Test(arguments: [false, true])
    func restoredFromPositionOrderTheLayoutIsTheSame(collide: Bool) throws {
        let entries = Self.keys(collide ? 400 : 5_000, collide: collide)
        var generator = SplitMix64(seed: 11)
        let built = Self.table(entries.shuffled(using: &generator))
        var stored: [FactKeyTable.Slot] = []
        built.forEachInPositionOrder { stored.append($0) }
        #expect(stored.map(\.positionPlusOne) == (1...UInt64(entries.count)).map { $0 })
        let restored = try #require(FactKeyTable(restoring: stored.count) { stored[$0] })
        let sameLayout = restored.slots == built.canonical.slots
        #expect(sameLayout)
        #expect(restored.count == entries.count)
        let shuffled = stored.shuffled(using: &generator)
        let fromShuffled = try #require(FactKeyTable(restoring: shuffled.count) { shuffled[$0] })
        #expect(fromShuffled.slots == restored.slots)
        #expect(FactKeyTable(restoring: 3) { stored[[0, 1, 0][$0]] } == nil, "a repeated key is damage")
    }

    /// Sparse positions (a ledger whose keys are few beside its facts) take the sorting path and
    /// come out in the same order.
    @Test func sparsePositionsComeOutInOrder() {
        let entries = Self.keys(200).map { ($0.0, KeyedFact(position: $0.1.position * 1_000_003, content: $0.1.content)) }
        var generator = SplitMix64(seed: 3)
        var order: [UInt64] = []
        Self.table(entries.shuffled(using: &generator)).forEachInPositionOrder { order.append($0.positionPlusOne - 1) }
        #expect(order == entries.map(\.1.position))
    }

    @Test func aRepeatedKeyKeepsTheFirstFact() {
        let entries = Self.keys(100, collide: true)
        var table = Self.table(entries)
        table.insertIfAbsent(entries[40].0, KeyedFact(position: 9_999, content: 1))
        #expect(table.count == 100)
        #expect(table[entries[40].0] == entries[40].1)
        #expect(table[FactKey(high: 1, low: 2)] == nil)
    }

    /// Grown ahead for `more` keys, the table takes that many without growing again, and only
    /// grows when it has no room for them; the keys and their layout are those of any other table.
    @Test func growingAheadMakesRoomForThatManyKeys() {
        let entries = Self.keys(5_000)
        var table = Self.table(entries[..<1_000])
        let grewForFew = table.prepare(.ahead(100))
        #expect(!grewForFew, "1,000 keys in 2,048 slots leave room for 100 more")
        let grewForMany = table.prepare(.ahead(1_000))
        #expect(grewForMany)
        let slots = table.slots.count
        #expect(slots >= 2_000 * 4 / 3)
        for (key, value) in entries[1_000..<2_000] { table.insertIfAbsent(key, value) }
        #expect(table.slots.count == slots, "the keys made room for are added without growing")
        #expect(table.count == 2_000)
        for (key, value) in entries[..<2_000] { #expect(table[key] == value) }
        #expect(table.canonical.slots == Self.table(entries[..<2_000]).canonical.slots)
        // Slots shared with a copy (a snapshot being written) are copied; the copy keeps its own.
        let copy = table
        let moved = table.prepare(.unshared)
        #expect(moved)
        let apart = table.slots.withUnsafeBufferPointer { $0.baseAddress } != copy.slots.withUnsafeBufferPointer { $0.baseAddress }
        #expect(apart && table == copy)
    }
}
