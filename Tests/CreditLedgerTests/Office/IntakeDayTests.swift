import CreditFacts
import Crypto
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// 合规率, 重错码率 and duplicates per period: accepted facts by the day recorded, refusals and
/// duplicates by the day received, every figure computed by hand below.
@Suite struct IntakeDayTests {
    let directory = TemporaryDirectory()
    static let company = Status.company
    static let scjg = SourceID(unchecked: Status.samrSource)

    static func penalty(_ number: String, source: String = Status.nationalSource) -> Fact {
        IndicatorTests.penalty(company, number, on: "2024-01-10", reported: "2024-01-12", source: source)
    }

    /// The ledger is created on 2026-06-01 (the clock's first day), so every day from then is counted.
    /// - 2026-06-02: the company's registration (from SCJG) and penalties D-1, D-2 (from FGW)
    ///   accepted; one line with a bad code refused for SCJG (错码).
    /// - 2026-07-03: D-1 again (a duplicate); D-3 from SCJG and the abnormal-operation entry L-1
    ///   accepted; a red-list entry refused (the company stands on the abnormal-operation list).
    func history(clock: SteppingClock) throws -> Ledger {
        let ledger = try Status.ledger(directory, clock: clock)
        clock.jump(to: "2026-06-02T09:00:00+08:00")
        try ledger.append([Status.registered(Self.company, name: "上海嘉定甲公司", on: "2023-06-01"), Self.penalty("D-1"), Self.penalty("D-2")])
        ledger.intake.recordRefusal(source: Self.scjg, kind: FactError.Kind.invalidCode.rawValue)
        clock.jump(to: "2026-07-03T09:00:00+08:00")
        try ledger.append([Self.penalty("D-1")])
        try ledger.append([Self.penalty("D-3", source: Status.samrSource), Status.listed(Self.company, "L-1", list: "abnormalOperation", on: "2024-02-01")])
        #expect(Status.refusal(appending: [Status.listed(Self.company, "L-3", list: "red", on: "2024-03-01")], to: ledger) != nil)
        return ledger
    }

    @Test func complianceAndCodeErrorRatesArePerMonthOfReceipt() throws {
        let clock = SteppingClock()
        let ledger = try history(clock: clock)
        let report = try ledger.indicators(from: date("2026-06-01"), through: date("2026-07-31"), by: .month)
        let (june, july) = (report.periods[0].district, report.periods[1].district)
        // June: 3 accepted, 1 refused (the bad code) ⇒ 3/4 compliant, 1/4 code errors.
        #expect(IndicatorTests.value(june, "complianceRate") == .rate(numerator: 3, denominator: 4))
        #expect(IndicatorTests.value(june, "codeErrorRate") == .rate(numerator: 1, denominator: 4))
        #expect(IndicatorTests.value(june, "duplicates") == .count(0))
        #expect(IndicatorTests.met(june, "complianceRate") == false)
        // July: 2 accepted (D-3, L-1), 1 refused (the red entry) ⇒ 2/3; no code error; 1 duplicate.
        #expect(IndicatorTests.value(july, "complianceRate") == .rate(numerator: 2, denominator: 3))
        #expect(IndicatorTests.value(july, "codeErrorRate") == .rate(numerator: 0, denominator: 3))
        #expect(IndicatorTests.met(july, "codeErrorRate") == true, "0 is below 万分之一")
        #expect(IndicatorTests.value(july, "duplicates") == .count(1))
        // The whole range: 5/7, 1/7, 1 duplicate.
        #expect(IndicatorTests.value(report.intake, "complianceRate") == .rate(numerator: 5, denominator: 7))
        #expect(IndicatorTests.value(report.intake, "codeErrorRate") == .rate(numerator: 1, denominator: 7))
        #expect(IndicatorTests.value(report.intake, "duplicates") == .count(1))
        // SCJG in June: the registration accepted, the bad code refused ⇒ 1/2; in July D-3 accepted ⇒ 1/1.
        let scjgJune = try #require(report.periods[0].sources.first { $0.source == Self.scjg })
        #expect(IndicatorTests.value(scjgJune.figures, "complianceRate") == .rate(numerator: 1, denominator: 2))
        let scjgJuly = try #require(report.periods[1].sources.first { $0.source == Self.scjg })
        #expect(IndicatorTests.value(scjgJuly.figures, "complianceRate") == .rate(numerator: 1, denominator: 1))
    }

    @Test func aPeriodBeforeTheCountersWereDatedSaysSo() throws {
        let ledger = try history(clock: SteppingClock())
        let report = try ledger.indicators(from: date("2026-05-01"), through: date("2026-06-30"), by: .month)
        #expect(IndicatorTests.value(report.periods[0].district, "complianceRate")?.whyNot
            == "refusals and duplicates are counted by the day received only since 2026-06-01, after 2026-05-01")
        // June started after the counters, but the range as a whole did not.
        #expect(IndicatorTests.value(report.periods[1].district, "complianceRate") == .rate(numerator: 3, denominator: 4))
        guard case .notComputable = IndicatorTests.value(report.intake, "complianceRate") else { Issue.record("made-up rate"); return }
    }

    @Test func asKnownAtAnInstantOnlyTheDaysBeforeItAreComplete() throws {
        let clock = SteppingClock()
        let ledger = try history(clock: clock)
        let july3 = RecordedTime(microsecondsSinceEpoch: (try Timestamp(parsing: "2026-07-03T12:00:00+08:00")).secondsSinceEpoch * 1_000_000)
        let june = try ledger.indicators(from: date("2026-06-01"), through: date("2026-06-30"), by: .month, knownAt: july3)
        #expect(IndicatorTests.value(june.periods[0].district, "complianceRate") == .rate(numerator: 3, denominator: 4))
        let july = try ledger.indicators(from: date("2026-07-01"), through: date("2026-07-31"), by: .month, knownAt: july3)
        guard case .notComputable(let why) = IndicatorTests.value(july.periods[0].district, "complianceRate") else {
            Issue.record("July is not over on 07-03"); return
        }
        #expect(why.text.contains("not per instant"))
    }

    @Test func theDaysSurviveClosingAndReopening() throws {
        let clock = SteppingClock()
        let ledger = try history(clock: clock)
        let before = try ledger.indicators(from: date("2026-06-01"), through: date("2026-07-31"), by: .month)
        try ledger.close()
        let reopened = try Status.ledger(directory, clock: clock)
        defer { try? reopened.close() }
        #expect(reopened.warnings.isEmpty, "\(reopened.warnings)")
        #expect(reopened.intake.counts.datedSince == date("2026-06-01"))
        #expect(try reopened.indicators(from: date("2026-06-01"), through: date("2026-07-31"), by: .month) == before)
    }

    @Test func countersOfTheFormatWithoutDaysAreDatedFromTheDayTheyAreOpened() throws {
        let clock = SteppingClock()
        let ledger = try Status.ledger(directory, clock: clock)
        ledger.intake.recordRefusal(source: Self.scjg, kind: FactError.Kind.invalidCode.rawValue)
        try ledger.close()
        // Rewrite the file as the format before days wrote it: CLINTK01, the totals, their SHA-256.
        var undated = IntakeCounters.Counts()
        undated.refusals = ledger.intake.counts.refusals
        var bytes = Array("CLINTK01".utf8) + Self.undatedEncoding(undated)
        bytes += Array(SHA256.hash(data: bytes))
        try Data(bytes).write(to: URL(fileURLWithPath: directory.path + "/intake.counts"))
        clock.jump(to: "2026-08-05T09:00:00+08:00")
        let reopened = try Status.ledger(directory, clock: clock)
        defer { try? reopened.close() }
        #expect(reopened.warnings.isEmpty, "\(reopened.warnings)")
        #expect(reopened.intake.counts.refusals[Self.scjg]?["invalidCode"] == 1, "the totals are kept")
        #expect(reopened.intake.counts.datedSince == date("2026-08-05"))
        #expect(reopened.intake.counts.days.isEmpty)
    }

    /// The totals alone, as `CLINTK01` held them.
    static func undatedEncoding(_ counts: IntakeCounters.Counts) -> [UInt8] {
        var e = CanonicalEncoder()
        e.write(counts.duplicates.sorted { $0.key < $1.key }) { e, pair in e.write(pair.key.text); e.write(pair.value) }
        e.write(counts.refusals.sorted { $0.key < $1.key }) { e, pair in
            e.write(pair.key.text)
            e.write(pair.value.sorted { $0.key < $1.key }) { e, kind in e.write(kind.key); e.write(kind.value) }
        }
        return e.bytes
    }

    @Test func theDatedCountsRoundTripAndRefuseRepeatedDays() throws {
        var counts = IntakeCounters.Counts()
        counts.addRefusal(Self.scjg, "invalidCode", on: date("2026-06-02"))
        counts.addDuplicates(Self.scjg, 2, on: date("2026-07-03"))
        #expect(counts.datedSince == date("2026-06-02"))
        #expect(try IntakeCounters.Counts(decoding: counts.encoded()) == counts)
        var e = CanonicalEncoder()
        e.write([String]()) { _, _ in }
        e.write([String]()) { _, _ in }
        e.write(date("2026-06-01") as LegalDate?) { e, day in e.write(day) }
        e.write([date("2026-06-02"), date("2026-06-02")]) { e, day in e.write(day); e.write([String]()) { _, _ in } }
        #expect(throws: SnapshotError.self) { try IntakeCounters.Counts(decoding: e.bytes) }
    }
}
