/// The idempotency index: an open-addressing hash table from ``FactKey`` to ``KeyedFact``.
///
/// Keys are already uniform random bits (SHA-256 of `source ‖ id`), so the table uses them as
/// their own hash: no `Hasher` runs per lookup, and a snapshot stores the slots as they are, so
/// loading millions of keys is a copy rather than millions of inserts. Linear probing, at most
/// three quarters full, grown by doubling.
///
/// Insertion is Robin Hood with ties broken by key order, which makes the layout a function of
/// the set of keys and the table size alone, whatever order they came in: a ledger built by
/// appends, rebuilt on one core or merged from several partitions writes the same snapshot bytes
/// (``canonical`` also fixes the size).
struct FactKeyTable: Sendable, Equatable {
    /// One slot; `positionPlusOne == 0` marks it empty.
    struct Slot: Sendable, Equatable {
        var high: UInt64
        var low: UInt64
        var positionPlusOne: UInt64
        var content: UInt64
    }

    private(set) var slots: [Slot]
    private(set) var count = 0

    init(capacity: Int = 0) {
        slots = [Slot](repeating: Slot(high: 0, low: 0, positionPlusOne: 0, content: 0), count: Self.slotCount(for: capacity))
    }

    /// A table restored from its slots (as written by a snapshot).
    init(slots: [Slot]) {
        precondition(slots.count >= 16 && slots.count & (slots.count - 1) == 0, "slot count must be a power of two")
        self.slots = slots
        count = slots.reduce(0) { $0 + ($1.positionPlusOne == 0 ? 0 : 1) }
    }

    private static func slotCount(for capacity: Int) -> Int {
        var slots = 16
        while slots * 3 / 4 < capacity { slots *= 2 }
        return slots
    }

    /// The fact held under `key`, if any.
    subscript(key: FactKey) -> KeyedFact? {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: key.low) & mask
        while true {
            let slot = slots[index]
            if slot.positionPlusOne == 0 { return nil }
            if slot.high == key.high && slot.low == key.low {
                return KeyedFact(position: slot.positionPlusOne - 1, content: slot.content)
            }
            index = (index + 1) & mask
        }
    }

    /// Adds `value` under `key` unless the key is already held (the first fact keeps the key).
    mutating func insertIfAbsent(_ key: FactKey, _ value: KeyedFact) {
        guard self[key] == nil else { return }
        if (count + 1) * 4 > slots.count * 3 { reserveCapacity(max(count * 2, 16)) }
        place(Slot(high: key.high, low: key.low, positionPlusOne: value.position + 1, content: value.content))
        count += 1
    }

    /// A table of `count` keys read back from a snapshot, in any order (`entry(n)` gives the
    /// n-th); nil when a key repeats, which only damage can cause.
    init?(restoring count: Int, _ entry: (Int) -> Slot) {
        self.init(capacity: count)
        for index in 0..<count {
            let slot = entry(index)
            guard slot.positionPlusOne != 0, place(slot, unlessHeld: true) else { return nil }
        }
        self.count = count
    }

    /// Calls `body` with each held key in the order of its fact's position: how a snapshot stores
    /// the keys, so that the positions cost a byte or less each instead of eight.
    func forEachInPositionOrder(_ body: (Slot) -> Void) {
        for index in slotsInPositionOrder() { body(slots[index]) }
    }

    /// The numbers of the held slots in the order of their facts' positions. Linear (the positions
    /// index an array of slot numbers) unless the positions are sparse or repeat, then sorted.
    func slotsInPositionOrder() -> [Int] {
        var last: UInt64 = 0
        for slot in slots where slot.positionPlusOne > last { last = slot.positionPlusOne }
        if last <= UInt64(count) * 4 + 1_024, slots.count < Int(UInt32.max) {
            var order = [UInt32](repeating: .max, count: Int(last) + 1)
            var repeated = false
            for index in slots.indices where slots[index].positionPlusOne != 0 {
                let at = Int(slots[index].positionPlusOne)
                repeated = repeated || order[at] != .max
                order[at] = UInt32(index)
            }
            if !repeated { return order.compactMap { $0 == .max ? nil : Int($0) } }
        }
        return slots.indices.filter { slots[$0].positionPlusOne != 0 }.sorted {
            (slots[$0].positionPlusOne, slots[$0].high, slots[$0].low) < (slots[$1].positionPlusOne, slots[$1].high, slots[$1].low)
        }
    }

    /// Puts a slot whose key is absent where Robin Hood order says: walking from its home, it takes
    /// the place of the first resident that is nearer its own home (or as near, with a greater key),
    /// and that resident walks on.
    /// With `unlessHeld`, returns false (and changes nothing) when the key is already held: it
    /// would be met before the first resident is displaced.
    @discardableResult
    private mutating func place(_ slot: Slot, unlessHeld: Bool = false) -> Bool {
        let mask = slots.count - 1
        var carried = slot
        var index = Int(truncatingIfNeeded: carried.low) & mask
        var distance = 0
        while slots[index].positionPlusOne != 0 {
            let resident = slots[index]
            if unlessHeld && resident.high == carried.high && resident.low == carried.low { return false }
            let residentDistance = (index - (Int(truncatingIfNeeded: resident.low) & mask)) & mask
            if residentDistance < distance
                || (residentDistance == distance && (carried.high, carried.low) < (resident.high, resident.low)) {
                slots[index] = carried
                carried = resident
                distance = residentDistance
            }
            index = (index + 1) & mask
            distance += 1
        }
        slots[index] = carried
        return true
    }

    /// The same keys in a table of the size their count alone calls for: what a snapshot stores,
    /// so that a capacity reserved ahead of an import never reaches the bytes.
    var canonical: FactKeyTable {
        let size = Self.slotCount(for: count)
        guard size != slots.count else { return self }
        var table = FactKeyTable(capacity: count)
        for slot in slots where slot.positionPlusOne != 0 { table.place(slot) }
        table.count = count
        return table
    }

    /// Prepares the table for `room` (``TableRoom``): room for that many more keys, if there is
    /// not room already (at least doubling, as ``insertIfAbsent(_:_:)`` would), or slots of its
    /// own. Returns whether the slots moved.
    mutating func prepare(_ room: TableRoom) -> Bool {
        switch room {
        case .ahead(let more):
            guard (count + more) * 4 > slots.count * 3 else { return false }
            reserveCapacity(Swift.max(count + more, count * 2, 16))
        case .unshared:
            // Shared slots are copied; slots held only here stay as they are.
            slots.reserveCapacity(slots.count)
        }
        return true
    }

    /// Makes room for `capacity` keys without growing again.
    mutating func reserveCapacity(_ capacity: Int) {
        let wanted = Self.slotCount(for: capacity)
        guard wanted > slots.count else { return }
        let old = slots
        slots = [Slot](repeating: Slot(high: 0, low: 0, positionPlusOne: 0, content: 0), count: wanted)
        for slot in old where slot.positionPlusOne != 0 { place(slot) }
    }

    /// Absorbs another table's keys.
    mutating func merge(_ other: FactKeyTable) {
        reserveCapacity(count + other.count)
        for slot in other.slots where slot.positionPlusOne != 0 {
            insertIfAbsent(FactKey(high: slot.high, low: slot.low), KeyedFact(position: slot.positionPlusOne - 1, content: slot.content))
        }
    }
}
