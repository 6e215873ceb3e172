/// Counts by 64-bit key in an open-addressing table with Fibonacci hashing: the per-fact counters
/// of the data-quality view without a `Hasher` run per fact (replay feeds it every fact).
/// Iteration order is the table's, not meaningful: callers that write or show counts sort them.
struct CounterTable: Sendable, Hashable, Sequence {
    private var keys: [Int64] = []
    private var counts: [UInt32] = []
    /// Occupied slots; a slot is free when its count is 0.
    private(set) var count = 0

    init() {}

    /// Adds `amount` (> 0) to the count of `key`.
    mutating func add(_ key: Int64, _ amount: UInt32 = 1) {
        precondition(amount > 0)
        if (count + 1) * 4 > keys.count * 3 { grow() }
        var index = slot(for: key)
        while counts[index] != 0 {
            if keys[index] == key {
                counts[index] += amount
                return
            }
            index = (index + 1) & (keys.count - 1)
        }
        keys[index] = key
        counts[index] = amount
        count += 1
    }

    /// Adds every count of `other`.
    mutating func merge(_ other: CounterTable) {
        for (key, value) in other { add(key, value) }
    }

    private func slot(for key: Int64) -> Int {
        let hashed = UInt64(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15
        return Int(truncatingIfNeeded: hashed >> 32) & (keys.count - 1)
    }

    private mutating func grow() {
        let old = zip(keys, counts).filter { $0.1 != 0 }
        let size = Swift.max(16, keys.count * 2)
        keys = [Int64](repeating: 0, count: size)
        counts = [UInt32](repeating: 0, count: size)
        count = 0
        for (key, value) in old { add(key, value) }
    }

    func makeIterator() -> AnyIterator<(key: Int64, value: UInt32)> {
        var index = 0
        return AnyIterator {
            while index < keys.count {
                defer { index += 1 }
                if counts[index] != 0 { return (keys[index], counts[index]) }
            }
            return nil
        }
    }

    static func == (lhs: CounterTable, rhs: CounterTable) -> Bool {
        lhs.sorted { $0.key < $1.key }.elementsEqual(rhs.sorted { $0.key < $1.key }) { $0 == $1 }
    }

    func hash(into hasher: inout Hasher) {
        for (key, value) in sorted(by: { $0.key < $1.key }) {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}
