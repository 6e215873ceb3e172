import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// A view that reads penalty decisions only, and notes every fact it is handed: it adopts no
/// capability (no snapshot state, no digest, no partitioning, no admission rules).
struct PenaltyDecisionLog: Projector {
    static let name = "penalty-decision-log"
    static let codeVersion = 1
    static let factTypes: FactTypeSet = [.penaltyDecided]
    var seen: [FactType] = []
    init() {}
    mutating func apply(_ fact: RecordedFact) { seen.append(fact.fact.type) }
}

/// The projection contract: a view receives only the fact types it reads, and each capability
/// counts only for the views that adopt it.
@Suite struct ProjectionContractTests {
    let directory = TemporaryDirectory()

    func ledger(_ views: [any Projector.Type]) throws -> Ledger {
        var configuration = configuration(clock: SteppingClock())
        configuration.views = views
        return try Ledger.open(directory: directory.path, configuration: configuration)
    }

    /// A registration, a role, two penalties and a performance of one company.
    func appendCompany(_ ledger: Ledger, _ n: Int) throws {
        let company = Codes.enterprise(n)
        try ledger.append([
            Facts.registered(company, name: "企业\(n)", on: "2021-01-01"),
            Facts.role("assigned", company, person: Codes.person(n), on: "2021-01-01"),
            Facts.penalty(company, decision: "D-\(n)-1", on: "2022-05-01"),
            Facts.penalty(company, decision: "D-\(n)-2", on: "2022-06-01"),
            Facts.performed(company, decision: "D-\(n)-1", on: "2022-07-01"),
        ])
    }

    @Test func aViewIsHandedOnlyTheFactTypesItReads() throws {
        let ledger = try ledger([SubjectRegistry.self, PenaltyDecisionLog.self])
        for n in 0..<3 { try appendCompany(ledger, n) }
        let live = try ledger.withView(PenaltyDecisionLog.self) { $0.seen }
        #expect(live == Array(repeating: .penaltyDecided, count: 6))
        let replayed = try ledger.rebuild(cores: 2).views.view(PenaltyDecisionLog.self)!
        #expect(replayed.seen == live)
        let oneSubject = try ledger.subjectView(PenaltyDecisionLog.self, subject: subject(Codes.enterprise(1)))
        #expect(oneSubject.seen == [.penaltyDecided, .penaltyDecided])
    }

    @Test func aViewWithoutSnapshotStateIsRebuiltFromTheLogAtOpenAndNoSnapshotIsWritten() throws {
        let first = try ledger([SubjectRegistry.self, PenaltyDecisionLog.self])
        for n in 0..<2 { try appendCompany(first, n) }
        try first.close()
        let snapshots = (try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/snapshots")) ?? []
        #expect(snapshots.filter { $0.hasSuffix(".snapshot") }.isEmpty)
        let reopened = try ledger([SubjectRegistry.self, PenaltyDecisionLog.self])
        #expect(try reopened.withView(PenaltyDecisionLog.self) { $0.seen.count } == 4)
    }

    @Test func aViewWithoutDigestContentTakesNoPartInTheDigest() throws {
        let ledger = try ledger([SubjectRegistry.self, PenaltyDecisionLog.self])
        for n in 0..<2 { try appendCompany(ledger, n) }
        let asOf = date("2023-01-01")
        let registryOnly = ViewSet(restoring: [try ledger.rebuild().views.view(SubjectRegistry.self)!])
        #expect(try ledger.digest(asOf: asOf) == Ledger.digest(of: registryOnly, asOf: asOf, context: ledgerContext))
    }

    @Test func aReplayWithAViewNotPartitionedBySubjectGivesTheSameViewsOnOneCore() throws {
        let ledger = try ledger([SubjectRegistry.self, PenaltyDecisionLog.self])
        for n in 0..<4 { try appendCompany(ledger, n) }
        #expect(!ViewSet.arePartitioned([SubjectRegistry.self, PenaltyDecisionLog.self]))
        let parallel = try ledger.rebuild(cores: 4).views
        let sequential = try ledger.rebuild(cores: 1).views
        #expect(parallel.view(PenaltyDecisionLog.self)!.seen == sequential.view(PenaltyDecisionLog.self)!.seen)
        let asOf = date("2023-01-01")
        #expect(Ledger.digest(of: parallel, asOf: asOf, context: ledgerContext)
                == Ledger.digest(of: sequential, asOf: asOf, context: ledgerContext))
    }

    /// A catch-up feeds the ledger's index on one thread and the other views on another: every
    /// view, the index included, ends as when fed one fact at a time, and a view that notes the
    /// order of its facts saw them in log order.
    @Test func viewsFedOnTwoThreadsEndAsWhenFedInTurn() throws {
        var types = LedgerConfiguration().views
        types.append(PenaltyDecisionLog.self)
        let ledger = try ledger(types)
        for n in 0..<40 { try appendCompany(ledger, n) }
        var facts: [RecordedFact] = []
        try ledger.log.forEach(from: .zero, to: try ledger.head.nextPosition) { facts.append(try Replay.decode($0)) }
        #expect(facts.count == 200)
        var inTurn = ViewSet([LedgerIndex.self] + types), onTwoThreads = inTurn
        for fact in facts { inTurn.apply(fact) }
        onTwoThreads.applyOnTwoThreads(Array(facts[..<117]))
        onTwoThreads.applyOnTwoThreads(Array(facts[117...]))
        func indexState(_ views: ViewSet) -> [UInt8] {
            var encoder = CanonicalEncoder()
            views.view(LedgerIndex.self)!.encodeState(into: &encoder)
            return encoder.bytes
        }
        #expect(indexState(onTwoThreads) == indexState(inTurn))
        #expect(onTwoThreads.view(LedgerIndex.self)!.positions.count == 40)
        #expect(onTwoThreads.view(PenaltyDecisionLog.self)!.seen == inTurn.view(PenaltyDecisionLog.self)!.seen)
        #expect(onTwoThreads.view(PenaltyDecisionLog.self)!.seen.count == 80)
        let asOf = date("2023-01-01")
        #expect(Ledger.digest(of: onTwoThreads, asOf: asOf, context: ledgerContext) == Ledger.digest(of: inTurn, asOf: asOf, context: ledgerContext))
    }

    @Test func factTypeSetsHoldExactlyTheTypesPutInThem() {
        let set: FactTypeSet = [.penaltyDecided, .listEntered]
        #expect(FactType.allCases.filter(set.contains) == [.penaltyDecided, .listEntered])
        #expect(FactType.allCases.allSatisfy(FactTypeSet.all.contains))
        #expect(FactType.allCases.allSatisfy { !FactTypeSet().contains($0) })
        #expect(set.contains(code: FactType.listEntered.code) && !set.contains(code: 63) && !set.contains(code: 200))
    }
}
