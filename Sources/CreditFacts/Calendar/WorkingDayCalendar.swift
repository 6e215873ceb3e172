import Foundation

/// Working days (工作日) of mainland China, from the State Council's yearly holiday notices.
///
/// A day is a working day when it is Monday–Friday and not a holiday or 调休 rest day, or when it is a
/// weekend make-up working day. Deadlines such as 双公示's "within 7 working days of the decision"
/// count working days *after* the decision date: the decision day itself is never counted.
/// The calendar refuses to answer outside the years its data covers rather than guess.
public struct WorkingDayCalendar: Sendable {
    /// The days the data covers completely.
    public let coverage: ClosedRange<LegalDate>
    /// Whether each day of `coverage` is a working day, indexed from its first day.
    private let isWorking: [Bool]

    /// The calendar built from the bundled `cn-holidays.json` (2019–2026).
    /// - Throws: ``WorkingDayCalendarError`` if the bundled data is damaged.
    public static func chinaMainland() throws -> WorkingDayCalendar {
        guard let url = Bundle.module.url(forResource: "Resources/cn-holidays", withExtension: "json") else {
            throw WorkingDayCalendarError.invalidData("cn-holidays.json is missing from the bundle")
        }
        return try WorkingDayCalendar(holidayJSON: try Data(contentsOf: url))
    }

    /// Builds a calendar from holiday data in the format of `cn-holidays.json`: `years.YYYY.off`
    /// (weekdays off) and `years.YYYY.work` (weekend working days). Years whose `source_notes` entry
    /// starts with "PARTIAL" are outside the coverage.
    /// - Throws: ``WorkingDayCalendarError/invalidData(_:)`` naming the bad entry.
    public init(holidayJSON data: Data) throws {
        if let syntax = Self.syntaxError(in: data) { throw WorkingDayCalendarError.invalidData("not JSON: \(syntax)") }
        let file: HolidayFile
        do { file = try JSONDecoder().decode(HolidayFile.self, from: data) } catch {
            throw WorkingDayCalendarError.invalidData("not a holiday file: \(Self.describe(error))")
        }
        for key in file.years.keys.sorted() where Int(key) == nil || key.count != 4 {
            throw WorkingDayCalendarError.invalidData("years: \"\(key)\" is not a year YYYY")
        }
        let complete = file.years.keys.compactMap(Int.init).filter { year in
            !(file.source_notes?[String(year)]?.hasPrefix("PARTIAL") ?? false)
        }
        guard let first = complete.min(), let last = complete.max(), complete.count == last - first + 1 else {
            let gap = complete.min().flatMap { first in (first...(complete.max() ?? first)).first { !complete.contains($0) } }
            throw WorkingDayCalendarError.invalidData("complete years must be consecutive"
                + (gap.map { ": \($0 - 1) is followed by \($0 + 1)" } ?? ": there are none"))
        }
        guard let start = LegalDate(year: first, month: 1, day: 1), let end = LegalDate(year: last, month: 12, day: 31) else {
            throw WorkingDayCalendarError.invalidData("years \(first)…\(last) are outside the dates the ledger handles")
        }
        var flags = (0...start.days(until: end)).map { start.adding(days: $0).isoWeekday <= 5 }
        for (yearText, year) in file.years where complete.contains(Int(yearText) ?? -1) {
            try Self.apply(year.off, expectWeekday: true, working: false, to: &flags, from: start)
            try Self.apply(year.work, expectWeekday: false, working: true, to: &flags, from: start)
        }
        coverage = start...end
        isWorking = flags
    }

    /// A district's calendar from the file at `path`, in the format of `cn-holidays.json` (the
    /// State Council's notice for a year the bundled data does not hold yet). Every error names
    /// the file and, when it can be found, the line: the line of a JSON syntax error, or the first
    /// line holding the date or year at fault.
    /// - Throws: ``WorkingDayCalendarError/invalidData(_:)`` as `FILE:LINE: reason`.
    public static func load(path: String) throws(WorkingDayCalendarError) -> WorkingDayCalendar {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .invalidData("\(path): cannot be read (\(error.localizedDescription))")
        }
        do { return try WorkingDayCalendar(holidayJSON: data) } catch let error as WorkingDayCalendarError {
            let text = String(decoding: data, as: UTF8.self)
            let line = Self.line(of: error, in: text).map { ":\($0)" } ?? ""
            throw .invalidData("\(path)\(line): \(error.reason)")
        } catch {
            throw .invalidData("\(path): \(error)")
        }
    }

    /// The line an error of ``init(holidayJSON:)`` points at in `text`: the line a JSON syntax
    /// error names, else the first line holding the quoted date or year the reason names.
    private static func line(of error: WorkingDayCalendarError, in text: String) -> Int? {
        let reason = error.reason
        if let range = reason.range(of: #"line (\d+)"#, options: .regularExpression) {
            return Int(reason[range].dropFirst(5))
        }
        guard let range = reason.range(of: #"\d{4}(-\d{2}-\d{2})?"#, options: .regularExpression) else { return nil }
        let quoted = "\"" + reason[range] + "\""
        return text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(quoted) }.map { $0 + 1 }
    }

    /// Marks `dates` in `flags`, checking that each is the kind of day its list says.
    private static func apply(_ dates: [String], expectWeekday: Bool, working: Bool,
                              to flags: inout [Bool], from start: LegalDate) throws {
        for text in dates {
            guard let date = try? LegalDate(parsing: text), (start.days(until: date)) < flags.count,
                  start <= date else { throw WorkingDayCalendarError.invalidData("bad date \(text)") }
            guard (date.isoWeekday <= 5) == expectWeekday else {
                throw WorkingDayCalendarError.invalidData("\(text) is listed as \(working ? "a weekend working day" : "a weekday off") but is not")
            }
            flags[start.days(until: date)] = working
        }
    }

    /// Whether `date` is a working day.
    /// - Throws: ``WorkingDayCalendarError/outsideCoverage(_:coverage:)``.
    public func isWorkingDay(_ date: LegalDate) throws(WorkingDayCalendarError) -> Bool {
        guard coverage.contains(date) else { throw .outsideCoverage(date, coverage: coverage) }
        return isWorking[coverage.lowerBound.days(until: date)]
    }

    /// The `n`th working day after `date` (`n` ≥ 1; `date` itself is not counted), e.g. the last day
    /// of a "within 7 working days" deadline.
    /// - Throws: ``WorkingDayCalendarError/outsideCoverage(_:coverage:)`` when the count runs past the data.
    public func workingDay(_ n: Int, after date: LegalDate) throws(WorkingDayCalendarError) -> LegalDate {
        precondition(n >= 1, "count working days from 1")
        var day = date, remaining = n
        while remaining > 0 {
            day = day.adding(days: 1)
            if try isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// The number of working days after `start` up to and including `end` (0 when `end` ≤ `start`),
    /// so that `workingDays(after: d, through: workingDay(7, after: d)) == 7`.
    /// - Throws: ``WorkingDayCalendarError/outsideCoverage(_:coverage:)``.
    public func workingDays(after start: LegalDate, through end: LegalDate) throws(WorkingDayCalendarError) -> Int {
        guard start < end else { return 0 }
        let first = start.adding(days: 1)
        guard coverage.contains(first) else { throw .outsideCoverage(first, coverage: coverage) }
        guard coverage.contains(end) else { throw .outsideCoverage(end, coverage: coverage) }
        let from = coverage.lowerBound.days(until: first), to = coverage.lowerBound.days(until: end)
        return isWorking[from...to].reduce(0) { $0 + ($1 ? 1 : 0) }
    }

    /// The first JSON syntax error in `data` with its line and column (Foundation's decoder says
    /// only that the data is not valid JSON), found with the interchange's scanner.
    private static func syntaxError(in data: Data) -> String? {
        let bytes = [UInt8](data)
        return bytes.withUnsafeBufferPointer { buffer -> String? in
            guard isValidUTF8(buffer) else { return "not UTF-8" }
            let scanner = JSONScanner(base: buffer)
            var i = 0
            do {
                scanner.skipWhitespace(&i)
                try scanner.scanValue(&i, depth: 0)
                scanner.skipWhitespace(&i)
                guard i == buffer.count else { throw JSONScanner.malformed("unexpected text after the document at byte \(i + 1)") }
                return nil
            } catch let error as FactProblem {
                var reason = error.reason
                var offset = buffer.count
                if let range = reason.range(of: #" at byte \d+"#, options: .regularExpression) {
                    offset = (Int(reason[range].dropFirst(9)) ?? buffer.count + 1) - 1
                    reason.removeSubrange(range)
                }
                let before = buffer[..<min(offset, buffer.count)]
                let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
                let column = offset - ((before.lastIndex(of: 0x0A)).map { $0 + 1 } ?? 0) + 1
                return "\(reason) at line \(line), column \(column)"
            } catch {
                return "\(error)"
            }
        }
    }

    /// A decoding error in words, with the path of the value at fault and the parser's position.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        let (path, detail): ([any CodingKey], String)
        switch error {
        case .dataCorrupted(let c):
            let underlying = c.underlyingError.map { ($0 as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\($0)" }
            (path, detail) = (c.codingPath, underlying ?? c.debugDescription)
        case .keyNotFound(let key, let c): (path, detail) = (c.codingPath + [key], "is missing")
        case .typeMismatch(_, let c), .valueNotFound(_, let c): (path, detail) = (c.codingPath, c.debugDescription)
        @unknown default: return "\(error)"
        }
        let dotted = path.map(\.stringValue).joined(separator: ".")
        return dotted.isEmpty ? detail : "\(dotted): \(detail)"
    }

    /// The shape of `cn-holidays.json` (only the fields used).
    private struct HolidayFile: Decodable {
        struct Year: Decodable {
            var off: [String]
            var work: [String]
        }
        var years: [String: Year]
        // swiftlint:disable:next identifier_name
        var source_notes: [String: String]?
    }
}

/// Why a working-day question cannot be answered.
public enum WorkingDayCalendarError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The date lies outside the years whose holiday arrangements are known.
    case outsideCoverage(LegalDate, coverage: ClosedRange<LegalDate>)
    /// The holiday data is malformed or contradicts itself.
    case invalidData(String)

    /// A sentence naming the problem.
    public var description: String {
        switch self {
        case let .outsideCoverage(date, coverage):
            return "\(date) is outside the holiday data (\(coverage.lowerBound) to \(coverage.upperBound))"
        case let .invalidData(reason):
            return "holiday data: \(reason)"
        }
    }

    /// The reason alone (without "holiday data:").
    public var reason: String {
        switch self {
        case .outsideCoverage: description
        case let .invalidData(reason): reason
        }
    }
}
