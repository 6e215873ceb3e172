import PropertyBased
@testable import CreditFacts

/// Random valid facts of every type, for property tests. Every constraint a reader enforces is
/// respected (fine ⇔ fineYuan, natural persons ⇔ identity numbers, no minors on the
/// judgment-defaulter list, dates not before the act …) so that every generated fact must be accepted.
struct FactSamples<G: RandomNumberGenerator> {
    var rng: G

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &rng) }
    mutating func bool() -> Bool { Bool.random(using: &rng) }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }
    mutating func maybe<T>(_ make: (inout Self) -> T) -> T? { bool() ? make(&self) : nil }

    /// A valid unified social credit code with a random department, category, region and body.
    mutating func organisation() -> UnifiedSocialCreditCode {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let departments: [(Character, String)] = [("1", "1239"), ("5", "1239"), ("9", "123"), ("9", "123"), ("N", "1239"), ("Y", "1")]
        let (dept, categories) = pick(departments)
        var text = String(dept) + String(pick(Array(categories))) + String(int(110_000...659_999))
        let body = (0..<8).map { _ in pick(alphabet) }
        let weights = [3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(body, weights).reduce(0) { $0 + (Int(String($1.0)) ?? Int($1.0.asciiValue!) - 55) * $1.1 }
        let v = 11 - sum % 11
        text += String(body) + (v == 10 ? "X" : v == 11 ? "0" : String(v))
        let usccWeights = (0..<17).map { i in (0..<i).reduce(1) { acc, _ in acc * 3 % 31 } }
        let s = zip(text, usccWeights).reduce(0) { $0 + alphabet.firstIndex(of: $1.0)! * $1.1 }
        text.append(alphabet[(31 - s % 31) % 31])
        return try! UnifiedSocialCreditCode(text)
    }

    /// A valid citizen identity number born between `years`.
    mutating func person(born years: ClosedRange<Int> = 1940...2012) -> CitizenIdentityNumber {
        let birth = LegalDate(year: int(years), month: int(1...12), day: int(1...28))!
        let (y, m, d) = birth.civil
        let digits = String(int(110_000...659_999)) + String(y) + pad(m, 2) + pad(d, 2) + pad(int(0...999), 3)
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let sum = zip(digits, weights).reduce(0) { $0 + Int(String($1.0))! * $1.1 }
        let check = Array("10X98765432")[sum % 11]
        return try! CitizenIdentityNumber(digits + String(bool() ? check : Character(check.lowercased())))
    }

    /// Text that exercises escaping: Chinese, quotes, backslashes, control characters, emoji.
    mutating func text() -> String {
        let pieces = ["沪市监嘉处", "〔2023〕", "号", "食品", "A", " ", "\"", "\\", "\n", "\u{1}", "😀", "é", "/", "x"]
        return (0..<int(0...6)).map { _ in pick(pieces) }.joined()
    }

    mutating func reference<T: TextIdentifier>(_ type: T.Type) -> T { T(unchecked: "No." + String(int(1...99_999)) + pick(["", "号", "-A"])) }
    mutating func date(from: LegalDate = LegalDate(year: 2019, month: 1, day: 1)!, days: ClosedRange<Int> = 0...2900) -> LegalDate {
        from.adding(days: int(days))
    }
    mutating func money() -> Yuan { Yuan(fen: Int64(int(0...2_000_000_000)))! }
    mutating func choice<T: FactVocabulary>(_ type: T.Type) -> T { pick(T.allCases) }

    mutating func timestamp() -> Timestamp {
        let nanos = pick([0, 0, 250_000_000, 123_456_000, 999_999_999])
        return Timestamp(secondsSinceEpoch: Int64(int(1_546_300_800...1_798_761_600)), nanoseconds: UInt32(nanos),
                         offsetMinutes: Int16(pick([480, 480, 0, -300, 345])))!
    }

    mutating func extras() -> ExtraFields {
        let values = ["1", "\"s\"", "[1,2]", "{\"a\":null}", "true", "\"\\u0041\"", "-0.5e3"]
        return ExtraFields((0..<pick([0, 0, 0, 1, 2])).map { i in .init(name: "x-\(i)-" + String(int(0...9)), json: pick(values)) })
    }
}

/// A tiny deterministic generator (SplitMix64), seeded from the property checker's generator so that
/// a failing case can be replayed from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Valid generated facts for `propertyCheck`.
let generatedFacts = Generator<Fact, Shrink.None<Fact>> { rng in
    var samples = FactSamples(rng: SplitMix64(seed: rng.next()))
    return samples.fact()
}
