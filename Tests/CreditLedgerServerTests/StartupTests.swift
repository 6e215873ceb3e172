import CreditLedger
import CreditLedgerServer
import Dispatch
import Foundation
import Logging
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The server listens while its ledger opens: `GET /v1/ready` answers 503 with the replay's
/// progress, `/metrics` shows it, every other route is 503 naming it, and once the ledger is open
/// the full routes answer. The opening is held at a known point, so what is seen there is certain.
@Suite struct StartupTests {
    /// A configuration with one admin principal, written in `directory`; returns its token.
    static func configuration(in directory: String, logger: Logger) throws -> (ConfigurationFile, String) {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (configuration, token) = ServerConfiguration.firstStart()
        try configuration.write(path: directory + "/server.json")
        return (try ConfigurationFile(path: directory + "/server.json", logger: logger), token)
    }

    static func get(_ port: Int, _ path: String, token: String?) async throws -> LiveServer.Exchange {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        return LiveServer.Exchange(status: (response as! HTTPURLResponse).statusCode, headers: [:], body: data)
    }

    @Test func whileTheLedgerOpensReadinessAndMetricsShowTheReplaysProgress() async throws {
        let directory = NSTemporaryDirectory() + "startup-\(UUID().uuidString.prefix(8))"
        var logger = Logger(label: "startup-tests")
        logger.logLevel = .critical
        let (configuration, token) = try Self.configuration(in: directory, logger: logger)
        let release = DispatchSemaphore(value: 0)
        let (ports, listening) = AsyncStream.makeStream(of: Int.self)
        let (servers, ready) = AsyncStream.makeStream(of: LedgerServer.self)
        let task = Task {
            try await LedgerServer.run(configuration: configuration, logger: logger, host: "127.0.0.1", port: 0) { progress in
                progress(500, 1_000)
                release.wait()  // held here until the test has looked
                return (try Ledger.open(directory: directory), try QueryAuditLog.open(ledgerDirectory: directory))
            } onListening: { listening.yield($0) } onReady: { server, _ in ready.yield(server) }
        }
        var portIterator = ports.makeAsyncIterator()
        let port = try #require(await portIterator.next())

        let opening = try await Self.get(port, "/v1/ready", token: nil)
        #expect(opening.status == 503)
        #expect(opening.json["state"] as? String == "opening")
        #expect(opening.json["progress"] as? Double == 0.5)
        let metrics = try await Self.get(port, "/metrics", token: token)
        #expect(metrics.status == 200)
        #expect(metrics.text.contains("credit_ledger_replay_facts 500.0"), "\(metrics.text)")
        #expect(metrics.text.contains("credit_ledger_replay_total_facts 1000.0"))
        #expect(metrics.text.contains("credit_ledger_ready 0.0"))
        #expect(try await Self.get(port, "/metrics", token: nil).status == 401)
        let head = try await Self.get(port, "/v1/head", token: token)
        #expect(head.status == 503)
        #expect(head.reason.contains("500 of 1000 facts replayed"), "\(head.reason)")

        release.signal()
        var serverIterator = servers.makeAsyncIterator()
        let server = try #require(await serverIterator.next())
        #expect(try await Self.get(port, "/v1/ready", token: nil).json["state"] as? String == "ready")
        #expect(try await Self.get(port, "/v1/head", token: token).status == 200)
        #expect(try await Self.get(port, "/metrics", token: token).text.contains("credit_ledger_ready 1.0"))
        task.cancel()
        _ = await task.result
        try server.audit.close()
        try server.ledger.close()
    }

    @Test func aLedgerThatCannotBeOpenedStopsTheServerWithItsError() async throws {
        let directory = NSTemporaryDirectory() + "startup-\(UUID().uuidString.prefix(8))"
        var logger = Logger(label: "startup-tests")
        logger.logLevel = .critical
        let (configuration, _) = try Self.configuration(in: directory, logger: logger)
        struct Unopenable: Error {}
        await #expect(throws: Unopenable.self) {
            try await LedgerServer.run(configuration: configuration, logger: logger, host: "127.0.0.1", port: 0) { _ in throw Unopenable() }
        }
    }
}
