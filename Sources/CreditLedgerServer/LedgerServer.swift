import CreditLedger
import CreditPages
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
///
/// A large ledger takes a while to open (the replay): ``run(configuration:logger:pages:host:port:shutdownSignals:open:onListening:onReady:)``
/// listens first and answers `GET /v1/ready` and `/metrics` with the replay's progress meanwhile.
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
    let metrics: ServerMetrics
    /// The named subscriptions' checkpoints, under `DIR/subscriptions/`.
    let subscriptions: SubscriptionStore
    /// The renderer of the HTML pages (``Representation``).
    let pages: Pages
    private let connections: ConnectionCount

    /// Creates a server for `ledger`; it listens once ``run(host:port:shutdownSignals:onListening:)`` is called.
    /// `pages` renders the HTML pages (default: the shipped templates).
    public init(ledger: Ledger, audit: QueryAuditLog, configuration: ConfigurationFile, logger: Logger, pages: PageRenderer? = nil) {
        self.init(ledger: ledger, audit: audit, configuration: configuration, logger: logger, pages: pages, metrics: ServerMetrics(),
                  connections: ConnectionCount())
    }

    /// A server whose metrics and connection count began before its ledger was open (``run(configuration:logger:pages:host:port:shutdownSignals:open:onListening:onReady:)``).
    init(ledger: Ledger, audit: QueryAuditLog, configuration: ConfigurationFile, logger: Logger, pages: PageRenderer?,
         metrics: ServerMetrics, connections: ConnectionCount) {
        self.metrics = metrics
        self.connections = connections
        self.pages = Pages(renderer: pages.map { .success($0) } ?? Result { () throws(PageTemplateError) in try PageRenderer() })
        self.ledger = ledger
        self.audit = audit
        self.configuration = configuration
        self.logger = logger
        // Read once, at start (docs/server.md): threads keep the priority they started with.
        appends = AppendQueue(ledger: ledger, metrics: metrics, niceness: Int32(configuration.current.appends.niceness))
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
        let facts = FactsRoute(appends: appends, intake: ledger.intake)
        let queries = QueryRoutes(ledger: ledger, audit: audit, pages: pages, metrics: metrics, configuration: configuration)
        let analyses = AnalysisRoutes(queries: queries)
        let events = EventRoutes(ledger: ledger, audit: audit, subscriptions: subscriptions, configuration: configuration, logger: logger, metrics: metrics)
        router.get("/openapi.json") { _, _ in try OpenAPIDocument.response() }
        router.get("/v1/ready") { request, _ in
            _ = try QueryParameters(request, allowed: [])
            return JSONResponse.make(StartupGate.ready, masking: .masked)
        }
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
        let office = OfficeRoutes(queries: queries)
        router.get("/v1/indicators", use: office.indicators)
        router.get("/v1/lists", use: office.lists)
        router.get("/v1/worklist", use: office.worklist)
        router.get("/v1/subjects/:code/file", use: office.file)
        router.get("/v1/subjects/:code/cases", use: office.cases)
        router.get("/v1/subjects/:code/repairs/:repairNo/certificate", use: office.certificate)
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
        defer { logStopped() }
        try await Self.serve(responder: router().buildResponder(), host: host, port: port, shutdownSignals: shutdownSignals,
                             configuration: configuration, metrics: metrics, connections: connections, logger: logger) { bound, _ in
            logger.info("listening", metadata: ["host": "\(host)", "port": "\(bound)"])
            await onListening(bound)
        }
    }

    /// Listens at once and opens the ledger meanwhile with `open` (which may take minutes: the
    /// replay), so that the start-up can be watched: until the ledger is open `GET /v1/ready`
    /// answers 503 with the replay's progress, `GET /metrics` the metrics with
    /// `credit_ledger_replay_facts` moving, and every other route 503 (``StartupGate``). Then the
    /// full routes answer and `onReady` gets the server and the bound port (`onListening` gets the
    /// port as soon as the server listens). If `open` fails the
    /// server stops and this throws its error; otherwise it serves as
    /// ``run(host:port:shutdownSignals:onListening:)`` does. `open` is told the replay's progress
    /// (facts replayed, of the log's) and runs off the event loops; the caller closes what it
    /// opened afterwards.
    public static func run(configuration: ConfigurationFile, logger: Logger, pages: PageRenderer? = nil, host: String, port: Int,
                           shutdownSignals: [UnixSignal] = [],
                           open: @escaping @Sendable (_ progress: @escaping @Sendable (_ replayed: UInt64, _ total: UInt64) -> Void) throws
                               -> (Ledger, QueryAuditLog),
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in },
                           onReady: @escaping @Sendable (LedgerServer, Int) async -> Void = { _, _ in }) async throws {
        let metrics = ServerMetrics(), connections = ConnectionCount(), gate = StartupGate()
        metrics.replayProgress(replayed: 0, total: 0)
        let opening = StartupRoutes.router(gate: gate, configuration: configuration, logger: logger, metrics: metrics).buildResponder()
        let failure = Slot<any Error>(), started = Slot<LedgerServer>()
        defer { started.value?.logStopped() }
        try await serve(responder: SwitchingResponder(gate: gate, opening: opening), host: host, port: port, shutdownSignals: shutdownSignals,
                        configuration: configuration, metrics: metrics, connections: connections, logger: logger) { bound, group in
            logger.info("listening; opening the ledger", metadata: ["host": "\(host)", "port": "\(bound)"])
            await onListening(bound)
            let start = ContinuousClock.now
            do {
                let (ledger, audit) = try await Offload.run { () throws -> (Ledger, QueryAuditLog) in
                    try open { replayed, total in
                        gate.progress(replayed: replayed, total: total)
                        metrics.replayProgress(replayed: replayed, total: total)
                    }
                }
                let server = LedgerServer(ledger: ledger, audit: audit, configuration: configuration, logger: logger, pages: pages,
                                          metrics: metrics, connections: connections)
                let took = ContinuousClock.now - start
                server.startedUp(replayedFacts: (try? ledger.head.recordCount) ?? 0,
                                 seconds: Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18)
                started.set(server)
                gate.ready(server.router().buildResponder())
                await onReady(server, bound)
            } catch {
                gate.failed("\(error)")
                failure.set(error)
                await group.triggerGracefulShutdown()
            }
        }
        if let error = failure.value { throw error }
    }

    /// The line that says what the server did, when it stops.
    private func logStopped() {
        let counts = appendCounts
        let audited = audit.groupCommitCounts
        logger.info("stopped", metadata: ["appendRequests": "\(counts.requests)", "groupCommits": "\(counts.commits)",
                                          "auditEntries": "\(audited.entries)", "auditCommits": "\(audited.commits)",
                                          "auditSyncs": "\(audit.syncCount)", "auditSyncFailure": "\(audit.syncFailure ?? "none")"])
    }

    /// Serves `responder` on `host:port` with the connection limits until cancelled or a graceful
    /// shutdown. `onRunning` is called once listening, with the bound port and the service group
    /// (to stop it); it may take its time, off the event loops.
    private static func serve(responder: some HTTPResponder<ServerContext>, host: String, port: Int, shutdownSignals: [UnixSignal],
                              configuration: ConfigurationFile, metrics: ServerMetrics, connections: ConnectionCount, logger: Logger,
                              onRunning: @escaping @Sendable (Int, ServiceGroup) async -> Void) async throws {
        // A guard per connection, with the limits in force when it opens.
        let http = HTTP1Channel.Configuration(
            additionalChannelHandlers: [ConnectionGuard(limits: configuration.current.limits, count: connections, metrics: metrics, logger: logger)])
        let group = Slot<ServiceGroup>()
        let application = Application(
            responder: responder,
            server: .http1(configuration: http),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "credit-ledger"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                // Run apart from the server's start-up, which waits for this call to return.
                guard let running = group.value else { return }
                Task { await onRunning(bound, running) }
            },
            logger: logger)
        let services = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [application], gracefulShutdownSignals: shutdownSignals, cancellationSignals: [], logger: logger))
        group.set(services)
        try await services.run()
    }
}
