import Benchmark
import CreditFacts
import CreditLedger
import Foundation

/// The matcher of the bundled national catalogue and default grading model, built once.
nonisolated(unsafe) var measureMatcher: Matcher?
/// Subjects with something that can trigger a measure: subjects on a list and persons in roles of
/// organisations on a list (read once from the live views).
nonisolated(unsafe) var measureCandidates: [SubjectCode] = []
/// The scenes a department asks about (not `other`).
let measureScenes = MeasureScene.allCases.filter { $0 != .other }

func measureBenchmarks(_ fixture: LedgerFixture, asOf: LegalDate) {
    let setup = {
        let ledger = try fixture.districtLedger()
        if measureMatcher == nil { measureMatcher = try ledger.matcher() }
        guard measureCandidates.isEmpty else { return }
        measureCandidates = try ledger.withViews { views -> [SubjectCode] in
            let listed = views.view(ListRegister.self)!.subjects
            let registry = views.view(SubjectRegistry.self)!
            let persons = listed.flatMap { registry.entry($0)?.roles.map { SubjectCode.person($0.person) } ?? [] }
            return Array(Set(listed + persons)).sorted()
        }
    }

    Benchmark(
        "Measures: match one subject (district)",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 1_000, maxDuration: .seconds(10), maxIterations: 200_000,
            setup: setup, teardown: { fixture.close() })
    ) { benchmark in
        let subject = fixture.randomSubject()
        let scene = measureScenes[Int.random(in: 0..<measureScenes.count, using: &fixture.random)]
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.match(subject, scene: scene, asOf: asOf, matcher: measureMatcher!))
    }

    Benchmark(
        "Measures: match a listed subject or a person in its roles (district)",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 1_000, maxDuration: .seconds(10), maxIterations: 200_000,
            setup: setup, teardown: { fixture.close() })
    ) { benchmark in
        let subject = measureCandidates[Int.random(in: 0..<measureCandidates.count, using: &fixture.random)]
        let scene = measureScenes[Int.random(in: 0..<measureScenes.count, using: &fixture.random)]
        benchmark.startMeasurement()
        blackHole(try fixture.ledger!.match(subject, scene: scene, asOf: asOf, matcher: measureMatcher!))
    }

    Benchmark(
        "Measures: notifications while catching up, first 200,000 district facts",
        configuration: .init(
            metrics: [.wallClock, factsPerSecond], warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 3,
            setup: setup, teardown: { fixture.close() })
    ) { benchmark in
        let notifier = MeasureNotifier(matcher: measureMatcher!)
        var views = ViewSet(MeasureNotifier.viewTypes)
        var facts = 0, notifications = 0
        let seconds = try elapsedSeconds {
            try fixture.ledger!.forEachFact(through: 200_000) { recorded in
                facts += 1
                notifications += try notifier.advance(&views, with: recorded).count
            }
        }
        blackHole(notifications)
        benchmark.measurement(factsPerSecond, Int(Double(facts) / seconds))
    }

    Benchmark(
        "Measures: feedback report for one year (district)",
        configuration: .init(
            metrics: [.wallClock], warmupIterations: 0, maxDuration: .seconds(60), maxIterations: 3,
            setup: setup, teardown: { fixture.close() })
    ) { _ in
        blackHole(try fixture.ledger!.measureFeedback(
            from: LegalDate(year: 2023, month: 7, day: 1)!, to: asOf, catalogue: measureMatcher!.catalogue))
    }
}

extension Ledger {
    /// Calls `body` with the first `count` facts in log order.
    func forEachFact(through count: Int, _ body: (RecordedFact) throws -> Void) throws {
        var seen = 0
        struct Done: Error {}
        do {
            try forEachFact { recorded in
                guard seen < count else { throw Done() }
                seen += 1
                try body(recorded)
            }
        } catch is Done {}
    }
}
