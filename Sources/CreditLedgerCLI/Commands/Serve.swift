import ArgumentParser
import CreditLedger
import CreditLedgerPostgres
import CreditLedgerServer
import CreditPages
import Foundation
import LedgerPostgres
import Logging
import Synchronization

/// `serve --ledger DIR [--host H] [--port N] [--config FILE]`: the ledger as an HTTP/JSON
/// service (docs/server.md). On a first start without a configuration it writes one next to the
/// ledger with a single admin token, printed once; SIGTERM or SIGINT stop it gracefully.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the ledger over HTTP/JSON (routes under /v1/, bearer tokens, roles; docs/server.md).",
        discussion: """
            The configuration file (default DIR/server.json, mode 0600; every key documented with its default in \
            docs/server.md) holds the listening address, the limits, the roles and the principals with the SHA-256 of \
            their tokens; it is re-read when it changes (tokens rotate without a restart). Without one, serve writes it \
            with one admin principal, prints that token once, and listens on 127.0.0.1:8080 only. Default limits: body \
            32 MiB, 10,000 facts per request, 512 connections, 30 s for a request to arrive, 120 s idle, event streams \
            heartbeat 15 s and stall 30 s, a query's purpose up to 500 characters. Audit: "audit": {"commit": "durable"} \
            (default: every query's audit entry durable before its answer) or "written" (written before, durable within \
            "syncMilliseconds", default 20; a machine crash can lose that window). "appends": {"niceness": N} (0…19, \
            default 0) runs the appends' threads and periodic snapshots that much lower than the queries. With --checkpoint-key, signed checkpoints of the Merkle tree go to \
            DIR/checkpoints/ (on PostgreSQL: the checkpoints table beside the log) every 10,000 facts or 600 s (when facts came), and on stop (docs/proofs.md). The HTML pages (Accept: text/html) use the shipped templates, or those of \
            --templates DIR in their place. Named subscriptions are kept in DIR/subscriptions/. Every query is recorded \
            in the query audit log DIR/audit (created on the first start) before it is answered; a damaged audit log \
            stops serve (exit 2). SIGTERM/SIGINT finish the requests in flight and end event streams, then close the \
            ledger with a snapshot (exit 2 if closing fails).
            """)

    @Option(name: .long, help: "The ledger directory (created if missing), or a PostgreSQL ledger: postgres://user@host[:port]/database[?schema=name] (password from PGPASSWORD or PGPASSWORD_FILE; docs/postgres.md).")
    var ledger: String = "./ledger"

    @Option(name: .long, help: "With a PostgreSQL ledger: this server's local directory, one per process (server.json, snapshots, the query audit log, subscriptions). Default ./ledger-state.")
    var state: String?

    /// Where this server keeps its files: the ledger's directory, or a PostgreSQL ledger's local state directory.
    var home: String { PostgresLocation.isURL(ledger) ? state ?? "./ledger-state" : ledger }

    /// The ledger as it may be named in output: a PostgreSQL location without its password.
    var ledgerName: String {
        guard PostgresLocation.isURL(ledger) else { return ledger }
        return (try? PostgresLocation(url: ledger).description) ?? "a PostgreSQL ledger"
    }

    @Option(help: "Address to listen on (default: the configuration's, 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 takes a free port (default: the configuration's, 8080).")
    var port: Int?

    @Option(help: "The configuration file (default: DIR/server.json).")
    var config: String?

    @Option(name: .customLong("checkpoint-key"), help: "Sign checkpoints of the ledger's Merkle tree with this private key (PEM, Ed25519 or SM2) into DIR/checkpoints/ (on PostgreSQL: the checkpoints table beside the log, shared by every server), on the schedule below and on stop.")
    var checkpointKey: String?

    @Option(name: .customLong("checkpoint-key-name"), help: "The name the checkpoints' signatures carry (default: the key file's name without .pem).")
    var checkpointKeyName: String?

    @Option(name: .long, help: "The origin line of the checkpoints, naming the ledger (default: credit-ledger/ and the ledger directory's name).")
    var origin: String?

    @Option(name: .customLong("checkpoint-every-facts"), help: "With --checkpoint-key: sign once this many facts came since the last checkpoint.")
    var checkpointEveryFacts: Int = CheckpointSchedule.defaultEveryFacts

    @Option(name: .customLong("checkpoint-every-seconds"), help: "With --checkpoint-key: sign this many seconds after the last checkpoint when facts came since.")
    var checkpointEverySeconds: Double = CheckpointSchedule.defaultEverySeconds

    @Option(name: .customLong("calendar"), help: "A holiday calendar (the format of cn-holidays.json) replacing the bundled one, by which working-day deadlines are judged.")
    var calendarPath: String?

    @Option(name: .customLong("rules"), help: "A district rule file laid over the bundled national regimes (same format as rule-regimes.json); repeat to apply several in order.")
    var rulePaths: [String] = []

    @OptionGroup var pages: PageOptions

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "credit-ledger.server")
        // The page templates are read first: a broken one stops serve before the ledger is opened.
        let renderer: PageRenderer
        do { renderer = try pages.renderer() } catch let failure as CLIFailure {
            printError("credit-ledger: \(failure.message)")
            throw ExitCode(failure.status.rawValue)
        }
        // The rules and the checkpoint schedule are checked before anything is written (server.json).
        let ledgerConfiguration: LedgerConfiguration
        do {
            var configuration = try LedgerOptions.configuration(calendar: calendarPath, rules: rulePaths)
            configuration.checkpoints = try checkpointSchedule()
            ledgerConfiguration = configuration
        } catch let failure as CLIFailure {
            printError("credit-ledger: \(failure.message)")
            throw ExitCode(failure.status.rawValue)
        }
        let configuration: ConfigurationFile
        do { configuration = try configurationFile(logger: logger) } catch {
            printError("credit-ledger: \(error)")
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let settings = configuration.current
        // A server that puts its queries first writes its periodic snapshots at the appends' priority too.
        let openedConfiguration = { var opened = ledgerConfiguration; opened.snapshotNiceness = settings.appends.niceness; return opened }()
        let host = self.host ?? settings.host
        let directory = ledger
        let home = self.home
        if PostgresLocation.isURL(ledger) {
            do { _ = try LedgerOptions.postgresLocation(ledger) } catch let failure as CLIFailure {
                printError("credit-ledger: \(failure.message)")
                throw ExitCode(failure.status.rawValue)
            }
        }
        // The server listens while the ledger opens (GET /v1/ready and /metrics show the replay's
        // progress); what was opened is closed here when it stops.
        let opened = Opened()
        var failure: (any Error)?
        do {
            try await LedgerServer.run(configuration: configuration, logger: logger, pages: renderer, host: host, port: port ?? settings.port,
                                       shutdownSignals: [.sigterm, .sigint]) { progress in
                let both = try Self.open(directory, home: home, configuration: openedConfiguration, audit: settings.audit.auditCommit,
                                         progress: progress)
                opened.value.withLock { $0 = both }
                return both
            } onReady: { _, bound in
                Self.say("listening on http://\(host):\(bound)")
            }
        } catch {
            failure = error
        }
        var status: ExitStatus?
        if let failure {
            if let refused = failure as? OpenFailure {
                printError("credit-ledger: \(refused.message)")
                status = refused.status
            } else {
                logger.error("the server stopped on an error", metadata: ["error": "\(failure)"])
                status = .damaged
            }
        }
        if case let (ledger, audit)? = opened.value.withLock({ $0 }) {
            do { try audit.close(); try ledger.close() } catch {
                logger.error("closing the ledger failed", metadata: ["error": "\(error)"])
                throw ExitCode(ExitStatus.damaged.rawValue)
            }
            logger.info("ledger closed", metadata: ["ledger": "\(ledgerName)"])
        }
        if let status { throw ExitCode(status.rawValue) }
    }

    /// The schedule of signed checkpoints, when a key is given.
    private func checkpointSchedule() throws -> CheckpointSchedule? {
        guard let checkpointKey else { return nil }
        guard checkpointEveryFacts > 0, checkpointEverySeconds > 0 else {
            throw CLIFailure(.usage, "--checkpoint-every-facts and --checkpoint-every-seconds must be positive")
        }
        return CheckpointSchedule(key: try ProofFiles.signingKey(checkpointKey, name: checkpointKeyName),
                                  origin: origin ?? ProofFiles.defaultOrigin(ledger),
                                  everyFacts: checkpointEveryFacts, everySeconds: checkpointEverySeconds)
    }

    /// What the server opened, for closing it when the server stops.
    private final class Opened: Sendable {
        let value = Mutex<(Ledger, QueryAuditLog)?>(nil)
    }

    /// Why the ledger or its audit log could not be opened, with the exit status.
    struct OpenFailure: Error {
        var status: ExitStatus
        var message: String
    }

    /// Opens the ledger and its query audit log (created on first start). A server that cannot
    /// record queries does not start (exit 2): the ledger it opened is closed first.
    private static func open(_ directory: String, home: String, configuration: LedgerConfiguration, audit commit: AuditCommit,
                             progress: @escaping @Sendable (UInt64, UInt64) -> Void) throws -> (Ledger, QueryAuditLog) {
        let ledger: Ledger
        do {
            if PostgresLocation.isURL(directory) {
                ledger = try Ledger.open(postgres: try PostgresLocation(url: directory), stateDirectory: home, configuration: configuration,
                                         progress: progress)
            } else {
                ledger = try Ledger.open(directory: directory, configuration: configuration, progress: progress)
            }
        } catch {
            throw OpenFailure(status: CLIFailure(error).status, message: "\(error)")
        }
        do { return (ledger, try QueryAuditLog.open(ledgerDirectory: home, commit: commit)) } catch {
            var message = "\(error)"
            do { try ledger.close() } catch { message += "\ncredit-ledger: closing the ledger failed: \(error)" }
            throw OpenFailure(status: .damaged, message: message)
        }
    }

    /// The configuration file; on a first start at the default path, a new one with one admin
    /// token, which is printed once here and stored only as its hash.
    private func configurationFile(logger: Logger) throws -> ConfigurationFile {
        let path = config ?? home + "/server.json"
        if !FileManager.default.fileExists(atPath: path) {
            guard config == nil else { throw ConfigurationError("\(path): no such configuration file") }
            // A first start: the ledger's directory is made for the file (the ledger fills it).
            try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
            let (fresh, token) = ServerConfiguration.firstStart()
            try fresh.write(path: path)
            Self.say("wrote \(path) with one admin principal; its token (shown only now):\n\(token)")
        }
        return try ConfigurationFile(path: path, logger: logger)
    }

    /// A line on stdout, flushed at once (a supervisor or test reads it from a pipe).
    private static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
