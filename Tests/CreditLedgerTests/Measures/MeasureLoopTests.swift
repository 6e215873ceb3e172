import CreditFacts
import LedgerStorage
import Testing
@testable import CreditLedger

/// The loop 发起 → 推送 → 响应 → 反馈: notifications to implementing departments, `measure.applied`
/// feedback, and the feedback report.
@Suite struct MeasureLoopTests {
    let directory = TemporaryDirectory()

    /// Appends `facts` and returns the last one as the ledger recorded it.
    func append(_ facts: [Fact], to ledger: Ledger) throws -> RecordedFact {
        let receipts = try ledger.append(facts)
        let position = try #require(receipts.last.flatMap { receipt -> Position? in
            if case .appended(let position, _) = receipt { position } else { nil }
        })
        return try ledger.fact(at: position)
    }

    func pushes(_ recorded: RecordedFact, _ ledger: Ledger) throws -> [String] {
        try ledger.notifications(for: recorded, notifier: MeasureNotifier(matcher: try ledger.matcher()))
            .map { "\($0.body) \($0.measureId) \($0.trigger.kind.rawValue) \($0.effective)" }
    }

    // MARK: - 发起 → 推送

    @Test func aJudgmentDefaulterListingIsPushedToEveryImplementingBodyOfASubscription() async throws {
        let ledger = try Status.ledger(directory)
        try ledger.append(Measures.companyWithRoles)
        let stream = ledger.measureNotifications(from: .zero)
        try ledger.append([Measures.defaulter("(2023)沪0114执6号", on: "2023-03-01", publishFrom: "2023-04-15")])
        try ledger.append([Measures.penalty("D-SP-9", of: Measures.otherCompany, on: "2023-05-01", severity: "serious")])
        var listing: [MeasureNotification] = []
        for try await notification in stream {
            if notification.subject == subject(Measures.otherCompany) { break }
            if notification.trigger.kind == .onList { listing.append(notification) }
        }
        #expect(listing.map { "\($0.body) \($0.measureId)" } == [
            "CZJ M-JUDGMENT-DEFAULTER-RESTRICTIONS", "FGW M-JUDGMENT-DEFAULTER-RESTRICTIONS", "FY M-HIGH-CONSUMPTION",
            "SCJG M-JUDGMENT-DEFAULTER-RESTRICTIONS",
        ])
        #expect(listing.allSatisfy { $0.effective == date("2023-04-15") && $0.trigger.ref == "(2023)沪0114执6号" })
        let court = try #require(listing.first { $0.body == "FY" })
        #expect(court.reachesSubject && court.persons.map(\.role).sorted { $0.rawValue < $1.rawValue }
            == [.actualController, .directlyResponsible, .legalRepresentative, .principal])
        #expect(court.persons.allSatisfy { $0.basis == .roleOnEffectiveDate })
    }

    @Test func aSubscriberFromACheckpointIsPushedOnlyWhatFollowsIt() async throws {
        let ledger = try Status.ledger(directory)
        let first = try append([Measures.penalty("D-SP-14", on: "2023-01-10", severity: "serious")], to: ledger)
        let stream = ledger.measureNotifications(from: first.position.advanced(by: 1))
        try ledger.append([Measures.penalty("D-SP-15", on: "2023-02-10", severity: "serious")])
        var received: [MeasureNotification] = []
        for try await notification in stream {
            received.append(notification)
            if notification.measureId.text == "M-KEY-SUPERVISION" { break }
        }
        #expect(Set(received.map(\.trigger.ref)) == ["D-SP-15", "default"], "nothing about the fact before the checkpoint")
        #expect(received.contains { $0.body == "SCJG" && $0.trigger.grade == .D }, "the views before the checkpoint give the grade before")
    }

    @Test func aSeriousPenaltyIsPushedToProcurementAndLicensingDepartments() throws {
        let ledger = try Status.ledger(directory)
        let recorded = try append([Measures.penalty("D-SP-10", on: "2023-03-01", severity: "serious")], to: ledger)
        #expect(try pushes(recorded, ledger) == [
            "CZJ M-PROCUREMENT-BAR penaltyInPublicity 2023-03-01",
            "FGW M-NO-NOTIFICATION-COMMITMENT penaltyInPublicity 2023-03-01",
            "SCJG M-NO-NOTIFICATION-COMMITMENT penaltyInPublicity 2023-03-01",
        ])
        let registration = try append([Measures.registered(Measures.otherCompany)], to: ledger)
        #expect(try pushes(registration, ledger) == [])
    }

    @Test func aFactThatMovesTheGradeIntoDIsPushedForKeySupervision() throws {
        let ledger = try Status.ledger(directory)
        let first = try append([Measures.penalty("D-SP-11", on: "2023-01-10", severity: "serious")], to: ledger)
        #expect(!(try pushes(first, ledger)).contains { $0.contains("M-KEY-SUPERVISION") }, "grade C")
        let second = try append([Measures.penalty("D-SP-12", on: "2023-02-10", severity: "serious")], to: ledger)
        #expect(try pushes(second, ledger).contains("SCJG M-KEY-SUPERVISION grade 2023-02-10"))
        let third = try append([Measures.penalty("D-SP-13", on: "2023-03-10", severity: "serious")], to: ledger)
        #expect(!(try pushes(third, ledger)).contains { $0.contains("M-KEY-SUPERVISION") }, "already D")
    }

    @Test func anHonourThatEarnsGradeAIsPushedForTheRewards() throws {
        let ledger = try Status.ledger(directory)
        let recorded = try append([Measures.honour(on: "2023-05-20")], to: ledger)
        #expect(try pushes(recorded, ledger) == [
            "CZJ R-FISCAL-PRIORITY grade 2023-05-20", "FGW R-FAST-TRACK grade 2023-05-20", "FGW R-FISCAL-PRIORITY grade 2023-05-20",
            "SCJG R-FAST-TRACK grade 2023-05-20", "SCJG R-REDUCED-INSPECTION grade 2023-05-20",
        ], "a district honour earns grade A; it is below the level that makes an exemplar (R-GREEN-CHANNEL)")
    }

    // MARK: - 响应 → 反馈

    @Test func feedbackReportGivesTriggeredCasesFeedbackRateAndCasesPerMeasureAndDepartment() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Measures.defaulter("(2022)沪0114执1号", of: Measures.otherCompany, on: "2022-06-01"),
            Measures.defaulter("(2023)沪0114执7号", on: "2023-03-01"),
            Measures.defaulter("(2023)沪0114执8号", of: Measures.debtor, on: "2023-03-20", publishFrom: "2023-05-01"),
            Measures.applied(Measures.otherCompany, "M-HIGH-CONSUMPTION", scene: "highConsumption", caseRef: "(2022)沪0114执1号",
                             on: "2023-02-01", department: "FY"),
            Measures.applied(Measures.company, "M-HIGH-CONSUMPTION", scene: "highConsumption", caseRef: "(2023)沪0114执7号",
                             on: "2023-04-10", department: "FY"),
            Measures.applied(Measures.company, "M-JUDGMENT-DEFAULTER-RESTRICTIONS", scene: "procurement", outcome: "notApplicable",
                             caseRef: "CG-2023-118", on: "2023-06-01", department: "CZJ"),
            Measures.applied(Measures.company, "M-OLD-MEASURE", scene: "other", on: "2023-07-01", department: "SCJG"),
        ])
        let report = try ledger.measureFeedback(from: date("2023-01-01"), to: date("2023-12-31"))
        let court = try #require(report.row("M-HIGH-CONSUMPTION", "FY"))
        #expect(court.triggered == 2 && court.answered == 1 && court.feedback == 2 && court.applied == 2 && court.feedbackRate == 0.5)
        #expect(court.cases.map(\.caseRef) == ["(2022)沪0114执1号", "(2023)沪0114执7号"])
        let finance = try #require(report.row("M-JUDGMENT-DEFAULTER-RESTRICTIONS", "CZJ"))
        #expect(finance.triggered == 2 && finance.answered == 1 && finance.notApplicable == 1 && finance.cases.map(\.caseRef) == ["CG-2023-118"])
        #expect(report.row("M-JUDGMENT-DEFAULTER-RESTRICTIONS", "FGW")?.feedbackRate == 0)
        let unknown = try #require(report.row("M-OLD-MEASURE", "SCJG"))
        #expect(!unknown.knownMeasure && !unknown.implementingBody && unknown.feedback == 1 && unknown.feedbackRate == nil)
        #expect(report.row("M-LAND-SUPPLY-RESTRICTION", "GHZY")?.triggered == 0)
        #expect(report.rows.map { "\($0.measureId) \($0.department)" } == report.rows.map { "\($0.measureId) \($0.department)" }.sorted())
    }

    @Test func feedbackViewKeepsEachAppliedFactAndSurvivesASnapshot() throws {
        var view = MeasureFeedback()
        let fact = Measures.applied(Measures.debtor, "M-HIGH-CONSUMPTION", scene: "highConsumption", caseRef: "(2023)沪0114执9号",
                                    on: "2023-08-01", department: "FY")
        view.apply(RecordedFact(position: Position(0), recorded: RecordedTime(microsecondsSinceEpoch: 1), fact: fact))
        let applied = try #require(view.feedback(about: subject(Measures.debtor)).first)
        #expect(applied.department == "FY" && applied.outcome == .applied && applied.caseRef == "(2023)沪0114执9号")
        #expect(view.feedback(about: subject(Measures.debtor), asOf: date("2023-07-31")).isEmpty)
        var encoder = CanonicalEncoder()
        view.encodeState(into: &encoder)
        var decoder = CanonicalDecoder(encoder.bytes)
        let restored = try MeasureFeedback(decodingState: &decoder)
        #expect(restored.feedback(about: subject(Measures.debtor)) == view.feedback(about: subject(Measures.debtor)))
    }
}
