import CreditFacts
import Foundation
import LedgerStorage
import Synchronization
import Testing
@testable import CreditLedger

/// What a query reads while appends go on: the live views, compared with what they hold (not with
/// the log's head), a group commit applied in runs of whole parts, and answers bound to a history.
@Suite struct LiveReadTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()

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
        for n in 0..<5 { try ledger.append(Facts.company(n)) }
        let asOf = date("2023-01-01")
        let binding = try ledger.binding(knownAt: nil)
        let digest = try ledger.digest(asOf: asOf, knownAt: binding.knownAt)
        #expect(binding.head.size == 10)

        try appendToTheLogOnly(ledger, Facts.company(5))
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

    /// A binding of the empty ledger pins the empty history: asked with it after the first facts
    /// land, a digest is still the empty ledger's, and a subject is still unknown.
    @Test func aBindingOfTheEmptyLedgerStaysEmptyWhenFactsArrive() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        let asOf = date("2023-01-01")
        let binding = try ledger.binding(knownAt: nil)
        #expect(binding.head.size == 0)
        let empty = try ledger.digest(asOf: asOf, knownAt: binding.knownAt)
        try ledger.append(Facts.company(0))
        #expect(try ledger.digest(asOf: asOf, knownAt: binding.knownAt) == empty)
        #expect(try ledger.digest(asOf: asOf) != empty)
        #expect(try !ledger.holdsFacts(about: subject(Codes.enterprise(0)), knownAt: binding.knownAt))
        #expect(try ledger.withView(SubjectRegistry.self, knownAt: binding.knownAt) { $0.count } == 0)
    }

    /// Runs of a group commit end only where a part ends, at or past `applyRun` facts.
    @Test func aGroupCommitIsAppliedInRunsOfWholeParts() {
        let fact = Facts.company(0)[0]
        let append = Planned.append(payload: [], recordedTime: RecordedTime(microsecondsSinceEpoch: 1), contentHash: 0, fact: fact, key: FactKey(source: fact.source, id: fact.id))
        let duplicate = Planned.duplicate(of: Position(0), batchIndex: nil)
        let run = Ledger.applyRun
        // One part: one run.
        #expect(Ledger.runEnds(Array(repeating: append, count: 500), parts: nil) == [500])
        #expect(Ledger.runEnds(Array(repeating: append, count: 500), parts: [500]) == [500])
        // Parts of 2: runs of `applyRun` rounded up to a whole part, the rest in the last.
        let pairs = Ledger.runEnds(Array(repeating: append, count: 200), parts: Array(repeating: 2, count: 100))
        let step = run + run % 2
        #expect(pairs == Array(stride(from: step, to: 200, by: step)) + [200])
        // Parts of 100: each its own run.
        #expect(Ledger.runEnds(Array(repeating: append, count: 300), parts: [100, 100, 100]) == [100, 200, 300])
        // Duplicates are not applied: counted out, and a part of duplicates alone makes no run.
        let mixed = Array(repeating: append, count: run) + [duplicate, duplicate] + [append]
        #expect(Ledger.runEnds(mixed, parts: [run, 2, 1]) == [run, run + 1])
        #expect(Ledger.runEnds([duplicate, duplicate], parts: [2]) == [])
        #expect(Ledger.runEnds([], parts: []) == [])
    }

    /// The server's group commits: many requests in one append, each request's facts seen whole by
    /// queries racing the append (a company and its legal representative, always together), and
    /// the views at the log's head with the digest of a replay afterwards.
    @Test func queriesRacingACombinedAppendSeeEachPartWhole() async throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        let calls = 6, perCall = 100
        let done = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for call in 0..<calls {
                    let facts = (0..<perCall).flatMap { Facts.company(call * perCall + $0) }
                    let receipts = try ledger.append(facts, parts: Array(repeating: 2, count: perCall))
                    #expect(receipts.count == facts.count)
                }
                done.value.store(true, ordering: .releasing)
            }
            for _ in 0..<2 {
                group.addTask {
                    while !done.value.load(ordering: .acquiring) {
                        let (subjects, holders) = try ledger.withView(SubjectRegistry.self) { registry in
                            (registry.count, (0..<(calls * perCall)).reduce(0) { sum, n in
                                sum + registry.holders(of: .legalRepresentative, in: subject(Codes.enterprise(n)), on: date("2022-01-01")).count
                            })
                        }
                        #expect(subjects == holders)
                    }
                }
            }
            try await group.waitForAll()
        }
        let head = try ledger.head
        #expect(head.recordCount == UInt64(2 * calls * perCall))
        #expect(ledger.state.withLock { $0.viewsPoint } == Ledger.ViewsPoint(next: head.nextPosition, lastRecorded: head.lastRecordedTime))
        let asOf = date("2023-01-01")
        #expect(try ledger.digest(asOf: asOf) == Ledger.digest(of: try ledger.rebuild().views, asOf: asOf, context: ledger.context))
    }

    /// Reports and digests bound to a history (``HistoryBinding``) while group commits are applied
    /// in runs: each digest is the digest of exactly the facts its binding names, as a replay of
    /// that many facts computes it afterwards.
    @Test func boundDigestsRacingAppendsAreOfExactlyTheHistoryTheyName() async throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration(clock: clock))
        let asOf = date("2023-01-01")
        let done = Flag()
        let seen = Digests()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for call in 0..<8 {
                    let facts = (0..<60).flatMap { Facts.company(call * 60 + $0) }
                    try ledger.append(facts, parts: Array(repeating: 2, count: 60))
                }
                done.value.store(true, ordering: .releasing)
            }
            for _ in 0..<2 {
                group.addTask {
                    // At least once, even when the appends finished before this task ran.
                    repeat {
                        let binding = try ledger.binding(knownAt: nil)
                        let digest = try ledger.digest(asOf: asOf, knownAt: binding.knownAt)
                        let size = binding.head.size
                        let earlier = seen.bySize.withLock { seen in
                            defer { if seen.count < 40, seen[size] == nil { seen[size] = digest } }
                            return seen[size]
                        }
                        if let earlier { #expect(earlier == digest, "two digests for \(size) facts") }
                    } while !done.value.load(ordering: .acquiring)
                }
            }
            try await group.waitForAll()
        }
        let types = ledger.state.withLock { $0.views.types }.filter { $0 != LedgerIndex.self }
        let samples = seen.bySize.withLock { $0 }
        #expect(!samples.isEmpty)
        for (size, digest) in samples {
            let views = try Replay.rebuild(types, log: ledger.log, to: Position(size), cores: 1)
            #expect(Ledger.digest(of: views, asOf: asOf, context: ledger.context) == digest, "the digest bound to \(size) facts")
        }
    }
}

/// Digests seen by facts held, shared by tasks.
final class Digests: Sendable {
    let bySize = Mutex<[UInt64: String]>([:])
}
