import Foundation
import PostgresTestSupport
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `credit-ledger serve` processes on two ports sharing one PostgreSQL ledger (the test
/// process's private cluster), each with its own local state directory.
@Suite struct ServeOnPostgresTests {
    let purpose = "purpose=procurement%20check"

    /// Asks `server` until `done` holds of the answer, for at most ten seconds (the other server's
    /// append reaches it through the log's notification).
    func eventually(_ server: ServeProcess, _ path: String, as role: String,
                    _ done: (LiveServer.Exchange) -> Bool) async throws -> LiveServer.Exchange {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let answer = try await server.send("GET", path, as: role)
            if done(answer) || Date() > deadline { return answer }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    @Test func twoServersOnOnePostgresLedgerSeeEachOthersFactsAndGiveOneDigest() async throws {
        let cluster = try PostgresCluster.shared
        // Trust authentication takes any password: it is given only to check it is never echoed.
        let url = "postgres://postgres:sekret-pw@127.0.0.1:\(cluster.port)/postgres?schema=" + PostgresCluster.uniqueSchema()
        let root = NSTemporaryDirectory() + "serve-pg-\(UUID().uuidString.prefix(8))"
        let first = try await ServeProcess.start(directory: root + "/first", ledger: url)
        let second = try await ServeProcess.start(directory: root + "/second", ledger: url, tokens: first.tokens)
        #expect(first.port != second.port)

        // A fact posted to the first is visible in the second.
        let posted = try await first.post([Facts.registration()])
        #expect(posted.status == 200, "\(posted.text)")
        #expect(posted.json["appended"] as? Int == 1)
        let seen = try await eventually(second, "/v1/subjects/\(Facts.company)?\(purpose)", as: "query") { $0.status == 200 }
        #expect(seen.status == 200, "\(seen.text)")
        #expect(seen.json["name"] as? String == "上海嘉定食品有限公司")

        // A retry of the same fact to the other server is a duplicate, not a second copy.
        let retried = try await second.post([Facts.registration()])
        #expect(retried.status == 200, "\(retried.text)")
        #expect(retried.json["appended"] as? Int == 0)
        #expect(retried.json["duplicates"] as? Int == 1)

        // A fact posted to the second reaches the first; both then give the same digest.
        let role = try await second.post([Facts.role()])
        #expect(role.json["appended"] as? Int == 1, "\(role.text)")
        let head = try await eventually(first, "/v1/head", as: "admin") { $0.json["records"] as? Int == 2 }
        #expect(head.json["records"] as? Int == 2, "\(head.text)")
        let digests = try await [first, second].asyncMap { server in
            try await server.send("GET", "/v1/digest?asOf=2024-06-30&\(purpose)", as: "auditor")
        }
        #expect(digests.allSatisfy { $0.status == 200 }, "\(digests.map(\.text))")
        #expect(digests[0].json["digest"] as? String != nil)
        #expect(digests[0].json["digest"] as? String == digests[1].json["digest"] as? String)
        #expect(try await second.send("GET", "/v1/head", as: "admin").text == head.text)

        for server in [first, second] {
            let stopped = await server.stop()
            #expect(stopped.status == 0, "\(stopped.log)")
            #expect(!stopped.log.contains("sekret"), "\(stopped.log)")
        }
        // Each server kept its own snapshot in its own state directory.
        for name in ["first", "second"] {
            let snapshots = try FileManager.default.contentsOfDirectory(atPath: root + "/\(name)/snapshots")
            #expect(snapshots.count == 1, "\(name): \(snapshots)")
        }
    }
}

extension Array where Element: Sendable {
    /// The results of `transform` on each element, in order, one after another.
    func asyncMap<Result>(_ transform: (Element) async throws -> Result) async rethrows -> [Result] {
        var results: [Result] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
