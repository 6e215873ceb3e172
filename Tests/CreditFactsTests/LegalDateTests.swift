import Testing
@testable import CreditFacts

/// Legal dates are CST calendar days; timestamps are RFC 3339 with an offset.
@Suite struct LegalDateTests {
    @Test func parsesAndPrintsIsoDates() throws {
        let d = try LegalDate(parsing: "2023-09-28")
        #expect(d.civil == (2023, 9, 28))
        #expect(d.description == "2023-09-28")
        #expect(d.isoWeekday == 4)
    }

    @Test func leapDayExistsOnlyInLeapYears() throws {
        #expect(try LegalDate(parsing: "2024-02-29").description == "2024-02-29")
        #expect(throws: LegalDateError.nonexistent("2023-02-29")) { try LegalDate(parsing: "2023-02-29") }
        #expect(throws: LegalDateError.nonexistent("1900-02-29")) { try LegalDate(parsing: "1900-02-29") }
    }

    @Test func malformedDatesAreRefusedWithTheText() {
        #expect(throws: LegalDateError.malformed("2023-9-28")) { try LegalDate(parsing: "2023-9-28") }
        #expect(throws: LegalDateError.malformed("2023/09/28")) { try LegalDate(parsing: "2023/09/28") }
        #expect(LegalDateError.nonexistent("2023-13-01").description == "2023-13-01 is not a date that exists")
    }

    @Test func sixMonthsFromAugust31stIsTheLastDayOfFebruary() throws {
        #expect(try LegalDate(parsing: "2023-08-31").adding(months: 6).description == "2024-02-29")
        #expect(try LegalDate(parsing: "2023-06-01").adding(months: 36).description == "2026-06-01")
    }

    @Test func datesBefore1970RoundTrip() throws {
        let d = try LegalDate(parsing: "1949-10-01")
        #expect(d.daysSinceEpoch < 0)
        #expect(d.description == "1949-10-01")
        #expect(d.isoWeekday == 6)
    }

    @Test func timestampKeepsItsOffsetAndItsCstDate() throws {
        let t = try Timestamp(parsing: "2023-06-06T10:12:00+08:00")
        #expect(t.description == "2023-06-06T10:12:00+08:00")
        #expect(t.chinaStandardDate.description == "2023-06-06")
        let utc = try Timestamp(parsing: "2023-06-05T20:30:00Z")
        #expect(utc.chinaStandardDate.description == "2023-06-06")
        #expect(utc.description == "2023-06-05T20:30:00Z")
    }

    @Test func timestampFractionsPrintInGroupsOfThree() throws {
        #expect(try Timestamp(parsing: "2023-06-06T10:12:00.5+08:00").description == "2023-06-06T10:12:00.500+08:00")
        #expect(try Timestamp(parsing: "2023-06-06T10:12:00.123456-05:30").description
            == "2023-06-06T10:12:00.123456-05:30")
    }

    @Test func timestampBytesAreTheTextBuiltPieceByPiece() {
        var generator = SplitMix64(seed: 20261203)
        let edges: [Int64] = [0, -1, 86_399, 86_400, -62_167_219_200, -62_167_219_201, 253_402_300_799, 253_402_300_800, 1_764_720_000]
        let seconds = edges + (0..<5_000).map { _ in Int64.random(in: -70_000_000_000...260_000_000_000, using: &generator) }
        for (index, second) in seconds.enumerated() {
            let nanoseconds: UInt32 = [0, 1, 500_000_000, 123_456_000, 999_999_999, UInt32.random(in: 0..<1_000_000_000, using: &generator)][index % 6]
            let offset: Int16 = [0, 480, -330, 1439, -1439, Int16.random(in: -1439...1439, using: &generator)][(index / 6) % 6]
            let stamp = Timestamp(secondsSinceEpoch: second, nanoseconds: nanoseconds, offsetMinutes: offset)!
            #expect(stamp.description == stamp.generalDescription, "\(second) \(nanoseconds) \(offset)")
            #expect(stamp.withDescriptionUTF8 { Array($0) } == Array(stamp.generalDescription.utf8))
        }
    }

    @Test func timestampWithoutOffsetIsRefused() {
        #expect(throws: TimestampError.missingOffset("2023-06-06T10:12:00")) {
            try Timestamp(parsing: "2023-06-06T10:12:00")
        }
    }

    @Test func timestampWithHour24IsRefused() {
        #expect(throws: TimestampError.nonexistent("2023-06-06T24:00:00+08:00")) {
            try Timestamp(parsing: "2023-06-06T24:00:00+08:00")
        }
    }

    @Test func timestampWithNonexistentDateIsRefusedAsMalformed() {
        #expect(throws: TimestampError.malformed("2023-02-30T10:00:00+08:00")) {
            try Timestamp(parsing: "2023-02-30T10:00:00+08:00")
        }
    }
}
