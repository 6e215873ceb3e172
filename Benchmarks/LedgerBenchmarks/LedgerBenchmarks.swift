// Ledger benchmarks (package-benchmark) over synthetic district streams (CreditSynth).
//   swift package --disable-sandbox benchmark --target LedgerBenchmarks
// The district ledger is built once under $TMPDIR and reused while its head matches the preset.
import Benchmark
import CreditFacts
import CreditLedger
import CreditSynth
import Foundation
import LedgerStorage

/// Ledgers and facts prepared by setups and used by the measured closures. Benchmarks run one at
/// a time, so plain shared state is safe here.
final class LedgerFixture: @unchecked Sendable {
    static let shared = LedgerFixture()
    var ledger: Ledger?
    var facts: [Fact] = []
    var subjects: [SubjectCode] = []
    var midpoint = RecordedTime(microsecondsSinceEpoch: 0)
    var directory = ""
    var random = SystemRandomNumberGenerator()

    /// The facts of a preset's stream, in order.
    static func facts(preset: String) throws -> [Fact] {
        var facts: [Fact] = []
        _ = try DistrictGenerator(config: SynthConfig.preset(preset)!).generate { line in
            if case .fact(let fact) = line { facts.append(fact) }
        }
        return facts
    }

    /// A ledger holding the whole preset, written once and kept for later runs.
    func districtLedger(_ preset: String = "district") throws -> Ledger {
        if let ledger { return ledger }
        directory = NSTemporaryDirectory() + "credit-ledger-bench-\(preset)"
        let all = try Self.facts(preset: preset)
        if let existing = try? Ledger.open(directory: directory), (try? existing.head.recordCount) == UInt64(all.count) {
            ledger = existing
        } else {
            try? FileManager.default.removeItem(atPath: directory)
            let fresh = try Ledger.open(directory: directory)
            for start in stride(from: 0, to: all.count, by: 10_000) {
                try fresh.append(Array(all[start..<min(start + 10_000, all.count)]))
            }
            try fresh.snapshot()
            ledger = fresh
        }
        subjects = Array(Set(all.map(\.subject))).sorted()
        let head = try ledger!.head
        midpoint = try ledger!.fact(at: Position(head.recordCount / 2)).recorded
        return ledger!
    }

    func close() {
        try? ledger?.close()
        ledger = nil
    }

    func randomSubject() -> SubjectCode { subjects[Int.random(in: 0..<subjects.count, using: &random)] }
}

let factsPerSecond = BenchmarkMetric.custom("facts/s", polarity: .prefersLarger, useScalingFactor: false)

func elapsedSeconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let benchmarks: @Sendable () -> Void = {
    let fixture = LedgerFixture.shared
    let asOf = LegalDate(year: 2024, month: 6, day: 30)!
    penetrationBenchmarks(fixture, asOf: asOf)
    gradingBenchmarks(fixture, asOf: asOf)
    measureBenchmarks(fixture, asOf: asOf)
    subjectBenchmarks(fixture, asOf: asOf)
    officeBenchmarks(fixture, asOf: asOf)

    Benchmark(
        "Append through views, 10,000 district facts per call",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal, factsPerSecond], warmupIterations: 0, maxDuration: .seconds(20), maxIterations: 100,
            setup: {
                fixture.facts = try LedgerFixture.facts(preset: "district")
                fixture.directory = NSTemporaryDirectory() + "credit-ledger-bench-append-\(getpid())"
                try? FileManager.default.removeItem(atPath: fixture.directory)
                fixture.ledger = try Ledger.open(directory: fixture.directory)
            },
            teardown: {
                fixture.close()
                try? FileManager.default.removeItem(atPath: fixture.directory)
            })
    ) { benchmark in
        let ledger = fixture.ledger!
        let start = Int(try ledger.head.recordCount)
        let batch = Array(fixture.facts[start..<min(start + 10_000, fixture.facts.count)])
        let seconds = try elapsedSeconds { try ledger.append(batch) }
        benchmark.measurement(factsPerSecond, Int(Double(batch.count) / seconds))
    }

    Benchmark(
        "Replay district into all views (every core)",
        configuration: .init(
            metrics: [.wallClock, factsPerSecond, .peakMemoryResident], warmupIterations: 1, maxDuration: .seconds(30),
            maxIterations: 10, setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        var rebuilt: (views: ViewSet, facts: UInt64)?
        let seconds = try elapsedSeconds { rebuilt = try fixture.ledger!.rebuild() }
        benchmark.measurement(factsPerSecond, Int(Double(rebuilt!.facts) / seconds))
        benchmark.stopMeasurement()   // releasing the rebuilt views is not part of the replay
        rebuilt = nil
    }

    Benchmark(
        "Replay district into all views and the ledger index (open without snapshot)",
        configuration: .init(
            metrics: [.wallClock, factsPerSecond], warmupIterations: 0, maxDuration: .seconds(30),
            maxIterations: 4, setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        var rebuilt: (views: ViewSet, facts: UInt64)?
        let seconds = try elapsedSeconds { rebuilt = try fixture.ledger!.rebuild(includingIndex: true) }
        benchmark.measurement(factsPerSecond, Int(Double(rebuilt!.facts) / seconds))
        benchmark.stopMeasurement()
        rebuilt = nil
    }

    Benchmark(
        "Open district ledger with snapshot",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 1, maxDuration: .seconds(30), maxIterations: 10,
            setup: { _ = try fixture.districtLedger(); fixture.close() })
    ) { benchmark in
        let ledger = try Ledger.open(directory: fixture.directory)
        blackHole(try ledger.head)
        benchmark.stopMeasurement()
        try ledger.close()
    }

    Benchmark(
        "Current-state query, district (registry profile)",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 100, maxDuration: .seconds(5), maxIterations: 100_000,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        let subject = fixture.randomSubject()
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.withView(SubjectRegistry.self) { $0.profile(subject, asOf: asOf) })
    }

    Benchmark(
        "Single-subject query at a past instant, district",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal], warmupIterations: 10, maxDuration: .seconds(5), maxIterations: 20_000,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        let subject = fixture.randomSubject()
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.subjectView(SubjectRegistry.self, subject: subject, knownAt: fixture.midpoint))
    }
}
