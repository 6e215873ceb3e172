import Benchmark
import CreditFacts
import CreditLedger
import Foundation

/// Persons who hold or held a role in a district organisation, sorted (read once from the log).
nonisolated(unsafe) var roleHolders: [CitizenIdentityNumber] = []

func penetrationBenchmarks(_ fixture: LedgerFixture, asOf: LegalDate) {
    let setup = {
        let ledger = try fixture.districtLedger()
        guard roleHolders.isEmpty else { return }
        var persons = Set<CitizenIdentityNumber>()
        try ledger.forEachFact { recorded in
            if case .roleAssigned(let change) = recorded.fact.body { persons.insert(change.person) }
        }
        roleHolders = persons.sorted()
    }

    Benchmark(
        "Penetration: a person's linked records, district",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 100, maxDuration: .seconds(5), maxIterations: 100_000,
            setup: setup, teardown: { fixture.close() })
    ) { benchmark in
        let person = roleHolders[Int.random(in: 0..<roleHolders.count, using: &fixture.random)]
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.personPenetration(of: person, asOf: asOf))
    }

    Benchmark(
        "Penetration: coverage over every organisation, district",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 1, maxDuration: .seconds(20), maxIterations: 10,
            setup: { _ = try fixture.districtLedger() }, teardown: { fixture.close() })
    ) { _ in
        blackHole(try fixture.ledger!.penetrationCoverage(asOf: asOf))
    }
}
