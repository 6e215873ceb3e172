import CreditFacts
import Foundation
import LedgerStorage
import Synchronization
import Testing
@testable import CreditLedger

/// What a query reads while appends go on: the live views, compared with what they hold (not with
/// the log's head).
@Suite struct LiveReadTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()

    func companyFacts(_ n: Int) -> [Fact] {
        [Facts.registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01"),
         Facts.role("assigned", Codes.enterprise(n), person: Codes.person(n), on: "2021-01-01")]
    }

    /// Appends to the log alone, as a group commit is between the log publishing it and the views
    /// applying it.
    func appendToTheLogOnly(_ ledger: Ledger, _ facts: [Fact]) throws {
        let entries = facts.map { fact -> LogEntry in
            var fact = fact
            fact.recorded = nil
            return LogEntry(payload: BinaryFactCodec.encode(fact))
        }
        _ = try ledger.log.append(entries, ifHeadIs: nil)
    }

    /// The hazard of a report or digest asked during appends: bound to the history the views stand
    /// at, it is answered from the live views — not by replaying the log or rebuilding every view
    /// because the log's head has moved on — and gives the answer of exactly that history.
    @Test func aQuestionAtTheViewsInstantIsAnsweredLiveWhileTheLogIsAhead() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        for n in 0..<5 { try ledger.append(companyFacts(n)) }
        let asOf = date("2023-01-01")
        let binding = try ledger.binding(knownAt: nil)
        let digest = try ledger.digest(asOf: asOf, knownAt: binding.knownAt)
        #expect(binding.head.size == 10)

        try appendToTheLogOnly(ledger, companyFacts(5))
        let logHead = try ledger.head
        #expect(logHead.recordCount == 12)

        // Still bound to what the views hold, and answered from them.
        #expect(try ledger.binding(knownAt: nil) == binding)
        let read = try ledger.readLive(knownAt: binding.knownAt) { $0.views.view(SubjectRegistry.self)!.count }
        guard case .answered(let registered) = read else {
            Issue.record("a question at the views' instant was not answered live: \(read)")
            return
        }
        #expect(registered == 5)
        #expect(try ledger.digest(asOf: asOf, knownAt: binding.knownAt) == digest)
        #expect(try ledger.holdsFacts(about: subject(Codes.enterprise(4)), knownAt: binding.knownAt))

        // As known at the unapplied facts' instant: never from views that lack them.
        let later = try #require(logHead.lastRecordedTime)
        guard case .past(let end) = try ledger.readLive(knownAt: later, { _ in () }) else {
            Issue.record("a question past what the views hold was answered from them")
            return
        }
        #expect(end == logHead.nextPosition)
        #expect(try ledger.withView(SubjectRegistry.self, knownAt: later) { $0.count } == 6)
        #expect(try !ledger.holdsFacts(about: subject(Codes.enterprise(5)), knownAt: binding.knownAt))
        // Now is what the views hold.
        #expect(try ledger.withView(SubjectRegistry.self) { $0.count } == 5)
    }
}
