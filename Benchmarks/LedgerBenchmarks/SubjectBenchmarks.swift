import Benchmark
import CreditFacts
import CreditLedger
import Foundation

/// The `subject` query as a whole (what `credit-ledger subject --json` prints, before rendering):
/// standing, grade with reasons, measures in every scene, a person's linked records, early
/// warnings and the credit report. Subjects are taken in a fixed stride through the district's
/// sorted subjects, so two trees measure the same sequence.
func subjectBenchmarks(_ fixture: LedgerFixture, asOf: LegalDate) {
    nonisolated(unsafe) var next = 0
    Benchmark(
        "Subject: whole document, district, now",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 50, maxDuration: .seconds(10), maxIterations: 20_000,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        let subjects = fixture.subjects
        let subject = subjects[(next * 7919) % subjects.count]
        next += 1
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.subjectDocument(of: subject, asOf: asOf))
    }

    nonisolated(unsafe) var nextPast = 0
    Benchmark(
        "Subject: whole document, district, known at the midpoint",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal], warmupIterations: 10, maxDuration: .seconds(10), maxIterations: 5_000,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { benchmark in
        let subjects = fixture.subjects
        let subject = subjects[(nextPast * 7919) % subjects.count]
        nextPast += 1
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.subjectDocument(of: subject, asOf: asOf, knownAt: fixture.midpoint))
    }
}
