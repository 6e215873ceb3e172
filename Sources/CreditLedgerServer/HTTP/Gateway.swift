import CreditDocuments
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The context of one request: who is asking, once the gateway has authenticated them.
public struct ServerContext: RequestContext {
    /// Hummingbird's own part of the context.
    public var coreContext: CoreRequestContextStorage
    /// The authenticated caller; nil only on the routes open to anyone (`/openapi.json`).
    public var caller: Caller?
    /// The connection the request came on: an event stream closes it when its consumer stalls.
    let channel: any Channel
    /// The limits in force when the request came (the configuration is re-read when it changes).
    var limits = ServerLimits()

    /// Creates the context of a new request.
    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }

    /// The client's address, `IP:port` (`[IP]:port` for IPv6), as the audit log records it.
    var remote: String? {
        guard let address = channel.remoteAddress else { return nil }
        guard let ip = address.ipAddress, let port = address.port else { return address.description }
        return ip.contains(":") ? "[\(ip)]:\(port)" : "\(ip):\(port)"
    }

    /// The caller of a route that needs one.
    func authenticated() throws(ServerError) -> Caller {
        guard let caller else { throw ServerError(.unauthorized, "a bearer token is required (Authorization: Bearer TOKEN)") }
        return caller
    }
}

/// What every request passes through first: a request id (echoed as `X-Request-ID`),
/// authentication (every route but the open ones), turning any failure into the JSON error body,
/// the latency and refusal metrics, and one structured log line per request with request id,
/// principal, method, route, status and duration. Identity numbers in a logged path are masked.
struct Gateway: RouterMiddleware {
    typealias Context = ServerContext

    let configuration: ConfigurationFile
    let logger: Logger
    let metrics: ServerMetrics
    /// Paths answered without a token.
    static let openPaths: Set<String> = ["/openapi.json", "/v1/ready"]

    func handle(_ request: Request, context: ServerContext, next: (Request, ServerContext) async throws -> Response) async throws
        -> Response
    {
        let start = ContinuousClock.now
        let requestID = Self.newRequestID()
        var context = context
        var masking = IdentityMasking.masked
        let response: Response
        do {
            // Read once per request (one `stat` to see whether the file changed).
            let current = configuration.current
            context.limits = current.limits
            if !Self.openPaths.contains(request.uri.path) {
                let caller = try Caller.authenticate(request, configuration: current)
                context.caller = caller
                masking = caller.masking
            }
            response = try await next(request, context)
        } catch let error as ServerError {
            response = error.response(masking: masking)
        } catch let error as HTTPError {
            response = Self.serverError(error, request).response(masking: masking)
        } catch let error as any HTTPResponseError {
            response = ServerError(error.status, error.status.reasonPhrase.lowercased()).response(masking: masking)
        } catch {
            logger.error("request failed", metadata: ["path": "\(IdentityMasking.mask(request.uri.path))", "error": "\(error)"])
            response = ServerError(.internalServerError, "the server could not answer: \(error)").response(masking: .masked)
        }
        let elapsed = ContinuousClock.now - start
        metrics.request(route: context.endpointPath ?? "unmatched", method: "\(request.method)", status: response.status.code, duration: elapsed)
        log(request, context: context, requestID: requestID, status: response.status, elapsed: elapsed)
        var answered = response
        answered.headers[.init("X-Request-ID")!] = requestID
        return answered
    }

    /// A request id: 16 hex digits from the system's generator, unique enough to find one
    /// request's lines in a day's log.
    static func newRequestID() -> String {
        let value = UInt64.random(in: 0...UInt64.max)
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Hummingbird's own errors (404 for an unknown route or method, 413, …) as error bodies.
    static func serverError(_ error: HTTPError, _ request: Request) -> ServerError {
        switch error.status {
        case .notFound:
            if let allowed = OpenAPIDocument.methods(for: request.uri.path), !allowed.contains(request.method.rawValue) {
                return ServerError(.methodNotAllowed, "\(IdentityMasking.mask(request.uri.path)) answers \(allowed.joined(separator: ", ")), not \(request.method)",
                                   allow: allowed)
            }
            return ServerError(.notFound, "no route \(request.method) \(IdentityMasking.mask(request.uri.path)) (see /openapi.json)")
        case .contentTooLarge: return ServerError(.contentTooLarge, error.body ?? "the request body is too large")
        default: return ServerError(error.status, error.body ?? error.status.reasonPhrase.lowercased())
        }
    }

    private func log(_ request: Request, context: ServerContext, requestID: String, status: HTTPResponse.Status, elapsed: Duration) {
        let milliseconds = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        var metadata: Logger.Metadata = [
            "requestId": "\(requestID)", "principal": "\(context.caller?.principal.name ?? "-")", "method": "\(request.method)",
            "route": "\(IdentityMasking.mask(request.uri.path))", "status": "\(status.code)",
            "durationMs": "\(Self.twoDecimals(milliseconds))",
        ]
        if let purpose = request.headers.queryPurpose ?? request.uri.queryParameters.get("purpose") {
            metadata["purpose"] = "\(purpose)"
        }
        logger.info("request", metadata: metadata)
    }
}

extension Gateway {
    /// `value` with two decimals, as `String(format: "%.2f")` writes it for the durations logged
    /// (non-negative, far below 2^53 hundredths), without a C format string per request.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = UInt64((max(0, value) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0\(fraction)" : "\(fraction)")
    }
}

extension HTTPFields {
    /// `X-Query-Purpose`: why a query is asked (查询事由), when not given as `purpose`.
    var queryPurpose: String? { self[.init("X-Query-Purpose")!] }
}
