import CreditFacts
import CreditLedger
import Foundation
import Testing

/// Refusals over HTTP count in the ledger's intake counters (`intake.counts`: data quality,
/// 重错码率) by source and reason, as `credit-ledger import` counts its refused lines — the elements
/// that are not facts as well as the facts the ledger refuses — and survive a restart.
@Suite struct IntakeTests {
    static let source = LiveServer.reporterSource
    let purpose = "purpose=data%20quality"

    @Test func refusedElementsOfAPostAreCountedBySourceAndReason() async throws {
        let server = try await LiveServer()
        // Broken JSON that still names its source, and a code whose check digit is wrong.
        let broken = #"{"id":"B-1","source":"\#(Self.source)","type":"subject.registered","subject":"#
        let badCode = Facts.registration("R-9", subject: "91350100M000100Y44")
        #expect(try await server.post([Facts.registration(), broken, badCode]).status == 422)
        // An array element of an unknown type, and a fact the ledger itself refuses (an unknown decision).
        let unknownType = #"[{"id":"U-1","type":"subject.renamed","subject":"\#(Facts.company)","source":"\#(Self.source)","effective":"2021-01-10","body":{}}]"#
        #expect(try await server.send("POST", "/v1/facts", as: "reporter", body: Data(unknownType.utf8), contentType: "application/json").status == 422)
        let unresolved = #"{"id":"R-4","type":"penalty.performed","subject":"\#(Facts.company)","source":"\#(Self.source)","effective":"2021-01-10","body":{"decisionNo":"沪市监嘉处〔2020〕1号"}}"#
        #expect(try await server.post([unresolved]).status == 422)
        // Broken JSON naming no source is counted under no source.
        #expect(try await server.post(["{"]).status == 422)

        let quality = try await server.send("GET", "/v1/quality?\(purpose)", as: "query")
        #expect(quality.status == 200, "\(quality.text)")
        let byReason = ((quality.json["refused"] as? [String: Any])?["byReason"] as? [String: Int]) ?? [:]
        #expect(byReason["malformedJSON"] == 2)
        #expect(byReason.values.reduce(0, +) == 5, "\(byReason)")
        let sources = quality.json["sources"] as? [[String: Any]] ?? []
        #expect(sources.first { $0["source"] as? String == Self.source }?["refused"] as? Int == 4)
        #expect(sources.first { $0["source"] is NSNull }?["refused"] as? Int == 1)
        try await server.stop()

        // Closing the ledger saved the counters: a reader sees them.
        let reopened = try Ledger.open(directory: server.directory, access: .readOnly)
        let counts = reopened.intake.counts
        #expect(counts.refusals[SourceID(unchecked: Self.source)]?.values.reduce(0, +) == 4)
        #expect(counts.refusals[IntakeCounters.unnamedSource]?["malformedJSON"] == 1)
        try reopened.close()
    }

    @Test func requestsRefusedWholeCountNothing() async throws {
        let server = try await LiveServer()
        let foreign = Facts.registration("R-7", subject: Facts.code(7), source: "310114-SWJ")
        #expect(try await server.post([foreign]).status == 403)
        #expect(try await server.send("POST", "/v1/facts", as: "reporter", body: Data("[1,".utf8), contentType: "application/json").status == 400)
        #expect(try await server.send("POST", "/v1/facts", as: "reporter", body: Data("x".utf8), contentType: "text/plain").status == 415)
        let counts = server.ledger.intake.counts
        #expect(counts.refusals.isEmpty && counts.duplicates.isEmpty && counts.days.isEmpty)
        try await server.stop()
    }
}
