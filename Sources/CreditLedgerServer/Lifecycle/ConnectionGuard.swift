import CreditDocuments
import HTTPTypes
import Logging
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The connections of one server, counted across them.
final class ConnectionCount: Sendable {
    private let open = Atomic<Int>(0)

    /// Counts a new connection; returns how many are open with it.
    func opened() -> Int { open.wrappingAdd(1, ordering: .relaxed).newValue }

    /// Counts a closed connection; returns how many stay open.
    func closed() -> Int { open.wrappingSubtract(1, ordering: .relaxed).newValue }
}

/// The limits on connections and time, enforced on each connection's HTTP parts (in the channel
/// pipeline, below the routes):
/// - a connection past `maxConnections` is answered 503 with the reason and closed;
/// - a request whose headers and body have not arrived whole within `requestTimeoutSeconds` of its
///   head is answered 408 with the reason and closed: its route never sees a whole body, so
///   nothing of it is appended;
/// - a connection idle between requests for `idleTimeoutSeconds` is closed.
///
/// A response being written (an event stream) is never timed: only what the client sends is.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let limits: ServerLimits
    private let count: ConnectionCount
    private let metrics: ServerMetrics
    private let logger: Logger
    private var counted = false
    private var overLimit = false
    private var receiving = false
    private var timer: Scheduled<Void>?

    init(limits: ServerLimits, count: ConnectionCount, metrics: ServerMetrics, logger: Logger) {
        self.limits = limits
        self.count = count
        self.metrics = metrics
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = true
        let open = count.opened()
        metrics.connections.record(Double(open))
        overLimit = open > limits.maxConnections
        if context.channel.isActive { started(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        started(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            receiving = true
            arm(context, after: limits.requestTimeoutSeconds) { guard $0.receiving else { return }; $0.refuse($1, .requestTimeout, Self.timeoutReason($0.limits)) }
        case .end:
            receiving = false
            timer?.cancel()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), !receiving {
            arm(context, after: limits.idleTimeoutSeconds) { _, context in context.close(promise: nil) }
        }
        context.write(data, promise: promise)
    }

    private func started(_ context: ChannelHandlerContext) {
        guard overLimit else {
            arm(context, after: limits.idleTimeoutSeconds) { _, context in context.close(promise: nil) }
            return
        }
        overLimit = false
        refuse(context, .serviceUnavailable, "the server has \(limits.maxConnections) connections open, its limit; try again shortly")
    }

    private func release() {
        guard counted else { return }
        counted = false
        metrics.connections.record(Double(count.closed()))
    }

    private func arm(_ context: ChannelHandlerContext, after seconds: Double,
                     _ fire: @escaping (ConnectionGuard, ChannelHandlerContext) -> Void) {
        timer?.cancel()
        let loop = context.eventLoop.assumeIsolated()
        timer = loop.scheduleTask(in: .nanoseconds(Int64(seconds * 1e9))) { [self] in fire(self, context) }
    }

    static func timeoutReason(_ limits: ServerLimits) -> String {
        "the request did not arrive whole within \(limits.requestTimeoutSeconds) s (requestTimeoutSeconds); nothing of it was done"
    }

    /// Answers with the JSON error body and closes the connection.
    private func refuse(_ context: ChannelHandlerContext, _ status: HTTPResponse.Status, _ reason: String) {
        metrics.refusal(status == .serviceUnavailable ? "too_many_connections" : ServerMetrics.reason(status.code))
        logger.warning("connection refused", metadata: ["status": "\(status.code)", "reason": "\(reason)",
                                                         "remote": "\(context.channel.remoteAddress?.description ?? "-")"])
        let body = ServerError(status, reason).json.text + "\n"
        var head = HTTPResponse(status: status)
        head.headerFields = [.contentType: "application/json; charset=utf-8", .contentLength: "\(body.utf8.count)", .connection: "close"]
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(context.channel.allocator.buffer(string: body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }
}
