import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// Lines the reader refuses are counted in the data-quality figures, by source and reason:
/// 统一社会信用代码重错码率 (the seeds' < 0.01 % target) needs every refused code, not only the
/// refusals found after decoding.
@Suite struct RefusalCountTests {
    let directory = TemporaryDirectory()

    /// The audited lines: a bad check character (错码), malformed JSON after the source, malformed
    /// JSON before it, and an impossible date — none of which reached the counts before.
    static let lines = [
        #"{"id":"BAD-1","type":"subject.registered","subject":"91350100M000100Y44","source":"310114-SCJG","effective":"2023-03-01","body":{"name":"错码公司","kind":"enterprise","region":"310114"}}"#,
        #"{"id":"BAD-2","type":"penalty.decided","source":"310114-SW","subject":"91350100M000100Y43","effective":"2023-03-01","body":{"decisionNo":"D-1",,}}"#,
        #"{"id":"BAD-3","type":"penalty.decided" "source":"310114-SW","effective":"2023-03-01"}"#,
        #"{"id":"BAD-4","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2023-02-30","body":{"name":"日期公司","kind":"enterprise","region":"310114"}}"#,
    ]

    @Test func linesTheReaderRefusesAreCountedBySourceAndReasonAndSurviveAReopen() throws {
        var ledger: Ledger? = try Status.ledger(directory)
        let source = FactSource.bytes(Array(Self.lines.joined(separator: "\n").utf8), name: "bad.jsonl")
        let summary = try ledger!.importFacts(from: source, options: ImportOptions(mode: .allOrNothing))
        #expect(summary.refusedCount == 4 && summary.appended == 0)
        try ledger!.close()
        ledger = nil
        // The counts are kept in the intake counters' file, so they survive the process.
        let reopened = try Status.ledger(directory)
        let report = try reopened.withView(DataQuality.self) {
            $0.report(asOf: date("2023-12-31"), context: reopened.context, intake: reopened.intake.counts)
        }
        let bySource = Dictionary(uniqueKeysWithValues: report.map { ($0.source.text, $0) })
        let market = try #require(bySource["310114-SCJG"])
        #expect(market.refusals.map(\.kind) == ["invalidCode", "invalidDate"] && market.refused == 2 && market.codeErrors == 1)
        #expect(bySource["310114-SW"]?.refusals.map(\.kind) == ["malformedJSON"])
        // Broken before its source: counted, under no source.
        let unnamed = try #require(bySource[IntakeCounters.unnamedSource.text])
        #expect(unnamed.refusals.map(\.kind) == ["malformedJSON"] && unnamed.codeErrors == 0)
        try reopened.close()
    }
}
