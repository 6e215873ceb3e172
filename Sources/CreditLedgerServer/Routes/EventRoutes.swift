import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import Hummingbird
import LedgerStorage
import Logging
import NIOCore

/// The push side (信息推送): `GET /v1/facts` as Server-Sent Events, and named subscriptions whose
/// checkpoint the server keeps, acknowledged by the consumer as it handles facts (执行反馈).
struct EventRoutes {
    let ledger: Ledger
    /// Where each stream's opening and end are recorded.
    let audit: QueryAuditLog
    let subscriptions: SubscriptionStore
    let configuration: ConfigurationFile
    let logger: Logger
    let metrics: ServerMetrics

    /// `GET /v1/facts?after=N[&types=…][&sources=…][&limit=N][&follow=false]`: the facts after
    /// position N (or after the `Last-Event-ID` a reconnecting client sends), then live.
    func follow(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        try caller.require(.subscribe, for: "follow the log")
        let parameters = try QueryParameters(request, allowed: ["after", "types", "sources", "limit", "follow"])
        let lastEventID = try Self.position(request.headers[.init("Last-Event-ID")!], name: "Last-Event-ID")
        let after = try Self.position(parameters["after"], name: "after") ?? lastEventID
        let types = try Self.types(try Self.nonEmptyList(parameters["types"], "types"))
        let sources = try Self.nonEmptyList(parameters["sources"], "sources")
        let filter = NamedSubscription(name: "-", owner: caller.principal.name, types: types, sources: sources)
        return try await stream(from: after.map { $0 + 1 } ?? 0, filter: filter, parameters, request: request, caller: caller, context: context,
                                name: nil)
    }

    /// `PUT /v1/subscriptions/{name}` with an optional body `{"types":[…],"sources":[…]}`: creates
    /// the subscription (201), or confirms an identical one of the same owner (200).
    func create(_ request: Request, context: ServerContext) async throws -> Response {
        let caller = try context.authenticated()
        try caller.require(.subscribe, for: "keep subscriptions")
        _ = try QueryParameters(request, allowed: [])
        let name = try Self.name(context)
        let body = try await Self.jsonBody(request, allowed: ["types", "sources"]).object
        let wanted = NamedSubscription(name: name, owner: caller.principal.name, types: try Self.types(try Self.strings(body["types"], "types")),
                                       sources: try Self.strings(body["sources"], "sources"))
        let ledger = self.ledger, subscriptions = self.subscriptions
        return try await Offload.run { () throws(ServerError) -> Response in
            if let existing = try subscriptions.get(name) {
                try Self.checkOwner(existing, caller)
                guard existing.types == wanted.types && existing.sources == wanted.sources else {
                    throw ServerError(.conflict, "subscription \(name) exists with another filter (types \(existing.types), sources \(existing.sources))")
                }
                return JSONResponse.make(try Self.document(existing, ledger), masking: caller.masking)
            }
            try subscriptions.put(wanted)
            return JSONResponse.make(try Self.document(wanted, ledger), status: .created, masking: caller.masking)
        }
    }

    /// `GET /v1/subscriptions/{name}`: the filter, the checkpoint and the lag behind the head.
    func read(_ request: Request, context: ServerContext) async throws -> Response {
        let (caller, subscription) = try owned(request, context, allowed: [])
        let ledger = self.ledger
        return JSONResponse.make(try await Offload.run { () throws(ServerError) in try Self.document(subscription, ledger) }, masking: caller.masking)
    }

    /// `GET /v1/subscriptions/{name}/events[?limit=N][&follow=false]`: the facts after the
    /// checkpoint that pass the filter, then live.
    func events(_ request: Request, context: ServerContext) async throws -> Response {
        let (caller, subscription) = try owned(request, context, allowed: ["limit", "follow"])
        let parameters = try QueryParameters(request, allowed: ["limit", "follow"])
        return try await stream(from: subscription.resumeAt, filter: subscription, parameters, request: request, caller: caller, context: context,
                                name: subscription.name)
    }

    /// `POST /v1/subscriptions/{name}/ack` with `{"position":N}`: the consumer has handled every
    /// fact up to N. Stored durably (fsynced) before the answer; it only moves forward.
    func acknowledge(_ request: Request, context: ServerContext) async throws -> Response {
        let (caller, subscription) = try owned(request, context, allowed: [])
        let body = try await Self.jsonBody(request, allowed: ["position"])
        struct Acknowledgement: Decodable { var position: UInt64 }
        guard let position = try? JSONDecoder().decode(Acknowledgement.self, from: body.bytes).position else {
            throw ServerError(.badRequest, "the body must be {\"position\": N}, N a position (a whole number ≥ 0)")
        }
        let ledger = self.ledger, subscriptions = self.subscriptions
        let updated = try await Offload.run { () throws(ServerError) -> NamedSubscription in
            let head = try Self.head(ledger)
            guard position < head.rawValue else {
                let held = head.rawValue == 0 ? "no fact yet" : "positions 0…\(head.rawValue - 1)"
                throw ServerError(.unprocessableContent, "position \(position) is past the head: the ledger holds \(held)")
            }
            return try subscriptions.update(subscription.name) { (stored) throws(ServerError) in
                if let done = stored.acknowledged, position < done {
                    throw ServerError(.conflict, "subscription \(stored.name) already acknowledged \(done); acknowledgements only move forward")
                }
                stored.acknowledged = position
            }
        }
        metrics.subscriptionAcknowledged(updated.name, lag: Int(try Self.head(ledger).rawValue) - Int(updated.resumeAt))
        return JSONResponse.make(try Self.document(updated, ledger), masking: caller.masking)
    }

    // MARK: - Helpers

    /// An event stream from position `start`. Its opening is recorded in the audit log before the
    /// first event (refused with 503 when it cannot be) and its end when it ends, with the
    /// positions it read and the events it sent.
    private func stream(from start: UInt64, filter: NamedSubscription, _ parameters: QueryParameters, request: Request, caller: Caller,
                        context: ServerContext, name: String?) async throws(ServerError) -> Response {
        var limit: Int?
        if let text = parameters["limit"] {
            guard let value = Int(text), value > 0 else { throw ServerError(.badRequest, "limit \(text): a whole number ≥ 1") }
            limit = value
        }
        let follow: Bool
        switch parameters["follow"] {
        case nil, "true": follow = true
        case "false": follow = false
        case let other?: throw ServerError(.badRequest, "follow \(other): true or false")
        }
        let limits = configuration.current.limits
        let ledger = self.ledger, metrics = self.metrics, audit = self.audit, logger = self.logger
        let opened = try Self.auditEntry(caller, request: request, context: context, name: name,
                                     delivery: FactDelivery(event: "opened", from: start, subscription: name))
        do { try await audit.record(opened) } catch { throw ServerError(.serviceUnavailable, "\(error)") }
        let stream = EventStream(
            ledger: ledger, start: Position(start), filter: { filter.delivers($0) }, masking: caller.masking, limit: limit, follow: follow,
            settings: StreamSettings(heartbeat: .milliseconds(Int64(limits.streamHeartbeatSeconds * 1000)),
                                     stall: .milliseconds(Int64(limits.streamStallSeconds * 1000))),
            channel: context.channel, logger: logger, metrics: metrics,
            onProgress: { position in
                guard let name, let head = try? ledger.head.nextPosition else { return }
                metrics.subscriptionProgress(name, lag: Int(head.rawValue) - Int(position.rawValue))
            },
            onEnd: { progress, reason in
                var closed = opened
                closed.answered = progress.sent
                closed.delivery = FactDelivery(event: "closed", from: start, next: progress.next.rawValue, reason: reason, subscription: name)
                do { _ = try await audit.record(closed) } catch {
                    logger.error("the end of an event stream could not be recorded in the audit log",
                                 metadata: ["principal": "\(opened.principal)", "from": "\(start)", "next": "\(progress.next)", "error": "\(error)"])
                }
            })
        return stream.response()
    }

    /// The audit entry of a stream: who, from where, which route, what it delivered.
    static func auditEntry(_ caller: Caller, request: Request, context: ServerContext, name: String?,
                           delivery: FactDelivery) throws(ServerError) -> AuditEntry {
        let purpose = try QueryParameters.purpose(QueryParameters.none, request, limit: context.limits.maxPurposeCharacters)
        return AuditEntry(
            principal: caller.principal.name, role: caller.role.name, purpose: purpose, channel: "http",
            command: name == nil ? "GET /v1/facts" : "GET /v1/subscriptions/{name}/events", remote: context.remote, delivery: delivery)
    }

    /// The caller's subscription named in the path: 404 if there is none, 403 if another owns it.
    private func owned(_ request: Request, _ context: ServerContext, allowed: Set<String>) throws(ServerError) -> (Caller, NamedSubscription) {
        let caller = try context.authenticated()
        try caller.require(.subscribe, for: "keep subscriptions")
        _ = try QueryParameters(request, allowed: allowed)
        let name = try Self.name(context)
        guard let subscription = try subscriptions.get(name) else {
            throw ServerError(.notFound, "no subscription \(name) (create it with PUT /v1/subscriptions/\(name))")
        }
        try Self.checkOwner(subscription, caller)
        return (caller, subscription)
    }

    private static func checkOwner(_ subscription: NamedSubscription, _ caller: Caller) throws(ServerError) {
        guard subscription.owner == caller.principal.name else {
            throw ServerError(.forbidden, "subscription \(subscription.name) belongs to principal \(subscription.owner)")
        }
    }

    static func document(_ subscription: NamedSubscription, _ ledger: Ledger) throws(ServerError) -> JSON {
        let head = try head(ledger)
        return .object([
            ("name", .string(subscription.name)), ("owner", .string(subscription.owner)),
            ("types", .array(subscription.types.map { .string($0) })), ("sources", .array(subscription.sources.map { .string($0) })),
            ("acknowledged", subscription.acknowledged.map { .integer(Int($0)) } ?? .null),
            ("resumeAt", .integer(Int(subscription.resumeAt))), ("head", .integer(Int(head.rawValue))),
            ("lag", .integer(max(0, Int(head.rawValue) - Int(subscription.resumeAt)))),
        ])
    }

    private static func head(_ ledger: Ledger) throws(ServerError) -> Position {
        do { return try ledger.head.nextPosition } catch { throw ServerError(.serviceUnavailable, "the ledger cannot answer: \(error)") }
    }

    private static func name(_ context: ServerContext) throws(ServerError) -> String {
        let name = context.parameters.get("name") ?? ""
        try NamedSubscription.check(name: name)
        return name
    }

    /// A position parameter (a whole number ≥ 0), nil when absent.
    static func position(_ text: String?, name: String) throws(ServerError) -> UInt64? {
        guard let text else { return nil }
        guard let value = UInt64(text), value < UInt64(Int64.max) else { throw ServerError(.badRequest, "\(name) \(text): a position (a whole number ≥ 0)") }
        return value
    }

    /// A comma-separated parameter: absent means none, but a given one names at least one item.
    static func nonEmptyList(_ text: String?, _ name: String) throws(ServerError) -> [String] {
        guard let text else { return [] }
        let items = list(text)
        guard !items.isEmpty else { throw ServerError(.badRequest, "\(name) is empty: name at least one, comma-separated, or leave it out") }
        return items
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Fact type names, checked against the vocabulary, sorted and without repeats.
    static func types(_ names: [String]) throws(ServerError) -> [String] {
        for name in names where FactType(rawValue: name) == nil {
            throw ServerError(.badRequest, "type \(name): not a fact type (\(FactType.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return Array(Set(names)).sorted()
    }

    static func strings(_ value: Any?, _ field: String) throws(ServerError) -> [String] {
        guard let value else { return [] }
        guard let strings = value as? [String], strings.allSatisfy({ !$0.isEmpty }) else {
            throw ServerError(.badRequest, "\(field): a list of non-empty strings")
        }
        return Array(Set(strings)).sorted()
    }

    /// A small JSON object body (at most 64 KiB; empty means `{}`), its keys among `allowed`.
    static func jsonBody(_ request: Request, allowed: Set<String>) async throws -> (object: [String: Any], bytes: Data) {
        let bytes = try await FactsRoute.body(of: request, limit: 64 << 10)
        if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return ([:], Data("{}".utf8)) }
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
        guard type == "application/json" else {
            throw ServerError(.unsupportedMediaType, "content type \(request.headers[.contentType] ?? "(none)") is not accepted: send application/json")
        }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] else {
            throw ServerError(.badRequest, "the body is not a JSON object")
        }
        if let unknown = object.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw ServerError(.badRequest, "unknown field \(unknown) (this body takes: \(allowed.sorted().joined(separator: ", ")))")
        }
        return (object, Data(bytes))
    }
}
