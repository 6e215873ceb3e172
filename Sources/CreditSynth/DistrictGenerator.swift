import CreditFacts

/// One line of a synthetic stream: a valid fact, a verbatim repeat of an earlier line (a duplicate
/// report), or an invalid line that a reader must refuse.
public enum SynthLine: Sendable {
    /// A valid fact.
    case fact(Fact)
    /// A repeat of an earlier fact, byte for byte.
    case duplicate(Fact)
    /// A line that breaks INTERCHANGE v1, and why.
    case invalid(line: String, reason: String)
}

/// Counts of what was generated.
public struct SynthStats: Sendable, Hashable {
    /// Subjects generated.
    public var subjects = 0
    /// Valid facts (not counting duplicates).
    public var facts = 0
    /// Duplicate lines.
    public var duplicates = 0
    /// Invalid lines.
    public var invalid = 0
    /// Facts per type, in ``FactType`` order.
    public var byType = [Int](repeating: 0, count: FactType.allCases.count)
}

/// A deterministic generator of realistic district streams (see ``SynthConfig``).
///
/// Subjects are generated in blocks of ``SynthConfig/blockSubjects``; within a block, lines are in
/// order of effective date (then subject, then creation), so every reference points at an earlier
/// line of the same subject. Memory is bounded by one block whatever the preset.
public struct DistrictGenerator: Sendable {
    /// The configuration.
    public let config: SynthConfig
    private let calendar: WorkingDayCalendar
    /// Position of each fact type in ``SynthStats/byType`` (a lookup only; never iterated).
    static let typeIndex: [FactType: Int] = Dictionary(uniqueKeysWithValues: FactType.allCases.enumerated().map { ($1, $0) })

    /// Creates a generator.
    /// - Throws: if the bundled holiday data cannot be loaded.
    public init(config: SynthConfig) throws {
        self.config = config
        calendar = try WorkingDayCalendar.chinaMainland()
    }

    /// Generates the stream, calling `emit` for each line in order.
    public func generate(_ emit: (SynthLine) throws -> Void) rethrows -> SynthStats {
        var stats = SynthStats()
        var noise = SplitMix64(seed: config.seed ^ 0xD1B5_4A32_D192_ED03)
        var recent: [Fact] = []
        var first = 0
        while first < config.subjects {
            let last = min(first + config.blockSubjects, config.subjects)
            // Sort small keys (date, subject, creation order, position), not the facts themselves:
            // moving facts around in a sort measured as a third of generation time.
            var facts: [Fact] = []
            var keys: [(date: Int32, subject: Int32, order: Int32, position: Int32)] = []
            for index in first..<last {
                var story = SubjectStory(index: index, config: config, calendar: calendar)
                story.generate()
                for (order, entry) in story.facts.enumerated() {
                    keys.append((entry.date.daysSinceEpoch, Int32(index), Int32(order), Int32(facts.count)))
                    facts.append(entry.fact)
                }
            }
            keys.sort { ($0.date, $0.subject, $0.order) < ($1.date, $1.subject, $1.order) }
            for key in keys {
                try emitWithNoise(facts[Int(key.position)], &noise, &recent, &stats, emit)
            }
            stats.subjects += last - first
            first = last
        }
        return stats
    }

    /// Emits a fact, and at the configured rates a duplicate of a recent fact or an invalid line.
    private func emitWithNoise(_ fact: Fact, _ noise: inout SplitMix64, _ recent: inout [Fact],
                               _ stats: inout SynthStats, _ emit: (SynthLine) throws -> Void) rethrows {
        if config.invalidRate > 0, noise.chance(config.invalidRate) {
            let (line, reason) = InvalidLines.corrupt(fact, &noise)
            stats.invalid += 1
            try emit(.invalid(line: line, reason: reason))
            return
        }
        try emit(.fact(fact))
        stats.facts += 1
        stats.byType[DistrictGenerator.typeIndex[fact.type]!] += 1
        if config.duplicateRate > 0 {
            if recent.count < 64 { recent.append(fact) } else { recent[noise.int(0...63)] = fact }
            if noise.chance(config.duplicateRate) {
                stats.duplicates += 1
                try emit(.duplicate(noise.pick(recent)))
            }
        }
    }

    /// Writes the stream as JSON Lines to `path`.
    /// - Throws: ``JSONLinesIOError``.
    public func write(to path: String) throws -> SynthStats {
        let writer = try JSONLinesWriter(path: path)
        let stats = try generate { line in
            switch line {
            case .fact(let f), .duplicate(let f): try writer.write(f)
            case .invalid(let text, _): try writer.writeRaw(text)
            }
        }
        try writer.close()
        return stats
    }
}

/// Ways to break a valid line, each one a refusal INTERCHANGE v1 lists.
enum InvalidLines {
    /// A variant of the canonical line of `fact` that a reader must refuse, and the reason it will give.
    static func corrupt(_ fact: Fact, _ rng: inout SplitMix64) -> (String, String) {
        let line = FactJSONCodec.encode(fact)
        switch rng.int(0...3) {
        case 0:
            let code = fact.subject.description
            let bad = String(code.dropLast()) + (code.last == "0" ? "1" : "0")
            return (line.replacingOccurrences(of: "\"subject\":\"\(code)\"", with: "\"subject\":\"\(bad)\""), "subject check character (错码)")
        case 1:
            return (line.replacingOccurrences(of: "\"effective\":\"\(fact.effective)\"", with: "\"effective\":\"2023-02-30\""), "date that does not exist")
        case 2:
            return (String(line.dropLast(2)), "malformed JSON")
        default:
            return (line.replacingOccurrences(of: "\"type\":\"\(fact.type.rawValue)\"", with: "\"type\":\"unknown.type\""), "unknown type")
        }
    }
}
