import CreditLedger
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

/// The ledger as an HTTP/JSON service (docs/server.md): one embedded ``Ledger`` answering the
/// routes under `/v1/` for the principals of a ``ConfigurationFile``, every query recorded in the
/// ledger's ``QueryAuditLog`` before it is answered.
///
/// ```swift
/// let ledger = try Ledger.open(directory: "/var/lib/credit")
/// let audit = try QueryAuditLog.open(ledgerDirectory: "/var/lib/credit")
/// let server = LedgerServer(ledger: ledger, audit: audit, configuration: try ConfigurationFile(path: "/var/lib/credit/server.json", logger: logger), logger: logger)
/// try await server.run(host: "127.0.0.1", port: 8080, shutdownSignals: [.sigterm, .sigint]) { port in print(port) }
/// try audit.close(); try ledger.close()
/// ```
public struct LedgerServer: Sendable {
    /// The ledger answered from and appended to.
    public let ledger: Ledger
    /// Principals, roles and limits, re-read when the file changes.
    public let configuration: ConfigurationFile
    /// Where request lines and failures go.
    public let logger: Logger
    /// Where every query is recorded before it is answered.
    public let audit: QueryAuditLog
    /// The appends of concurrent requests, combined into group commits.
    let appends: AppendQueue
    /// Counters, gauges and latency histograms, served at `/metrics`.
    let metrics = ServerMetrics()
    /// The named subscriptions' checkpoints, under `DIR/subscriptions/`.
    let subscriptions: SubscriptionStore
    private let connections = ConnectionCount()

    /// Creates a server for `ledger`; it listens once ``run(host:port:shutdownSignals:onListening:)`` is called.
    public init(ledger: Ledger, audit: QueryAuditLog, configuration: ConfigurationFile, logger: Logger) {
        self.ledger = ledger
        self.audit = audit
        self.configuration = configuration
        self.logger = logger
        appends = AppendQueue(ledger: ledger, metrics: metrics)
        subscriptions = SubscriptionStore(ledgerDirectory: ledger.directory)
    }

    /// Records what opening the ledger replayed and how long it took (`credit_ledger_replay_*`).
    public func startedUp(replayedFacts: UInt64, seconds: Double) {
        metrics.startedUp(replayedFacts: replayedFacts, seconds: seconds)
        logger.info("ledger opened", metadata: ["replayedFacts": "\(replayedFacts)", "seconds": "\(String(format: "%.3f", seconds))"])
    }

    /// `POST /v1/facts` requests answered and the ledger appends (group commits, each one
    /// `fdatasync`) that answered them, since the server was created.
    public var appendCounts: (requests: Int, commits: Int) { appends.counts }

    /// The router: the gateway (authentication, error bodies, request log) around every route.
    public func router() -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: Gateway(configuration: configuration, logger: logger, metrics: metrics))
        let facts = FactsRoute(appends: appends, configuration: configuration)
        let queries = QueryRoutes(ledger: ledger, audit: audit)
        let analyses = AnalysisRoutes(ledger: ledger, audit: audit)
        let events = EventRoutes(ledger: ledger, subscriptions: subscriptions, configuration: configuration, logger: logger, metrics: metrics)
        router.get("/openapi.json") { _, _ in try OpenAPIDocument.response() }
        router.get("/metrics", use: MetricsRoute(ledger: ledger, metrics: metrics).scrape)
        router.post("/v1/facts", use: facts.post)
        router.get("/v1/facts", use: events.follow)
        router.put("/v1/subscriptions/:name", use: events.create)
        router.get("/v1/subscriptions/:name", use: events.read)
        router.get("/v1/subscriptions/:name/events", use: events.events)
        router.post("/v1/subscriptions/:name/ack", use: events.acknowledge)
        router.get("/v1/subjects/:code/penetration", use: analyses.subject)
        router.get("/v1/penetration", use: analyses.coverage)
        router.get("/v1/feedback", use: analyses.feedback)
        let office = OfficeRoutes(ledger: ledger, audit: audit)
        router.get("/v1/indicators", use: office.indicators)
        router.get("/v1/lists", use: office.lists)
        router.get("/v1/subjects/:code", use: queries.subject)
        router.get("/v1/subjects/:code/report", use: queries.report)
        router.get("/v1/subjects/:code/measures", use: queries.measures)
        router.get("/v1/grades", use: queries.grades)
        router.get("/v1/quality", use: queries.quality)
        router.get("/v1/digest", use: queries.digest)
        router.get("/v1/head", use: queries.head)
        router.get("/v1/audit", use: AuditRoute(audit: audit).list)
        return router
    }

    /// Serves until cancelled or, gracefully, until one of `shutdownSignals` arrives: the server
    /// stops accepting connections and finishes the requests in flight before this returns. The
    /// caller closes the ledger afterwards. `onListening` gets the bound port (useful with port 0).
    public func run(host: String, port: Int, shutdownSignals: [UnixSignal] = [],
                    onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let logger = self.logger
        let configuration = self.configuration, connections = self.connections, metrics = self.metrics
        // A guard per connection, with the limits in force when it opens.
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(limits: configuration.current.limits, count: connections, metrics: metrics, logger: logger)])
        let application = Application(
            router: router(),
            server: .http1(configuration: http),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "credit-ledger"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                logger.info("listening", metadata: ["host": "\(host)", "port": "\(bound)"])
                await onListening(bound)
            },
            logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: shutdownSignals, cancellationSignals: [], logger: logger))
        defer {
            let counts = appendCounts
            let audited = audit.groupCommitCounts
            logger.info("stopped", metadata: ["appendRequests": "\(counts.requests)", "groupCommits": "\(counts.commits)",
                                              "auditEntries": "\(audited.entries)", "auditCommits": "\(audited.commits)"])
        }
        try await group.run()
    }
}
