import ArgumentParser
import CreditLedger
import CreditLedgerServer
import Foundation
import Logging

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
            heartbeat 15 s and stall 30 s. With --checkpoint-key, signed checkpoints of the Merkle tree go to \
            DIR/checkpoints/ every 10,000 facts or 600 s (when facts came), and on stop (docs/proofs.md). Named subscriptions are kept in DIR/subscriptions/. Every query is recorded \
            in the query audit log DIR/audit (created on the first start) before it is answered; a damaged audit log \
            stops serve (exit 2). SIGTERM/SIGINT finish the requests in flight and end event streams, then close the \
            ledger with a snapshot (exit 2 if closing fails).
            """)

    @Option(name: .long, help: "The ledger directory (created if missing).")
    var ledger: String = "./ledger"

    @Option(help: "Address to listen on (default: the configuration's, 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on; 0 takes a free port (default: the configuration's, 8080).")
    var port: Int?

    @Option(help: "The configuration file (default: DIR/server.json).")
    var config: String?

    @Option(name: .customLong("checkpoint-key"), help: "Sign checkpoints of the ledger's Merkle tree with this private key (PEM, Ed25519 or SM2) into DIR/checkpoints/, on the schedule below and on stop.")
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

    func run() async throws {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        let logger = Logger(label: "credit-ledger.server")
        let opened: Ledger
        let start = ContinuousClock.now
        do {
            var configuration = try LedgerOptions.configuration(calendar: calendarPath)
            configuration.checkpoints = try checkpointSchedule()
            opened = try Ledger.open(directory: ledger, configuration: configuration)
        } catch {
            printError("credit-ledger: \(error)")
            throw ExitCode(CLIFailure(error).status.rawValue)
        }
        let audit = try Self.openAudit(ledger, closing: opened)
        let server: LedgerServer
        do {
            server = LedgerServer(ledger: opened, audit: audit, configuration: try configurationFile(logger: logger), logger: logger)
        } catch {
            printError("credit-ledger: \(error)")
            // The configuration is the usage error; a failure to close the ledger too is reported
            // and, being the graver, decides the exit status.
            do { try audit.close(); try opened.close() } catch {
                printError("credit-ledger: closing the ledger failed: \(error)")
                throw ExitCode(CLIFailure(error).status.rawValue)
            }
            throw ExitCode(ExitStatus.usage.rawValue)
        }
        let took = ContinuousClock.now - start
        server.startedUp(replayedFacts: (try? opened.head.recordCount) ?? 0,
                         seconds: Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
        let settings = server.configuration.current
        let host = self.host ?? settings.host
        var failed = false
        do {
            try await server.run(host: host, port: port ?? settings.port, shutdownSignals: [.sigterm, .sigint]) { bound in
                Self.say("listening on http://\(host):\(bound)")
            }
        } catch {
            logger.error("the server stopped on an error", metadata: ["error": "\(error)"])
            failed = true
        }
        do { try audit.close(); try opened.close() } catch {
            logger.error("closing the ledger failed", metadata: ["error": "\(error)"])
            throw ExitCode(ExitStatus.damaged.rawValue)
        }
        logger.info("ledger closed", metadata: ["directory": "\(ledger)"])
        if failed { throw ExitCode(ExitStatus.damaged.rawValue) }
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

    /// The ledger's query audit log (created on first start): a server that cannot record queries
    /// does not start (exit 2), after closing the ledger it opened.
    private static func openAudit(_ directory: String, closing opened: Ledger) throws -> QueryAuditLog {
        do { return try QueryAuditLog.open(ledgerDirectory: directory) } catch {
            printError("credit-ledger: \(error)")
            do { try opened.close() } catch { printError("credit-ledger: closing the ledger failed: \(error)") }
            throw ExitCode(ExitStatus.damaged.rawValue)
        }
    }

    /// The configuration file; on a first start at the default path, a new one with one admin
    /// token, which is printed once here and stored only as its hash.
    private func configurationFile(logger: Logger) throws -> ConfigurationFile {
        let path = config ?? ledger + "/server.json"
        if !FileManager.default.fileExists(atPath: path) {
            guard config == nil else { throw ConfigurationError("\(path): no such configuration file") }
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
