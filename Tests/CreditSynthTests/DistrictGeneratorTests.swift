import CreditFacts
import Foundation
import Testing
@testable import CreditSynth

/// Synthetic district streams: deterministic, valid, referentially sound, with requested noise.
@Suite struct DistrictGeneratorTests {
    static let small: SynthConfig = { var c = SynthConfig(seed: 7, subjects: 500); c.blockSubjects = 128; return c }()

    /// The stream as canonical lines.
    func lines(_ config: SynthConfig) throws -> [String] {
        var out: [String] = []
        _ = try DistrictGenerator(config: config).generate { line in
            switch line {
            case .fact(let f), .duplicate(let f): out.append(FactJSONCodec.encode(f))
            case .invalid(let text, _): out.append(text)
            }
        }
        return out
    }

    @Test func sameSeedGivesTheSameBytesAndAnotherSeedDoesNot() throws {
        let a = try lines(Self.small)
        #expect(a == (try lines(Self.small)))
        var other = Self.small
        other.seed = 8
        #expect(a != (try lines(other)))
    }

    @Test func everyGeneratedLineIsAcceptedByTheReader() throws {
        let text = try lines(Self.small).joined(separator: "\n")
        var reader = JSONLinesReader()
        var refused: [FactError] = []
        var accepted = 0
        reader.read(bytes: Array(text.utf8)) { result in
            switch result {
            case .fact: accepted += 1
            case .refused(let e): refused.append(e)
            }
        }
        #expect(refused.isEmpty, "\(refused.prefix(3))")
        #expect(accepted > 500 * 5)
    }

    @Test func everyReferencePointsAtAnEarlierFactOfTheSameSubject() throws {
        var seen = Set<String>()
        _ = try DistrictGenerator(config: Self.small).generate { line in
            guard case .fact(let f) = line else { return }
            let s = f.subject.description
            for key in Self.references(f) { #expect(seen.contains(s + "|" + key), "\(f.id) refers to \(key) before it exists") }
            for key in Self.definitions(f) { seen.insert(s + "|" + key) }
        }
    }

    @Test func everyFactTypeAndEveryCommitmentKindOccurs() throws {
        var config = Self.small
        config.subjects = 4000
        var kinds = Set<CommitmentKind>()
        let stats = try DistrictGenerator(config: config).generate { line in
            if case .fact(let f) = line, case .commitmentMade(let c) = f.body { kinds.insert(c.kind) }
        }
        #expect(stats.byType.allSatisfy { $0 > 0 }, "\(zip(FactType.allCases, stats.byType).filter { $0.1 == 0 })")
        #expect(kinds.count == CommitmentKind.allCases.count)
        #expect(Double(stats.facts) / Double(stats.subjects) > 8)
    }

    @Test func mostReportsArriveWithinSevenWorkingDays() throws {
        let calendar = try WorkingDayCalendar.chinaMainland()
        var onTime = 0, total = 0
        _ = try DistrictGenerator(config: Self.small).generate { line in
            guard case .fact(let f) = line, let reported = f.reported else { return }
            total += 1
            if (try? calendar.workingDays(after: f.effective, through: reported.chinaStandardDate)) ?? 99 <= 7 { onTime += 1 }
        }
        let share = Double(onTime) / Double(total)
        #expect(share > 0.8 && share < 0.95)
    }

    @Test func requestedRatesOfDuplicatesAndInvalidLinesAreProducedAndRefused() throws {
        var config = Self.small
        config.duplicateRate = 0.02
        config.invalidRate = 0.01
        var invalid: [String] = []
        let stats = try DistrictGenerator(config: config).generate { line in
            if case .invalid(let text, _) = line { invalid.append(text) }
        }
        #expect(stats.duplicates > 0 && stats.invalid == invalid.count && !invalid.isEmpty)
        let rate = Double(stats.invalid) / Double(stats.facts + stats.invalid)
        #expect(rate > 0.005 && rate < 0.02)
        var reader = JSONLinesReader()
        var refusedCount = 0
        reader.read(bytes: Array(invalid.joined(separator: "\n").utf8)) { if case .refused = $0 { refusedCount += 1 } }
        #expect(refusedCount == invalid.count)
    }

    @Test func noTwoSubjectsOfADistrictShareACode() throws {
        // Codes drawn at random collided (about 14 persons among 100,000 subjects, 130 in a
        // district, thousands in a city), merging two stories into one subject whose facts the
        // ledger could refuse.
        let config = SynthConfig(seed: 1, subjects: 100_000)
        let calendar = try WorkingDayCalendar.chinaMainland()
        var codes = Set<SubjectCode>()
        var persons = 0
        for index in 0..<config.subjects {
            let code = SubjectStory(index: index, config: config, calendar: calendar).subject
            if case .person = code { persons += 1 }
            codes.insert(code)
        }
        #expect(codes.count == config.subjects)
        #expect(persons > config.subjects / 5 && persons < config.subjects / 3)
    }

    @Test func presetsHaveTheSizesOfTheIssue() {
        #expect(SynthConfig.preset("district-small")?.subjects == 10_000)
        #expect(SynthConfig.preset("district")?.subjects == 300_000)
        #expect(SynthConfig.preset("city")?.subjects == 3_000_000)
        #expect(SynthConfig.preset("province") == nil)
    }

    /// Keys a fact refers to.
    static func references(_ f: Fact) -> [String] {
        switch f.body {
        case .penaltyPerformed(let p): ["D" + p.decisionNo.text]
        case .penaltyRevoked(let p): ["D" + p.decisionNo.text]
        case .commitmentFulfilled(let c): ["C" + c.commitmentNo.text]
        case .commitmentBreached(let c): ["C" + c.commitmentNo.text]
        case .listExited(let l): ["L" + l.listNo.text]
        case .repairApplied(let r):
            (r.commitmentNo.map { ["C" + $0.text] } ?? []) + [{ switch r.target { case .decision(let d): "D" + d.text; case .list(let l): "L" + l.text; case .commitment(let c): "C" + c.text } }()]
        case .repairDecided(let r): ["R" + r.repairNo.text]
        case .repairAccepted(let r): ["R" + r.repairNo.text]
        case .objectionAccepted(let o): ["O" + o.objectionNo.text]
        case .objectionRaised(let o):
            [{ switch o.target { case .decision(let d): "D" + d.text; case .list(let l): "L" + l.text; case .commitment(let c): "C" + c.text } }()]
        case .objectionResolved(let o): ["O" + o.objectionNo.text]
        default: []
        }
    }

    /// Keys a fact defines.
    static func definitions(_ f: Fact) -> [String] {
        switch f.body {
        case .penaltyDecided(let p): ["D" + p.decisionNo.text]
        case .commitmentMade(let c): ["C" + c.commitmentNo.text]
        case .listEntered(let l): ["L" + l.listNo.text]
        case .repairApplied(let r): ["R" + r.repairNo.text]
        case .objectionRaised(let o): ["O" + o.objectionNo.text]
        default: []
        }
    }
}
