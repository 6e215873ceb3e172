import CreditLedger
import CreditLedgerServer
import Foundation
import Testing

/// Event streams in the query audit log: who followed the log, from where, and which positions
/// were delivered — an `opened` entry before the first event and a `closed` one when the stream
/// ends, however it ends.
@Suite struct StreamAuditTests {
    /// The audit log's entries as the auditor reads them.
    static func entries(_ server: LiveServer) async throws -> [[String: Any]] {
        try await server.send("GET", "/v1/audit", as: "auditor").json["entries"] as? [[String: Any]] ?? []
    }

    static func delivery(_ entry: [String: Any]) -> [String: Any] { entry["delivery"] as? [String: Any] ?? [:] }

    @Test func aStreamIsRecordedWhenItOpensAndWhenItEndsWithThePositionsItRead() async throws {
        let server = try await LiveServer()
        _ = try await server.post(EventTests.facts(0..<3))
        let answer = try await server.send("GET", "/v1/facts?after=0&follow=false", as: "reporter", headers: ["X-Query-Purpose": "sync"])
        #expect(serverSentEvents(answer.text).filter { $0.event == "fact" }.count == 2)
        let streams = try await Self.entries(server).filter { $0["command"] as? String == "GET /v1/facts" }
        #expect(streams.count == 2)
        let (opened, closed) = (streams[0], streams[1])
        #expect(opened["principal"] as? String == "reporter-principal")
        #expect(opened["role"] as? String == "reporter")
        #expect(opened["purpose"] as? String == "sync")
        #expect((opened["remote"] as? String)?.hasPrefix("127.0.0.1:") == true)
        #expect(Self.delivery(opened)["event"] as? String == "opened")
        #expect(Self.delivery(opened)["from"] as? Int == 1)
        #expect(Self.delivery(opened)["next"] is NSNull)
        #expect(opened["answered"] as? Int == 0)
        #expect(Self.delivery(closed)["event"] as? String == "closed")
        #expect(Self.delivery(closed)["from"] as? Int == 1)
        #expect(Self.delivery(closed)["next"] as? Int == 3)
        #expect(Self.delivery(closed)["reason"] as? String == "caught up with the head")
        #expect(closed["answered"] as? Int == 2)
        #expect(closed["remote"] as? String == opened["remote"] as? String)
        try await server.stop()
    }

    @Test func aNamedSubscriptionsStreamNamesTheSubscription() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        _ = try await server.send("PUT", "/v1/subscriptions/roles", as: "reporter", body: Data(#"{"types":["role.assigned"]}"#.utf8),
                                  contentType: "application/json")
        _ = try await server.send("GET", "/v1/subscriptions/roles/events?follow=false", as: "reporter")
        let streams = try await Self.entries(server).filter { $0["command"] as? String == "GET /v1/subscriptions/{name}/events" }
        #expect(streams.map { Self.delivery($0)["event"] as? String } == ["opened", "closed"])
        #expect(streams.allSatisfy { Self.delivery($0)["subscription"] as? String == "roles" })
        // Both facts were read; only the role passed the filter and was sent.
        #expect(Self.delivery(streams[1])["next"] as? Int == 2)
        #expect(streams[1]["answered"] as? Int == 1)
        try await server.stop()
    }

    @Test func aConsumerThatGoesAwayMidStreamIsRecordedAsEnded() async throws {
        var limits = ServerLimits()
        limits.streamHeartbeatSeconds = 0.2
        let server = try await LiveServer(limits: limits)
        _ = try await server.post(EventTests.facts(0..<2))
        do {
            let consumer = try RawConnection(port: server.port)
            consumer.send("GET /v1/facts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(server.tokens["admin"]!)\r\n\r\n")
            let received = await consumer.receive(until: { $0.contains("id: 1\n") }, within: 30)
            #expect(received.contains("id: 1\n"))
        }  // the connection closes here
        var closed: [String: Any]?
        for _ in 0..<50 where closed == nil {
            try await Task.sleep(for: .milliseconds(200))
            closed = try await Self.entries(server).first { Self.delivery($0)["event"] as? String == "closed" }
        }
        let entry = try #require(closed)
        #expect(Self.delivery(entry)["next"] as? Int == 2)
        #expect(entry["answered"] as? Int == 2)
        let reason = Self.delivery(entry)["reason"] as? String ?? ""
        #expect(reason.hasPrefix("the connection ended") || reason == "the stream was stopped", "\(reason)")
        try await server.stop()
    }

    @Test func aStreamThatCannotBeRecordedIsRefusedBeforeAnyEvent() async throws {
        let server = try await LiveServer()
        _ = try await server.post(EventTests.facts(0..<2))
        try server.audit.close()
        let refused = try await server.send("GET", "/v1/facts?follow=false", as: "admin")
        #expect(refused.status == 503)
        #expect(refused.reason.contains("cannot be recorded in the audit log"))
        #expect(!refused.text.contains("event: fact"))
        try await server.stop()
    }
}
