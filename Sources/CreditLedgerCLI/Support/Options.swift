import ArgumentParser
import CreditFacts
import CreditLedger
import CreditLedgerPostgres
import Foundation
import LedgerPostgres
import LedgerStorage
import Synchronization

/// Options every command that reads a ledger takes.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: "The ledger directory, or a PostgreSQL ledger: postgres://user@host[:port]/database[?schema=name] (the password from PGPASSWORD or the file named by PGPASSWORD_FILE; docs/postgres.md).")
    var ledger: String = "./ledger"

    @Option(name: .long, help: "With a PostgreSQL ledger: this process's local state directory (snapshots; a query audit log kept by serve). Default ./ledger-state.")
    var state: String?

    @Flag(name: .long, help: "One JSON document on stdout, keys in a stable order.")
    var json = false

    @Flag(name: .customLong("show-identities"),
          help: "Show citizen identity numbers in full (default: masked as 3101**********123X in text, JSON and HTML).")
    var showIdentities = false

    @Option(name: .long, help: "Why the query is asked (查询事由): required when the ledger keeps a query audit log (LEDGER/audit, created by serve), which records it with the operating-system user.")
    var purpose: String?

    @Option(name: .customLong("calendar"), help: "A holiday calendar (the format of cn-holidays.json) replacing the bundled one, by which working-day deadlines are judged.")
    var calendarPath: String?

    @Option(name: .customLong("rules"), help: "A district rule file laid over the bundled national regimes (same format as rule-regimes.json: regimes, channels, channelBySource); repeat to apply several in order.")
    var rulePaths: [String] = []

    /// Applies `--show-identities` as soon as the command line is parsed, before anything is printed.
    func validate() throws {
        if showIdentities { IdentityOutput.show() }
    }

    /// Opens the ledger: as its writer when `creating` (import), otherwise read-only, so that a
    /// query takes no lock, runs beside a writer in another process and never writes a byte. A
    /// missing directory is an error for reading commands. `segmentBytes` sets the size at which
    /// the writer seals a segment (the default when nil); `hash` the hash function of a new
    /// ledger (nil: the existing one's, or SHA-256).
    func open(creating: Bool = false, segmentBytes: Int? = nil, hash: LogHashAlgorithm? = nil) throws -> Ledger {
        if PostgresLocation.isURL(ledger) { return try openPostgres(creating: creating, hash: hash) }
        if !creating && !FileManager.default.fileExists(atPath: ledger + "/log") {
            throw CLIFailure(.damaged, "no ledger at \(ledger) (create one with `credit-ledger import --ledger \(ledger) FILE`)")
        }
        if !creating { try CLIAudit.begin(ledger: ledger, purpose: purpose) }
        let opened: Ledger
        var configuration = try Self.configuration(calendar: calendarPath, rules: rulePaths)
        if let segmentBytes { configuration.log.segmentBytesMax = segmentBytes }
        configuration.log.hashAlgorithm = hash
        do {
            opened = try Ledger.open(directory: ledger, configuration: configuration, access: creating ? .writer : .readOnly)
        } catch { throw CLIFailure(error) }
        OpenLedgers.register(opened)
        for warning in opened.warnings { printError("credit-ledger: warning: \(warning)") }
        return opened
    }
}

extension LedgerOptions {
    /// The local state directory of a PostgreSQL ledger.
    var stateDirectory: String { state ?? "./ledger-state" }

    /// Opens a PostgreSQL ledger: as a writer when `creating`, else read-only. Queries are audited
    /// when the state directory keeps a query audit log (one written by `serve`).
    private func openPostgres(creating: Bool, hash: LogHashAlgorithm?) throws -> Ledger {
        let location = try Self.postgresLocation(ledger)
        if !creating { try CLIAudit.begin(ledger: stateDirectory, purpose: purpose) }
        var configuration = try Self.configuration(calendar: calendarPath, rules: rulePaths)
        configuration.log.hashAlgorithm = hash
        let opened: Ledger
        do {
            opened = try Ledger.open(postgres: location, stateDirectory: stateDirectory, configuration: configuration,
                                     access: creating ? .writer : .readOnly)
        } catch { throw CLIFailure(error) }
        OpenLedgers.register(opened)
        for warning in opened.warnings { printError("credit-ledger: warning: \(warning)") }
        return opened
    }

    /// A PostgreSQL location from `--ledger` (errors never repeat the URL: it may hold a password).
    static func postgresLocation(_ text: String) throws -> PostgresLocation {
        do { return try PostgresLocation(url: text) } catch { throw CLIFailure(.usage, "--ledger: \(error)") }
    }

    /// Refuses a PostgreSQL ledger for a command that works on a ledger directory only.
    static func requireDirectory(_ ledger: String, for feature: String) throws {
        guard PostgresLocation.isURL(ledger) else { return }
        throw CLIFailure(.refused, "\(feature) is not supported on a PostgreSQL ledger yet")
    }

    /// The default configuration, judging working-day deadlines by the calendar at `path` when given
    /// and by the national regimes with the district rule files at `rules` laid over them, in order.
    static func configuration(calendar path: String?, rules: [String] = []) throws -> LedgerConfiguration {
        var configuration = LedgerConfiguration()
        guard path != nil || !rules.isEmpty else { return configuration }
        let book: RuleBook
        do { book = try RuleBook.national(districtFiles: rules) } catch { throw CLIFailure(.refused, "--rules: \(error)") }
        let calendar: WorkingDayCalendar
        do { calendar = try path.map { try WorkingDayCalendar.load(path: $0) } ?? WorkingDayCalendar.chinaMainland() } catch {
            throw CLIFailure(.refused, "--calendar: \(error)")
        }
        configuration.context = ViewContext(rules: book, calendar: calendar)
        return configuration
    }
}

/// The ledgers a command opened: ``CreditLedgerCommand/run(_:)`` closes each when the command's
/// body ends, and a failure to close (a snapshot or the intake counters not written, the log not
/// released) fails the command. Commands therefore never close a ledger themselves.
enum OpenLedgers {
    private static let opened = Mutex<[@Sendable () throws -> Void]>([])
    /// What was closed, kept until the process ends: a command's process exits right after, and
    /// the kernel reclaims a district's views at once, where freeing them object by object took
    /// about a second.
    private static let closed = Mutex<[@Sendable () throws -> Void]>([])

    /// Remembers `ledger` for closing.
    static func register(_ ledger: Ledger) { register { try ledger.close() } }

    /// Remembers something else opened (a log read directly) by how it is closed.
    static func register(closing close: @escaping @Sendable () throws -> Void) { opened.withLock { $0.append(close) } }

    /// Closes everything opened so far, the last first, returning the failures.
    static func closeAll() -> [any Error] {
        let closers = opened.withLock { list in defer { list.removeAll() }; return list }
        var failures: [any Error] = []
        for close in closers.reversed() {
            do { try close() } catch { failures.append(error) }
        }
        closed.withLock { $0 += closers }
        return failures
    }
}

/// The two time axes of every query.
struct TimeOptions: ParsableArguments {
    @Option(name: .customLong("as-of"), help: "Valid time: a date YYYY-MM-DD (default: today, China Standard Time).")
    var asOf: String?

    @Option(name: .customLong("known-at"), help: "Transaction time: an RFC 3339 timestamp, or a date meaning the end of that day (UTC+08:00). Default: now.")
    var knownAt: String?

    /// Checks both instants when the command line is parsed (bad values are usage errors, 64).
    func validate() throws {
        _ = try date()
        _ = try instant()
    }

    /// The valid-time date.
    func date() throws -> LegalDate {
        guard let asOf else { return Timestamp(RecordedTime.now()).chinaStandardDate }
        do { return try LegalDate(parsing: asOf) } catch {
            throw ValidationError("--as-of \(asOf): \(error)")
        }
    }

    /// The transaction-time instant, or nil for now.
    func instant() throws -> RecordedTime? {
        guard let knownAt else { return nil }
        if let date = try? LegalDate(parsing: knownAt) {
            let endOfDay = try! Timestamp(parsing: "\(date)T23:59:59.999999+08:00")
            return endOfDay.recordedTime
        }
        do { return try Timestamp(parsing: knownAt).recordedTime } catch {
            throw ValidationError("--known-at \(knownAt): \(error)")
        }
    }

    /// How `knownAt` is shown in output (CLI.md: a date means the end of that day, UTC+08:00).
    func knownAtText() throws -> String {
        Timestamp(try instant() ?? RecordedTime.now()).description
    }
}

