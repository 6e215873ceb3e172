import Benchmark
import CreditFacts
import CreditLedger
import Foundation

/// The credit office's reports on the district ledger's live views: the yearly indicators (issue 19
/// asks ≤ 2 s on the `district` preset), the same cut by month, and the abnormal-operation list.
func officeBenchmarks(_ fixture: LedgerFixture, asOf: LegalDate) {
    let from = LegalDate(year: asOf.civil.year, month: 1, day: 1)!, through = LegalDate(year: asOf.civil.year, month: 12, day: 31)!
    for kind in [IndicatorPeriodKind.year, .month] {
        Benchmark(
            "Office: indicators for a year by \(kind.rawValue) (district)",
            configuration: .init(
                metrics: [.wallClock, .cpuTotal, .peakMemoryResident], warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
                setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
        ) { _ in
            blackHole(try fixture.ledger!.indicators(from: from, through: through, by: kind))
        }
    }

    Benchmark(
        "Office: abnormal-operation list (district)",
        configuration: .init(
            metrics: [.wallClock, .cpuTotal], warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { _ in
        blackHole(try fixture.ledger!.lists(.abnormalOperation, asOf: asOf))
    }
}
