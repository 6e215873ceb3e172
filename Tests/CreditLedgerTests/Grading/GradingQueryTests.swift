import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// Grades on both time axes, the distribution over every subject and the random inspection draw.
@Suite struct GradingQueryTests {
    let directory = TemporaryDirectory()

    @Test func knownAtAPastInstantTheGradeIsTheOneTheLedgerShowedThen() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([Grading.registered(), Status.penalty("D-K-1", on: "2023-06-01", severity: "general")])
        let beforeRevocation = try ledger.head.lastRecordedTime!
        try ledger.append([Status.revoked("D-K-1", on: "2023-08-15")])
        // The revocation, effective 2023-08-15, was not known yet: the penalty still counts.
        let then = try ledger.grade(asOf: "2023-09-01", knownAt: beforeRevocation)
        #expect(then.score == 90 && then.level == .B)
        let now = try ledger.grade(asOf: "2023-09-01")
        #expect(now.score == 100 && now.level == .A)
    }

    @Test func knownAtAPastInstantAPersonsGradeReplaysTheLinkedOrganisation() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Grading.registered(), Grading.registered(Grading.formerLR, kind: "naturalPerson"),
            Grading.role("assigned", person: Grading.formerLR, on: "2020-01-01"),
        ])
        let beforeListing = try ledger.head.lastRecordedTime!
        try ledger.append([Status.listed("L-SD-K", list: "seriousDishonesty", on: "2023-06-01")])
        #expect(try ledger.grade(Grading.formerLR, asOf: "2023-12-01", knownAt: beforeListing).level == .M)
        #expect(try ledger.grade(Grading.formerLR, asOf: "2023-12-01").score == 80)
    }

    /// One subject per level on 2023-07-01, one registered later, one deregistered before.
    private func ledgerWithOneSubjectPerLevel() throws -> Ledger {
        let (a, b, c, d, m) = (Codes.enterprise(8101), Codes.enterprise(8102), Codes.enterprise(8103), Codes.enterprise(8104), Codes.enterprise(8105))
        let (late, gone) = (Codes.enterprise(8106), Codes.enterprise(8107))
        let ledger = try Status.ledger(directory)
        try ledger.append([a, b, c, d, m, gone].map { Grading.registered($0) } + [
            Grading.registered(late, on: "2023-08-01"),
            Grading.contract(a, "HT-A", outcome: "performed", on: "2023-01-01"),
            Status.penalty(b, "D-B", on: "2023-06-01", severity: "general"),
            Status.penalty(c, "D-C", on: "2023-06-01", severity: "serious"),
            Status.listed(d, "L-D", list: "seriousDishonesty", on: "2023-06-01"),
            Grading.deregistered(gone, on: "2023-05-01"),
        ])
        return ledger
    }

    @Test func distributionCountsEveryRegisteredSubjectOnceByLevel() throws {
        let ledger = try ledgerWithOneSubjectPerLevel()
        let distribution = try ledger.gradeDistribution(asOf: date("2023-07-01"))
        #expect(distribution.model == "default" && distribution.total == 5)
        #expect(distribution.rows.map(\.level) == [.A, .B, .C, .D, .M])
        #expect(distribution.rows.map(\.count) == [1, 1, 1, 1, 1])
        #expect(distribution.rows[0].share == 0.2)
        let earlier = try ledger.gradeDistribution(asOf: date("2023-03-01"))
        #expect(earlier.rows.map(\.count) == [1, 0, 0, 0, 5])   // the later-deregistered subject still counts
        let later = try ledger.gradeDistribution(asOf: date("2023-08-01"))
        #expect(later.count(.M) == 2 && later.total == 6)
    }

    @Test func distributionAgreesWithEachSubjectsGrade() throws {
        let ledger = try ledgerWithOneSubjectPerLevel()
        let distribution = try ledger.gradeDistribution(asOf: date("2023-07-01"))
        let levels = try (8101...8105).map { try ledger.grade(Codes.enterprise($0), asOf: "2023-07-01").level }
        #expect(levels == [.A, .B, .C, .D, .M])
        #expect(GradeLevel.allCases.map { level in levels.filter { $0 == level }.count } == distribution.rows.map(\.count))
    }

    /// 300 companies: 100 with a performed contract (A), 200 with registration only (M).
    private func ledgerForDraws() throws -> Ledger {
        let codes = (0..<300).map { Codes.enterprise(9000 + $0) }
        let ledger = try Status.ledger(directory)
        try ledger.append(codes.map { Grading.registered($0) } + codes.prefix(100).map {
            Grading.contract($0, "HT-\($0.suffix(4))", outcome: "performed", on: "2023-01-01")
        })
        return ledger
    }

    @Test func inspectionDrawIsTheSameForTheSameSeedAndDateAndHonoursTheShares() throws {
        let ledger = try ledgerForDraws()
        let day = date("2023-07-01")
        let first = try ledger.inspectionDraw(asOf: day, seed: 20230701)
        let again = try ledger.inspectionDraw(asOf: day, seed: 20230701)
        #expect(first == again)
        #expect(first.levels.map(\.population) == [100, 0, 0, 0, 200])
        #expect(first.levels.map(\.drawn.count) == [2, 0, 0, 0, 10])      // ⌈0.02 · 100⌉, ⌈0.05 · 200⌉
        let graded = Set((0..<100).map { subject(Codes.enterprise(9000 + $0)) })
        #expect(first.levels[0].drawn.allSatisfy(graded.contains))
        #expect(first.levels[4].drawn.allSatisfy { !graded.contains($0) })
        #expect(Set(first.subjects).count == 12)
    }

    @Test func inspectionDrawChangesWithTheSeedAndTheDate() throws {
        let ledger = try ledgerForDraws()
        let day = date("2023-07-01")
        let first = try ledger.inspectionDraw(asOf: day, seed: 1)
        let otherSeed = try ledger.inspectionDraw(asOf: day, seed: 2)
        let otherDay = try ledger.inspectionDraw(asOf: date("2023-07-02"), seed: 1)
        #expect(first.levels[4].drawn != otherSeed.levels[4].drawn)
        #expect(first.levels[4].drawn != otherDay.levels[4].drawn)
    }

    @Test func drawRankingIsSHA256OfSeedDateAndCode() {
        // Recomputable outside the ledger with sha256sum: printf '7|2023-07-01|91350100M000100Y43'
        // gives e20b70f3…, printf '7|2023-07-01|11010519491231002X' gives 9c7d23cd…, so the person
        // ranks first; with seed 11 (89caaa88… against bd54d89f…) the enterprise does.
        let pair = [subject(Codes.fuzhouEnterprise), subject(Codes.beijingPerson)]
        #expect(Grader.ranked(pair, seed: 7, asOf: date("2023-07-01")) == [pair[1], pair[0]])
        #expect(Grader.ranked(pair, seed: 11, asOf: date("2023-07-01")) == pair)
        let codes = (0..<20).map { subject(Codes.enterprise(9500 + $0)) }
        let ranked = Grader.ranked(codes, seed: 7, asOf: date("2023-07-01"))
        #expect(Set(ranked) == Set(codes) && ranked != codes.sorted())
        #expect(Grader.ranked(codes.reversed(), seed: 7, asOf: date("2023-07-01")) == ranked)
    }

    @Test func drawCountIsTheCeilingOfShareTimesPopulationWithoutFloatingPointDrift() {
        #expect(Grader.drawCount(share: 0.05, population: 100) == 5)
        #expect(Grader.drawCount(share: 0.05, population: 101) == 6)
        #expect(Grader.drawCount(share: 0.1, population: 30) == 3)
        #expect(Grader.drawCount(share: 0, population: 1000) == 0)
        #expect(Grader.drawCount(share: 1, population: 7) == 7)
    }
}
