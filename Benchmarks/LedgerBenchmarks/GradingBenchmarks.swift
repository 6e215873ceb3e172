import Benchmark
import CreditFacts
import CreditLedger
import Foundation

/// Grading on the district ledger's live views: one subject's grade with its reasons (random
/// subjects, organisations and persons alike) and the distribution over every subject, which must
/// stay under a second.
func gradingBenchmarks(_ fixture: LedgerFixture, asOf: LegalDate) {
    Benchmark(
        "Grading: one subject grade",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 100, maxDuration: .seconds(5), maxIterations: 100_000,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        let subject = fixture.randomSubject()
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.grade(of: subject, asOf: asOf))
    }

    // The counts per level are reported as metrics too: the figures of docs/grading.md.
    let levelCounts = GradeLevel.allCases.map {
        BenchmarkMetric.custom("subjects graded \($0.rawValue)", polarity: .prefersLarger, useScalingFactor: false)
    }
    Benchmark(
        "Grading: distribution (district)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident] + levelCounts, warmupIterations: 1, maxDuration: .seconds(20),
            maxIterations: 10, setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        let distribution = try fixture.ledger!.gradeDistribution(asOf: asOf)
        benchmark.stopMeasurement()
        for (metric, row) in zip(levelCounts, distribution.rows) { benchmark.measurement(metric, row.count) }
    }

    Benchmark(
        "Grading: inspection draw (district)",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { _ in
        blackHole(try fixture.ledger!.inspectionDraw(asOf: asOf, seed: 20240630))
    }
}
