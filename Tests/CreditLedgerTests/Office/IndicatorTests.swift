import CreditFacts
import Foundation
import Testing
@testable import CreditLedger

/// The assessment indicators (考核指标) of a first quarter, every figure computed by hand below.
@Suite struct IndicatorTests {
    let directory = TemporaryDirectory()

    static let company = Status.company
    static let other = Status.otherCompany

    /// A general food-safety penalty reported at `reported` (China Standard Time).
    static func penalty(_ subject: String, _ number: String, on date: String, reported: String, source: String) -> Fact {
        Status.fact("penalty.decided", subject, on: date,
                    #"{"decisionNo":"\#(number)","kinds":["fine"],"fineYuan":5000,"procedure":"ordinary","field":"foodSafety","legalBasis":"《食品安全法》第一百二十四条"}"#,
                    source: source, reported: "\(reported)T10:00:00+08:00")
    }

    /// The quarter's history. Effective dates by month:
    /// - 2023: the company registered (1 fact before the range).
    /// - January (5): penalties D-1 (10th, reported the 12th: on time) and D-2 (15th, reported
    ///   2-20: late), 告知承诺 C-1 made (20th), abnormal-operation entry L-1 (8th), a measure
    ///   applied by the court (25th).
    /// - February (8): the other company registered (1st), its penalty D-3 (5th, reported the 6th:
    ///   on time), C-1 fulfilled (10th), 容缺受理 C-2 made (1st) and breached (20th), repair R-1 of
    ///   D-1 applied with its repair commitment CR-1 (1st) and rejected (5th: within 10 working days).
    /// - March (7): repair R-2 of D-2 applied with CR-2 (1st) and rejected (29th: past the 10th
    ///   working day, 3-15), L-1 exited (5th), the other company on the red list (1st), a measure
    ///   applied by FGW (10th), the company's 2023 tax grade A published (20th).
    func quarter() throws -> Ledger {
        let ledger = try Status.ledger(directory)
        let c = Self.company, o = Self.other
        try ledger.append([
            Status.registered(c, name: "上海嘉定甲公司", on: "2023-06-01"),
            Self.penalty(c, "D-1", on: "2024-01-10", reported: "2024-01-12", source: Status.nationalSource),
            Self.penalty(c, "D-2", on: "2024-01-15", reported: "2024-02-20", source: Status.nationalSource),
            Status.commitment(c, "C-1", kind: "approvalSubstitution", on: "2024-01-20", due: "2024-03-31"),
            Status.listed(c, "L-1", list: "abnormalOperation", on: "2024-01-08"),
            Status.fact("measure.applied", c, on: "2024-01-25", #"{"measureId":"M-HIGH-CONSUMPTION","scene":"highConsumption","outcome":"applied"}"#,
                        source: "310114-FY"),
            Status.registered(o, name: "上海嘉定乙公司", on: "2024-02-01"),
            Self.penalty(o, "D-3", on: "2024-02-05", reported: "2024-02-06", source: Status.samrSource),
            Status.fact("commitment.fulfilled", c, on: "2024-02-10", #"{"commitmentNo":"C-1"}"#),
            Status.commitment(c, "C-2", kind: "missingDocuments", on: "2024-02-01"),
            Status.fact("commitment.breached", c, on: "2024-02-20", #"{"commitmentNo":"C-2","breach":"late","severity":"general"}"#),
            Status.commitment(c, "CR-1", on: "2024-02-01"),
            Status.repairApplied(c, "R-1", decision: "D-1", commitment: "CR-1", on: "2024-02-01"),
            Status.repairDecided(c, "R-1", outcome: "rejected", on: "2024-02-05"),
            Status.commitment(c, "CR-2", on: "2024-03-01"),
            Status.repairApplied(c, "R-2", decision: "D-2", commitment: "CR-2", on: "2024-03-01"),
            Status.repairDecided(c, "R-2", outcome: "rejected", on: "2024-03-29"),
            Status.delisted(c, "L-1", reason: "performed", on: "2024-03-05"),
            Status.listed(o, "L-2", list: "red", on: "2024-03-01"),
            Status.fact("measure.applied", c, on: "2024-03-10", #"{"measureId":"M-HIGH-CONSUMPTION","scene":"highConsumption","outcome":"applied"}"#),
            Status.fact("evaluation.published", c, on: "2024-03-20", #"{"scheme":"tax","grade":"A","year":2023}"#, source: "310114-SW"),
        ])
        return ledger
    }

    static func value(_ figures: [IndicatorFigure], _ key: String) -> IndicatorFigure.Value? { figures.first { $0.key == key }?.value }
    static func met(_ figures: [IndicatorFigure], _ key: String) -> Bool? { figures.first { $0.key == key }?.targetMet }

    @Test func periodsAreCalendarMonthsQuartersAndYearsClippedToTheRange() {
        let months = IndicatorPeriod.split(from: date("2024-01-15"), through: date("2024-03-10"), by: .month)
        #expect(months.map(\.label) == ["2024-01", "2024-02", "2024-03"])
        #expect(months.map(\.from) == [date("2024-01-15"), date("2024-02-01"), date("2024-03-01")])
        #expect(months.map(\.through) == [date("2024-01-31"), date("2024-02-29"), date("2024-03-10")])
        let quarters = IndicatorPeriod.split(from: date("2023-11-01"), through: date("2024-04-30"), by: .quarter)
        #expect(quarters.map(\.label) == ["2023-Q4", "2024-Q1", "2024-Q2"])
        #expect(quarters.map(\.months) == [2, 3, 1])
        let years = IndicatorPeriod.split(from: date("2023-07-01"), through: date("2024-12-31"), by: .year)
        #expect(years.map(\.label) == ["2023", "2024"] && years[1].from == date("2024-01-01"))
    }

    @Test func monthlyTimelinessCommitmentsRepairsListsAndCasesOfTheDistrict() throws {
        let report = try quarter().indicators(from: date("2024-01-01"), through: date("2024-03-31"), by: .month)
        #expect(report.periods.map(\.period.label) == ["2024-01", "2024-02", "2024-03"])
        let (jan, feb, mar) = (report.periods[0].district, report.periods[1].district, report.periods[2].district)

        #expect(Self.value(jan, "factsReported") == .count(5))
        #expect(Self.value(feb, "factsReported") == .count(8))
        #expect(Self.value(mar, "factsReported") == .count(7))
        #expect(Self.value(jan, "publicActs") == .count(2))
        #expect(Self.value(jan, "onTimeRate") == .rate(numerator: 1, denominator: 2))
        #expect(Self.value(jan, "lateRate") == .rate(numerator: 1, denominator: 2))
        #expect(Self.met(jan, "onTimeRate") == false, "the plans ask 100 %")
        #expect(Self.value(feb, "onTimeRate") == .rate(numerator: 1, denominator: 1) && Self.met(feb, "onTimeRate") == true)
        guard case .notComputable = Self.value(mar, "onTimeRate") else { Issue.record("no act in March: not a made-up rate"); return }

        // 户均: facts effective by the month's end (1 + 5, + 8, + 7) ÷ organisations registered then (1, 2, 2).
        #expect(Self.value(jan, "factsPerOrganisation") == .rate(numerator: 6, denominator: 1))
        #expect(Self.value(feb, "factsPerOrganisation") == .rate(numerator: 14, denominator: 2))
        #expect(Self.value(mar, "factsPerOrganisation") == .rate(numerator: 21, denominator: 2))
        #expect(Self.met(feb, "factsPerOrganisation") == true, "7 ≥ 4 (嘉定 2019)")

        #expect(Self.value(jan, "notificationCommitments.made") == .count(1))
        #expect(Self.value(feb, "notificationCommitments.fulfilled") == .count(1))
        #expect(Self.value(feb, "missingDocumentsCommitments.made") == .count(1))
        #expect(Self.value(feb, "missingDocumentsCommitments.breached") == .count(1))
        #expect(Self.value(mar, "missingDocumentsCommitments.breached") == .count(0))

        #expect(Self.value(feb, "repairs.applied") == .count(1) && Self.value(feb, "repairs.rejected") == .count(1))
        #expect(Self.value(feb, "repairsDecidedOnTime") == .rate(numerator: 1, denominator: 1))
        #expect(Self.value(mar, "repairsDecidedOnTime") == .rate(numerator: 0, denominator: 1), "3-29 is past the 10th working day, 3-15")
        #expect(Self.value(mar, "repairs.approved") == .count(0))

        #expect(Self.value(jan, "listEntries.abnormalOperation") == .count(1))
        #expect(Self.value(mar, "listExits.abnormalOperation") == .count(1))
        #expect(Self.value(mar, "listEntries.red") == .count(1))
        #expect(Self.value(feb, "listEntries.red") == .count(0))

        #expect(Self.value(jan, "jointMeasureCases") == .count(1) && Self.met(jan, "jointMeasureCases") == true)
        #expect(Self.value(feb, "jointMeasureCases") == .count(0) && Self.met(feb, "jointMeasureCases") == false,
                "the plans ask at least one case a month")
    }

    @Test func departmentsHaveTheirOwnFiguresSortedBySource() throws {
        let report = try quarter().indicators(from: date("2024-01-01"), through: date("2024-03-31"), by: .quarter)
        #expect(report.periods.count == 1)
        let sources = report.periods[0].sources
        #expect(sources.map(\.source.text) == ["310114-FGW", "310114-FY", "310114-SCJG", "310114-SW"])
        let fgw = sources[0].figures
        // FGW reported everything but the registrations, D-3, the court's measure and the tax grade: 20 - 1 - 1 - 1 - 1 = 16.
        #expect(Self.value(fgw, "factsReported") == .count(16))
        #expect(Self.value(fgw, "onTimeRate") == .rate(numerator: 1, denominator: 2))
        #expect(Self.value(fgw, "jointMeasureCases") == .count(1))
        #expect(Self.value(sources[1].figures, "jointMeasureCases") == .count(1))
        #expect(Self.value(sources[2].figures, "onTimeRate") == .rate(numerator: 1, denominator: 1))
        // A quarter asks three cases; the district has two.
        #expect(Self.value(report.periods[0].district, "jointMeasureCases") == .count(2))
        #expect(Self.met(report.periods[0].district, "jointMeasureCases") == false)
    }

    @Test func statusOnTheLastDayCountsTaxGradesAmongExistingOrganisations() throws {
        let report = try quarter().indicators(from: date("2024-01-01"), through: date("2024-03-31"), by: .year)
        #expect(Self.value(report.atEnd, "taxGradeAShare") == .rate(numerator: 1, denominator: 2))
        #expect(Self.met(report.atEnd, "taxGradeAShare") == true, "50 % ≥ 15 % (上街 2023)")
        guard case .rate(let linked, _) = Self.value(report.atEnd, "penetrationCoverage") else {
            Issue.record("penalties in force: coverage is computable"); return
        }
        #expect(linked == 0, "no legal representative is recorded")
        #expect(Self.met(report.atEnd, "penetrationCoverage") == false)
    }

    @Test func penetrationCoverageCountsOrganisationsTheGradesDoNot() throws {
        // The status on the last day reads each graded subject once for its grade and its
        // coverage; an organisation with a record but no registration is not graded, and its
        // record still counts, as the penetration command counts it.
        let ledger = try quarter()
        let unregistered = Codes.enterprise(7003)
        try ledger.append([Self.penalty(unregistered, "D-9", on: "2024-03-01", reported: "2024-03-02", source: Status.nationalSource)])
        let report = try ledger.indicators(from: date("2024-01-01"), through: date("2024-03-31"), by: .year)
        let coverage = try ledger.penetrationCoverage(asOf: date("2024-03-31"))
        #expect(coverage.unlinked.contains { $0.record.organisation.description == unregistered })
        #expect(Self.value(report.atEnd, "penetrationCoverage") == .rate(numerator: coverage.linked, denominator: coverage.records))
        #expect(coverage.records == 5, "D-1, D-2, D-3 and the breach of C-2 of the registered companies, D-9 of the unregistered one")
    }

    @Test func complianceAndCodeErrorRatesCountEveryRefusalAndDuplicate() throws {
        let ledger = try quarter()
        // A red-list entry for the company while it stands on the abnormal-operation list is refused.
        #expect(Status.refusal(appending: [Status.listed(Self.company, "L-3", list: "red", on: "2024-02-01")], to: ledger) != nil)
        try ledger.append([Self.penalty(Self.company, "D-1", on: "2024-01-10", reported: "2024-01-12", source: Status.nationalSource)])
        ledger.intake.recordRefusal(source: SourceID(unchecked: Status.samrSource), kind: FactError.Kind.invalidCode.rawValue)
        // Everything arrived on the clock's first day, 2026-06-01, the day the counters began.
        let report = try ledger.indicators(from: date("2026-06-01"), through: date("2026-06-30"), by: .month)
        // 21 facts accepted; 2 lines refused (the red entry, the bad code); 1 duplicate, neither.
        #expect(Self.value(report.intake, "complianceRate") == .rate(numerator: 21, denominator: 23))
        #expect(Self.value(report.intake, "codeErrorRate") == .rate(numerator: 1, denominator: 23))
        #expect(Self.met(report.intake, "codeErrorRate") == false, "1/23 is far above 万分之一")
        #expect(Self.value(report.intake, "duplicates") == .count(1))
        let scjg = try #require(report.intakeBySource.first { $0.source.text == Status.samrSource })
        #expect(Self.value(scjg.figures, "complianceRate") == .rate(numerator: 3, denominator: 4))
    }

    @Test func intakeFiguresBeforeTheCountersWereDatedSayWhyTheyAreMissing() throws {
        let clock = SteppingClock()
        let ledger = try Status.ledger(directory, clock: clock)
        try ledger.append([Self.penalty(Self.company, "D-1", on: "2024-01-10", reported: "2024-01-12", source: Status.nationalSource)])
        let then = clock.read()
        try ledger.append([Self.penalty(Self.company, "D-2", on: "2024-01-15", reported: "2024-02-20", source: Status.nationalSource)])
        let report = try ledger.indicators(from: date("2024-01-01"), through: date("2024-01-31"), by: .month, knownAt: then)
        #expect(Self.value(report.periods[0].district, "publicActs") == .count(1))
        guard case .notComputable(let why) = Self.value(report.intake, "complianceRate") else { Issue.record("made-up rate"); return }
        #expect(why.text == "refusals and duplicates are counted by the day received only since 2026-06-01, after 2024-01-01")
    }

    @Test func sameLogGivesTheSameReport() throws {
        let ledger = try quarter()
        let first = try ledger.indicators(from: date("2024-01-01"), through: date("2024-03-31"), by: .month)
        try ledger.close()
        let reopened = try Ledger.open(directory: directory.path, access: .readOnly)
        defer { try? reopened.close() }
        #expect(try reopened.indicators(from: date("2024-01-01"), through: date("2024-03-31"), by: .month) == first)
    }
    @Test func anEmptyDistrictSaysWhyInsteadOfMakingUpZeros() throws {
        let ledger = try Status.ledger(directory)
        let report = try ledger.indicators(from: date("2024-01-01"), through: date("2024-01-31"), by: .month)
        let district = report.periods[0].district
        #expect(Self.value(district, "factsReported") == .count(0), "a count of nothing is a real 0")
        for key in ["onTimeRate", "lateRate", "factsPerOrganisation", "repairsDecidedOnTime"] {
            guard case .notComputable(let why) = Self.value(district, key) else { Issue.record("\(key) made up"); continue }
            #expect(why.text.hasPrefix("no "), "\(key): \(why)")
            #expect(Self.met(district, key) == nil)
        }
        for key in ["gradeAShare", "taxGradeAShare", "penetrationCoverage"] {
            guard case .notComputable = Self.value(report.atEnd, key) else { Issue.record("\(key) made up"); continue }
        }
        #expect(Self.value(district, "factsPerOrganisation")?.whyNot == "no organisation registered on 2024-01-31")
        let june = try ledger.indicators(from: date("2026-06-01"), through: date("2026-06-30"), by: .month)
        #expect(Self.value(june.intake, "complianceRate")?.whyNot == "no line received")
    }
    @Test func anOrganisationCountsFromItsRegistrationUntilItsDeregistration() throws {
        let ledger = try Status.ledger(directory)
        try ledger.append([
            Status.registered(Self.company, name: "上海嘉定甲公司", on: "2024-01-15"),
            Status.registered(Self.other, name: "上海嘉定乙公司", on: "2023-01-01"),
            Status.fact("subject.deregistered", Self.other, on: "2024-02-10", #"{"reason":"决议解散"}"#),
            Status.fact("subject.registered", Status.adult, on: "2023-01-01", #"{"name":"张三","kind":"naturalPerson","region":"310114"}"#),
        ])
        let report = try ledger.indicators(from: date("2023-12-01"), through: date("2024-02-29"), by: .month)
        // Facts by the month's end (2, 3, 4: the person's registration counts, the person does not)
        // ÷ organisations then (the other company; both; the company alone after 02-10).
        #expect(report.periods.map { Self.value($0.district, "factsPerOrganisation") } == [
            .rate(numerator: 2, denominator: 1), .rate(numerator: 3, denominator: 2), .rate(numerator: 4, denominator: 1),
        ])
    }
}
