import CreditDocuments
import Hummingbird
import Logging
import Synchronization

/// Where a server stands while it opens its ledger, which can take minutes on a large log (the
/// replay): it listens from the start, so that an orchestrator or a scraper sees how far the
/// replay has come, and switches to the full routes once the ledger is open.
///
/// Until then `GET /v1/ready` answers 503 with the progress, `GET /metrics` the metrics with
/// `credit_ledger_replay_facts` moving, and every other route 503 naming the progress.
final class StartupGate: Sendable {
    private enum State {
        case opening(replayed: UInt64, total: UInt64)
        case ready(RouterResponder<ServerContext>)
        case failed(String)
    }

    private let state = Mutex(State.opening(replayed: 0, total: 0))

    /// The replay has reached `replayed` of `total` facts.
    func progress(replayed: UInt64, total: UInt64) {
        state.withLock { state in
            if case .opening = state { state = .opening(replayed: replayed, total: total) }
        }
    }

    /// The ledger is open: from now on `responder` answers every request.
    func ready(_ responder: RouterResponder<ServerContext>) { state.withLock { $0 = .ready(responder) } }

    /// The ledger could not be opened; the server is stopping.
    func failed(_ reason: String) { state.withLock { $0 = .failed(reason) } }

    /// The full routes, once the ledger is open.
    var responder: RouterResponder<ServerContext>? {
        state.withLock { state in
            if case .ready(let responder) = state { return responder }
            return nil
        }
    }

    /// `{"state":"opening","progress":F}` (F the share of the log replayed, 0…1), or `failed` with
    /// the reason. Counts are left to `/metrics`, which needs a token.
    var readiness: JSON {
        state.withLock { state -> JSON in
            switch state {
            case .opening(let replayed, let total):
                return .object([("state", .string("opening")), ("progress", .number(Self.share(replayed, total)))])
            case .ready: return Self.ready
            case .failed(let reason): return .object([("state", .string("failed")), ("reason", .string(reason))])
            }
        }
    }

    /// What `GET /v1/ready` answers once the ledger is open.
    static let ready = JSON.object([("state", .string("ready")), ("progress", .number(1))])

    /// Why a route cannot be answered yet.
    var refusal: ServerError {
        state.withLock { state -> ServerError in
            switch state {
            case .opening(let replayed, let total):
                return ServerError(.serviceUnavailable, "the ledger is opening: \(replayed) of \(total) facts replayed; ask again shortly (GET /v1/ready says when)")
            case .ready: return ServerError(.serviceUnavailable, "the server is switching to its routes; ask again")
            case .failed(let reason): return ServerError(.serviceUnavailable, "the ledger could not be opened: \(reason)")
            }
        }
    }

    private static func share(_ replayed: UInt64, _ total: UInt64) -> Double {
        total == 0 ? 0 : (Double(min(replayed, total)) / Double(total) * 1000).rounded() / 1000
    }
}

/// The server's responder: the start-up routes until the ledger is open, then the full routes.
struct SwitchingResponder: HTTPResponder {
    typealias Context = ServerContext
    let gate: StartupGate
    let opening: RouterResponder<ServerContext>

    func respond(to request: Request, context: ServerContext) async throws -> Response {
        if let ready = gate.responder { return try await ready.respond(to: request, context: context) }
        return try await opening.respond(to: request, context: context)
    }
}

/// The routes while the ledger opens: `/v1/ready` and `/metrics`; every other request is answered
/// 503 with the progress (``StartupGate/refusal``).
enum StartupRoutes {
    static func router(gate: StartupGate, configuration: ConfigurationFile, logger: Logger, metrics: ServerMetrics) -> Router<ServerContext> {
        let router = Router(context: ServerContext.self)
        router.add(middleware: Gateway(configuration: configuration, logger: logger, metrics: metrics))
        router.add(middleware: OpeningMiddleware(gate: gate))
        router.get("/openapi.json") { _, _ in try OpenAPIDocument.response() }
        router.get("/v1/ready") { request, _ in
            _ = try QueryParameters(request, allowed: [])
            return JSONResponse.make(gate.readiness, status: .serviceUnavailable, masking: .masked)
        }
        router.get("/metrics") { request, context in
            let caller = try context.authenticated()
            try caller.require(.metrics, for: "read the metrics")
            _ = try QueryParameters(request, allowed: [])
            return MetricsRoute.response(metrics.exposition(headFacts: nil))
        }
        return router
    }

    /// Lets the start-up routes through and refuses everything else with 503.
    struct OpeningMiddleware: RouterMiddleware {
        typealias Context = ServerContext
        let gate: StartupGate

        func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws -> Response {
            guard ["/v1/ready", "/metrics", "/openapi.json"].contains(request.uri.path) else { throw gate.refusal }
            return try await next(request, context)
        }
    }
}

/// One value shared between tasks (a closure that escapes cannot capture a `Mutex` itself).
final class Slot<Value: Sendable>: Sendable {
    private let mutex = Mutex<Value?>(nil)

    /// The value, nil until set.
    var value: Value? { mutex.withLock { $0 } }

    /// Sets the value.
    func set(_ value: Value) { mutex.withLock { $0 = value } }
}
