import CreditDocuments
import CreditFacts
import CreditLedger
import Hummingbird
import LedgerStorage
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// How event streams pace themselves (``ServerLimits``).
struct StreamSettings: Sendable {
    /// A comment line is sent after this long without an event, so that proxies keep the
    /// connection and a vanished consumer is noticed.
    var heartbeat: Duration
    /// A write the consumer has not taken within this long disconnects it.
    var stall: Duration
}

/// One Server-Sent Events response: the facts from `start` on, read from the log (catch-up),
/// then each new one as the server appends it (live), until the limit, the head when not
/// following, the consumer's disconnection, or the server's shutdown.
///
/// Each event is `id: POSITION`, `event: fact`, `data: ` the fact as one interchange v1 line
/// (with its `recorded` time), identity numbers masked as the caller's role requires. The stream
/// ends with `event: end` whose data says why and where to resume (`{"reason":…,"next":N}`).
///
/// Nothing is buffered per consumer but one page of the log (at most 1,000 facts): the log is the
/// buffer, so a slow consumer never holds back appends. A consumer that has not taken a write
/// within `stall` is disconnected (logged with the reason); it resumes from its own position or
/// its subscription's checkpoint.
struct EventStream: Sendable {
    let ledger: Ledger
    let start: Position
    let filter: @Sendable (Fact) -> Bool
    let masking: IdentityMasking
    let limit: Int?
    let follow: Bool
    let settings: StreamSettings
    let channel: any Channel
    let logger: Logger
    let metrics: ServerMetrics
    /// Called with each position sent, for the subscription-lag metric.
    var onProgress: @Sendable (Position) -> Void = { _ in }
    /// Called once when the stream ends, however it ends, with where it stood and why: the
    /// audit log's `closed` entry.
    var onEnd: @Sendable (Progress, String) async -> Void = { _, _ in }

    static let pageSize = 1_000

    /// The streaming response.
    func response() -> Response {
        Response(status: .ok, headers: [.contentType: "text/event-stream; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody { writer in try await run(&writer) })
    }

    private enum Wake: Sendable { case fact, heartbeat, stopped }

    /// Where a stream stands: the next position to read, and the events sent.
    struct Progress: Sendable {
        var next: Position
        var sent = 0
    }

    private func run(_ writer: inout any ResponseBodyWriter) async throws {
        var progress = Progress(next: start)
        let reason: String
        do {
            reason = try await deliver(&writer, &progress)
        } catch {
            // The consumer went away (or the connection failed) mid-stream: the end is recorded all the same.
            await onEnd(progress, "the connection ended: \(error)")
            throw error
        }
        logger.debug("event stream ended", metadata: ["reason": "\(reason)", "next": "\(progress.next)"])
        await onEnd(progress, reason)
        try await write(ByteBuffer(string: "event: end\ndata: " + JSON.object([("reason", .string(reason)), ("next", .integer(Int(progress.next.rawValue)))]).text + "\n\n"), &writer)
        try await writer.finish(nil)
    }

    /// Sends the facts from `progress.next` on until the stream ends; returns why it ended.
    private func deliver(_ writer: inout any ResponseBodyWriter, _ progress: inout Progress) async throws -> String {
        var facts = ledger.facts(from: start).makeAsyncIterator()
        while true {
            guard let head = try? ledger.head.nextPosition else { return "the ledger is closed" }
            if progress.next < head {
                let room = min(Self.pageSize, Int(head.rawValue - progress.next.rawValue), limit.map { $0 - progress.sent } ?? Int.max)
                var buffer = ByteBuffer()
                var closed = false
                for _ in 0..<room {
                    guard let recorded = try await facts.next() else { closed = true; break }
                    progress.next = recorded.position.advanced(by: 1)
                    guard filter(recorded.fact) else { continue }
                    append(recorded, to: &buffer)
                    progress.sent += 1
                    if let limit, progress.sent >= limit { break }
                }
                if buffer.readableBytes > 0 { try await write(buffer, &writer) }
                if closed { return "the ledger is closed" }
                onProgress(progress.next)
                if let limit, progress.sent >= limit { return "limit of \(limit) events reached" }
                continue
            }
            guard follow else { return "caught up with the head" }
            switch await cancelWhenGracefulShutdown({ [ledger, next = progress.next, settings] in await Self.wait(ledger, after: next, settings.heartbeat) }) {
            case .fact: continue
            case .heartbeat: try await write(ByteBuffer(string: ": keep-alive\n\n"), &writer)
            case .stopped: return Task.isShuttingDownGracefully ? "the server is shutting down" : "the stream was stopped"
            }
        }
    }

    private func append(_ recorded: RecordedFact, to buffer: inout ByteBuffer) {
        let line = FactJSONCodec.encode(recorded.fact)
        buffer.writeString("id: \(recorded.position.rawValue)\nevent: fact\ndata: ")
        buffer.writeString(masking == .masked ? IdentityMasking.mask(line) : line)
        buffer.writeString("\n\n")
    }

    /// Writes one buffer; a consumer that has not taken it within the stall limit is disconnected.
    private func write(_ buffer: ByteBuffer, _ writer: inout any ResponseBodyWriter) async throws {
        let channel = self.channel, logger = self.logger, metrics = self.metrics, stall = settings.stall
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(stall.components.seconds) * 1_000_000_000 + stall.components.attoseconds / 1_000_000_000)) {
            logger.warning("event stream consumer stalled; disconnected (it resumes from its position or checkpoint)",
                           metadata: ["stallSeconds": "\(stall.components.seconds)", "remote": "\(channel.remoteAddress?.description ?? "-")"])
            metrics.streamDisconnected("stalled")
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        try await writer.write(buffer)
    }

    /// Parks until a fact after `next` is appended, `heartbeat` passes, or the task is cancelled
    /// (the consumer left, or the server shuts down) — no polling: the ledger wakes its waiters
    /// on each append.
    private static func wait(_ ledger: Ledger, after next: Position, _ heartbeat: Duration) async -> Wake {
        await withTaskGroup(of: Wake.self) { group in
            group.addTask {
                var probe = ledger.facts(from: next).makeAsyncIterator()
                return (try? await probe.next()) == nil ? .stopped : .fact
            }
            group.addTask {
                do { try await Task.sleep(for: heartbeat) } catch { return .stopped }
                return .heartbeat
            }
            let first = await group.next() ?? .stopped
            group.cancelAll()
            return Task.isCancelled ? .stopped : first
        }
    }
}
