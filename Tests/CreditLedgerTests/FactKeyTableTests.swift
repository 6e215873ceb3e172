import CreditFacts
import Testing
@testable import CreditLedger

/// The idempotency table: every key inserted is found with its value, the first fact keeps a key,
/// growth and merging lose nothing, and a table restored from its slots answers the same.
@Suite struct FactKeyTableTests {
    func key(_ n: Int) -> FactKey {
        FactKey(source: SourceID(unchecked: "310114-SCJG"), id: FactID(unchecked: "JD-\(n)"))
    }

    @Test func everyInsertedKeyIsFoundAcrossGrowth() {
        var table = FactKeyTable()
        for n in 0..<10_000 { table.insertIfAbsent(key(n), KeyedFact(position: UInt64(n), content: UInt64(n * 7))) }
        #expect(table.count == 10_000)
        for n in stride(from: 0, to: 10_000, by: 97) { #expect(table[key(n)] == KeyedFact(position: UInt64(n), content: UInt64(n * 7))) }
        #expect(table[key(10_001)] == nil)
    }

    @Test func theFirstFactUnderAKeyKeepsIt() {
        var table = FactKeyTable()
        table.insertIfAbsent(key(1), KeyedFact(position: 5, content: 1))
        table.insertIfAbsent(key(1), KeyedFact(position: 9, content: 2))
        #expect(table[key(1)] == KeyedFact(position: 5, content: 1))
        #expect(table.count == 1)
    }

    @Test func mergedAndRestoredTablesAnswerTheSame() {
        var even = FactKeyTable(), odd = FactKeyTable()
        for n in 0..<2_000 {
            if n % 2 == 0 { even.insertIfAbsent(key(n), KeyedFact(position: UInt64(n), content: 0)) }
            else { odd.insertIfAbsent(key(n), KeyedFact(position: UInt64(n), content: 0)) }
        }
        even.merge(odd)
        let restored = FactKeyTable(slots: even.slots)
        #expect(restored.count == 2_000)
        for n in 0..<2_000 { #expect(restored[key(n)]?.position == UInt64(n)) }
    }
}
