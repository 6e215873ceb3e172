import CreditFacts

/// What to generate: how many subjects, over which dates, with which error rates. Everything
/// derives from `seed`, so the same configuration always yields the same bytes.
public struct SynthConfig: Sendable, Hashable {
    /// Seed of the pseudo-random stream.
    public var seed: UInt64
    /// Number of credit subjects (organisations and persons).
    public var subjects: Int
    /// Share of subjects that are natural persons.
    public var personShare: Double = 0.25
    /// First legal date of the stream.
    public var start = LegalDate(year: 2019, month: 7, day: 1)!
    /// Last legal date of any fact (kept inside the holiday data so delays count real working days).
    public var end = LegalDate(year: 2026, month: 6, day: 30)!
    /// Region of the district (GB/T 2260), e.g. 310114 for Shanghai Jiading.
    public var region = "310114"
    /// Fraction of lines repeated verbatim later in the stream (重复报送).
    public var duplicateRate = 0.0
    /// Fraction of lines replaced by an invalid line (bad check character, impossible date, bad JSON).
    public var invalidRate = 0.0
    /// Subjects generated and time-sorted together; the stream is ordered by date within a block.
    public var blockSubjects = 2048

    /// Creates a configuration.
    public init(seed: UInt64, subjects: Int) {
        self.seed = seed
        self.subjects = subjects
    }

    /// The named presets of the issue: `district-small` (~10,000 subjects, ~100,000 facts),
    /// `district` (~300,000 / ~3,000,000) and `city` (~3,000,000 / ~30,000,000).
    public static func preset(_ name: String, seed: UInt64 = 1) -> SynthConfig? {
        switch name {
        case "district-small": SynthConfig(seed: seed, subjects: 10_000)
        case "district": SynthConfig(seed: seed, subjects: 300_000)
        case "city": SynthConfig(seed: seed, subjects: 3_000_000)
        default: nil
        }
    }
}

/// SplitMix64: a small, fast, well-mixed generator whose whole state is one word, so that each
/// subject can get its own stream (`seed` ⊕ subject index) and blocks can be generated independently.
/// Public for anyone who wants the same numbers from the same seed on every run (tests that draw
/// their cases at random, for instance).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The generator's whole state: the next number is a function of it alone.
    public var state: UInt64

    /// A generator whose stream is determined by `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next number of the stream.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range`.
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) * 0x1p-53 < p }

    /// A Poisson-distributed count with mean `mean` (Knuth; means here are small).
    mutating func poisson(_ mean: Double) -> Int {
        let limit = exp(-mean)
        var k = 0, p = 1.0
        repeat { k += 1; p *= Double(next() >> 11) * 0x1p-53 } while p > limit && k < 64
        return k - 1
    }

    /// An element of `items`.
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// An element chosen by weight.
    mutating func weighted<T>(_ items: [(T, Int)]) -> T {
        var r = int(0...(items.reduce(0) { $0 + $1.1 } - 1))
        for (item, weight) in items {
            if r < weight { return item }
            r -= weight
        }
        return items[items.count - 1].0
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
