import CreditLedger
import CreditLedgerServer
import Foundation
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// 信息推送 over HTTP: `GET /v1/facts` as Server-Sent Events, named subscriptions whose checkpoint
/// the server keeps, and the limits and metrics around them.
@Suite struct EventTests {
    static func facts(_ range: Range<Int>) -> [String] {
        range.map { Facts.registration("E-\($0)", subject: Facts.code($0), name: "企业\($0)") }
    }

    @Test func aStreamCatchesUpFromTheLogThenDeliversNewFactsLiveWithTheirPositionsAsIds() async throws {
        let server = try await LiveServer()
        _ = try await server.post(Self.facts(0..<3))
        // after=0: positions 1 and 2 from the log, then the next one live; limit=3 ends the stream there.
        async let streamed = server.send("GET", "/v1/facts?after=0&limit=3", as: "reporter")
        try await Task.sleep(for: .milliseconds(300))
        let posted = try await server.post(Self.facts(3..<4))
        #expect(posted.status == 200)
        let answer = try await streamed
        #expect(answer.status == 200)
        #expect(answer.headers["content-type"]?.hasPrefix("text/event-stream") == true)
        let events = serverSentEvents(answer.text)
        #expect(events.filter { $0.event == "fact" }.map(\.id) == [1, 2, 3])
        #expect(events.first?.data.contains(#""id":"E-1""#) == true)
        #expect(events.last?.event == "end")
        #expect(events.last?.data.contains(#""next":4"#) == true)
        try await server.stop()
    }

    @Test func streamedFactsMaskIdentityNumbersUnlessTheRoleMaySeeThem() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let masked = try await server.send("GET", "/v1/facts?follow=false", as: "reporter")
        #expect(masked.text.contains("1101**********002X"))
        #expect(!masked.text.contains(Facts.person))
        let shown = try await server.send("GET", "/v1/facts?follow=false", as: "admin")
        #expect(shown.text.contains(Facts.person))
        #expect(try await server.send("GET", "/v1/facts?follow=false", as: "query").status == 403)
        #expect(try await server.send("GET", "/v1/facts?after=-1", as: "admin").status == 400)
        try await server.stop()
    }

    @Test func aNamedSubscriptionFiltersAndOnlyItsOwnerMayUseIt() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let filter = Data(#"{"types":["role.assigned"]}"#.utf8)
        let created = try await server.send("PUT", "/v1/subscriptions/roles", as: "reporter", body: filter, contentType: "application/json")
        #expect(created.status == 201, "\(created.text)")
        #expect(try await server.send("PUT", "/v1/subscriptions/roles", as: "reporter", body: filter, contentType: "application/json").status == 200)
        let other = try await server.send("PUT", "/v1/subscriptions/roles", as: "reporter", body: Data("{}".utf8), contentType: "application/json")
        #expect(other.status == 409)
        let events = serverSentEvents(try await server.send("GET", "/v1/subscriptions/roles/events?follow=false", as: "reporter").text)
        #expect(events.filter { $0.event == "fact" }.map(\.id) == [1])
        #expect(try await server.send("GET", "/v1/subscriptions/roles", as: "admin").status == 403)
        #expect(try await server.send("GET", "/v1/subscriptions/nobody", as: "reporter").status == 404)
        #expect(try await server.send("GET", "/v1/subscriptions/..%2Fserver", as: "reporter").status == 400)
        let badType = try await server.send("PUT", "/v1/subscriptions/x", as: "reporter", body: Data(#"{"types":["colour"]}"#.utf8),
                                            contentType: "application/json")
        #expect(badType.status == 400)
        #expect(badType.reason.contains("colour"))
        try await server.stop()
    }

    @Test func acknowledgementsOnlyMoveForwardAndNeverPastTheHead() async throws {
        let server = try await LiveServer()
        _ = try await server.post(Self.facts(0..<3))
        _ = try await server.send("PUT", "/v1/subscriptions/all", as: "reporter")
        func ack(_ body: String) async throws -> LiveServer.Exchange {
            try await server.send("POST", "/v1/subscriptions/all/ack", as: "reporter", body: Data(body.utf8), contentType: "application/json")
        }
        let first = try await ack(#"{"position":1}"#)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.json["resumeAt"] as? Int == 2)
        #expect(first.json["lag"] as? Int == 1)
        #expect(try await ack(#"{"position":0}"#).status == 409)
        #expect(try await ack(#"{"position":3}"#).status == 422)
        #expect(try await ack(#"{"position":true}"#).status == 400)
        #expect(try await ack(#"{"position":1,"extra":2}"#).status == 400)
        #expect(try await ack(#"{"position":1}"#).status == 200)
        let past = try await ack(#"{"position":3}"#)
        #expect(past.reason == "position 3 is past the head: the ledger holds positions 0…2", "\(past.reason)")
        let stored = try Data(contentsOf: URL(fileURLWithPath: server.directory + "/subscriptions/all.json"))
        #expect((try JSONSerialization.jsonObject(with: stored) as? [String: Any])?["acknowledged"] as? Int == 1)
        try await server.stop()
    }

    @Test func anAcknowledgementOnAnEmptyLedgerSaysThereIsNothingToAcknowledge() async throws {
        let server = try await LiveServer()
        #expect(try await server.send("PUT", "/v1/subscriptions/all", as: "reporter").status == 201)
        let answer = try await server.send("POST", "/v1/subscriptions/all/ack", as: "reporter", body: Data(#"{"position":0}"#.utf8),
                                           contentType: "application/json")
        #expect(answer.status == 422)
        #expect(answer.reason == "position 0 is past the head: the ledger holds no fact yet", "\(answer.reason)")
        try await server.stop()
    }

    /// The consumer reads, acknowledges part, and the server process restarts: the next read
    /// starts right after the acknowledged position (nothing skipped, nothing before it again).
    @Test func aNamedSubscriptionResumesAfterItsAcknowledgementAcrossAServerRestart() async throws {
        let directory = NSTemporaryDirectory() + "subscription-restart-\(UUID().uuidString.prefix(8))"
        let first = try await ServeProcess.start(directory: directory)
        #expect(try await first.post(Self.facts(0..<5)).status == 200)
        #expect(try await first.send("PUT", "/v1/subscriptions/jiading", as: "reporter").status == 201)
        let read = serverSentEvents(try await first.send("GET", "/v1/subscriptions/jiading/events?limit=3", as: "reporter").text)
        #expect(read.filter { $0.event == "fact" }.map(\.id) == [0, 1, 2])
        let acked = try await first.send("POST", "/v1/subscriptions/jiading/ack", as: "reporter", body: Data(#"{"position":1}"#.utf8),
                                         contentType: "application/json")
        #expect(acked.status == 200)
        #expect(await first.stop().status == 0)

        let second = try await ServeProcess.start(directory: directory, tokens: first.tokens)
        #expect(try await second.post(Self.facts(5..<6)).status == 200)
        let resumed = serverSentEvents(try await second.send("GET", "/v1/subscriptions/jiading/events?follow=false", as: "reporter").text)
        #expect(resumed.filter { $0.event == "fact" }.map(\.id) == [2, 3, 4, 5])
        #expect(await second.stop().status == 0)
    }

    @Test func scrapingMetricsAfterAPostShowsTheCountersMoved() async throws {
        let server = try await LiveServer()
        func value(_ name: String) async throws -> Double? {
            let text = try await server.send("GET", "/metrics", as: "admin").text
            return text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        let before = try await value("credit_ledger_facts_appended_total") ?? 0
        _ = try await server.post(Self.facts(0..<3))
        _ = try await server.post([Facts.registration("bad", subject: "91350100M000100Y44")])
        let scraped = try await server.send("GET", "/metrics", as: "admin")
        #expect(scraped.status == 200)
        #expect(scraped.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect(try await value("credit_ledger_facts_appended_total") == before + 3)
        #expect(try await value("credit_ledger_group_commits_total") ?? 0 >= 1)
        #expect(scraped.text.contains(#"credit_ledger_refusals_total{reason="unprocessable"} 1"#))
        #expect(scraped.text.contains(#"credit_ledger_request_duration_seconds_count{route="/v1/facts",method="POST"} 2"#))
        #expect(try await server.send("GET", "/metrics", as: "query").status == 403)
        try await server.stop()
    }

    @Test func aDocumentedRouteAskedWithAnotherMethodIs405NamingTheMethods() async throws {
        let server = try await LiveServer()
        let answer = try await server.send("DELETE", "/v1/subscriptions/x", as: "admin")
        #expect(answer.status == 405)
        #expect(answer.headers["allow"] == "GET, PUT")
        #expect(try await server.send("DELETE", "/v1/nothing", as: "admin").status == 404)
        let blank = try await server.send("GET", "/v1/quality?purpose=%0C", as: "query")
        #expect(blank.status == 400)
        try await server.stop()
    }

    @Test func aClientThatSendsHeadersAndStallsGets408AndNothingIsAppended() async throws {
        var limits = ServerLimits()
        limits.requestTimeoutSeconds = 1
        let server = try await LiveServer(limits: limits)
        let body = Facts.registration() + "\n"
        let connection = try RawConnection(port: server.port)
        connection.send("POST /v1/facts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(server.tokens["reporter"]!)\r\n"
                        + "Content-Type: application/x-ndjson\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body.prefix(40))
        let answer = await connection.receiveAll(within: 10)
        #expect(answer.hasPrefix("HTTP/1.1 408"), "\(answer)")
        #expect(answer.contains("requestTimeoutSeconds"))
        #expect(try await server.records() == 0)
        try await server.stop()
    }

    @Test func aConnectionPastTheLimitIs503WithTheReason() async throws {
        var limits = ServerLimits()
        limits.maxConnections = 2
        let server = try await LiveServer(limits: limits)
        let held = [try RawConnection(port: server.port), try RawConnection(port: server.port)]
        try await Task.sleep(for: .milliseconds(200))
        let third = try RawConnection(port: server.port)
        third.send("GET /v1/head HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(server.tokens["admin"]!)\r\n\r\n")
        let answer = await third.receiveAll(within: 10)
        #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer)")
        #expect(answer.contains("2 connections open"))
        _ = held
        try await server.stop()
    }
}

/// A consumer that stops reading holds nothing back: appends go on, and once a write to it has
/// waited past `streamStallSeconds` it is disconnected (and counted, with the reason).
@Suite struct SlowConsumerTests {
    @Test func aStalledConsumerIsDisconnectedAndNeverBlocksAppends() async throws {
        var limits = ServerLimits()
        // The stall limit is far above what a POST takes even on a loaded machine (seconds), so an
        // append held back until the consumer is dropped answers only after the drop is counted:
        // the test checks that order, not a duration.
        limits.streamStallSeconds = 12
        let server = try await LiveServer(limits: limits)
        // Facts with long names (3.9 KB each): 1,500 of them (5.9 MB) outgrow the socket buffers between server and consumer.
        let long = String(repeating: "嘉", count: 1_300)
        let large = (0..<1_500).map { Facts.registration("L-\($0)", subject: Facts.code($0), name: long + "\($0)") }
        let bulk = try await server.post(large)
        #expect(bulk.status == 200, "\(bulk.text.prefix(300))")
        // A small receive buffer, and nothing read: the server's writes soon wait on this consumer.
        let consumer = try RawConnection(port: server.port, receiveBuffer: 4_096)
        consumer.send("GET /v1/facts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(server.tokens["admin"]!)\r\n\r\n")
        try await Task.sleep(for: .milliseconds(500))
        let stalled = #"credit_ledger_streams_disconnected_total{reason="stalled"} 1"#
        let posted = try await server.post(EventTests.facts(30_000..<30_010))
        #expect(posted.status == 200)
        let afterPost = try await server.send("GET", "/metrics", as: "admin").text
        #expect(!afterPost.contains(stalled), "the append was answered while the stalled consumer was still connected")
        var disconnected = false
        for _ in 0..<150 where !disconnected {
            try await Task.sleep(for: .milliseconds(200))
            let metrics = try await server.send("GET", "/metrics", as: "admin").text
            disconnected = metrics.contains(stalled)
        }
        #expect(disconnected)
        try await server.stop()
    }
}
