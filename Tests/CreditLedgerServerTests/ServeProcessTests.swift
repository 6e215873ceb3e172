import CreditLedger
import CreditLedgerServer
import Foundation
import Synchronization
import Testing
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The OpenAPI document against the routes, the server's answers against the command line's,
/// and `credit-ledger serve` as a real child process stopped with SIGTERM.
@Suite struct ServeProcessTests {
    /// `credit-ledger`, built next to this test bundle.
    static func executable() throws -> String {
        let me = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("credit-ledger").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            folder.deleteLastPathComponent()
        }
        throw CocoaError(.fileNoSuchFile)
    }

    /// Runs `credit-ledger` to the end (waiting off the cooperative pool) and returns its exit status and stdout.
    static func cli(_ arguments: [String]) async throws -> (status: Int32, stdout: String) {
        try await Blocking.run { try cliBlocking(arguments) }
    }

    private static func cliBlocking(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try executable())
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func everyDocumentedRouteAnswers() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let document = try await server.send("GET", "/openapi.json", as: nil)
        #expect(document.status == 200)
        let paths = try #require(document.json["paths"] as? [String: [String: Any]])
        #expect(paths.count == 24)
        let json = "application/json"
        // What each documented operation needs beyond the admin token: a query string, a body.
        let calls: [String: (query: String, body: String?, status: Int)] = [
            "get /v1/subjects/{code}/measures": ("?purpose=audit&scene=procurement", nil, 200),
            "get /v1/feedback": ("?purpose=audit&from=2024-01-01&to=2024-12-31", nil, 200),
            "get /v1/indicators": ("?purpose=audit&from=2024-01-01&to=2024-12-31&period=quarter", nil, 200),
            "get /v1/lists": ("?purpose=audit&list=red&asOf=2024-12-31", nil, 200),
            "get /v1/worklist": ("?purpose=audit&kind=repairs", nil, 200),
            // The company has no repair R-9: the documented 404.
            "get /v1/subjects/{code}/repairs/{repairNo}/certificate": ("?purpose=audit", nil, 404),
            "get /v1/facts": ("?follow=false", nil, 200),
            "put /v1/subscriptions/{name}": ("", #"{"types":["role.assigned"]}"#, 201),
            "get /v1/subscriptions/{name}/events": ("?follow=false", nil, 200),
            "post /v1/subscriptions/{name}/ack": ("", #"{"position":1}"#, 200),
        ]
        // The subscription is created first; the routes that read it follow.
        let order = ["put"] + ["get", "post"]
        var answered = 0
        for method in order {
            for (path, operations) in paths.sorted(by: { $0.key < $1.key }) where operations[method] != nil {
                let call = calls["\(method) \(path)"]
                    ?? ((path.hasPrefix("/v1/subjects") || ["/v1/grades", "/v1/quality", "/v1/penetration", "/v1/audit"].contains(path)) ? ("?purpose=audit", nil, 200) : ("", nil, 200))
                let concrete = path.replacingOccurrences(of: "{code}", with: Facts.company).replacingOccurrences(of: "{name}", with: "coverage")
                    .replacingOccurrences(of: "{repairNo}", with: "R-9")
                let answer = method == "post" && path == "/v1/facts"
                    ? try await server.post([Facts.registration()], as: "admin")
                    : try await server.send(method.uppercased(), concrete + call.query, as: path == "/openapi.json" ? nil : "admin",
                                            body: call.body.map { Data($0.utf8) }, contentType: call.body == nil ? nil : json)
                #expect(answer.status == call.status, "\(method) \(path): \(answer.text)")
                answered += 1
            }
        }
        #expect(answered == paths.values.reduce(0) { $0 + $1.count })
        try await server.stop()
    }

    @Test func theServerAnswersWithTheBytesTheCommandLinePrints() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let instant = "knownAt=2099-01-01T00:00:00%2B08:00&asOf=2025-06-30"
        let questions: [(String, [String])] = [
            ("/v1/subjects/\(Facts.company)", ["subject", Facts.company]),
            ("/v1/subjects/\(Facts.company)/report", ["report", Facts.company, "--format", "json"]),
            ("/v1/subjects/\(Facts.company)/measures?scene=procurement", ["match", Facts.company, "--scene", "procurement"]),
            ("/v1/grades", ["grades"]),
            ("/v1/digest", ["digest"]),
            ("/v1/penetration", ["penetration"]),
            ("/v1/subjects/\(Facts.company)/penetration", ["penetration", "--subject", Facts.company]),
            ("/v1/subjects/\(Facts.person)/penetration", ["penetration", "--subject", Facts.person]),
        ]
        var answers: [String] = []
        for (path, _) in questions {
            let separator = path.contains("?") ? "&" : "?"
            let answer = try await server.send("GET", path + separator + instant + "&purpose=comparison", as: "admin")
            #expect(answer.status == 200, "\(path): \(answer.text)")
            answers.append(answer.text)
        }
        try await server.stop()
        for ((path, arguments), answer) in zip(questions, answers) {
            // The ledger keeps the server's audit log, so the command line names a purpose too; the
            // admin sees identity numbers, and so does a command line told --show-identities.
            let printed = try await Self.cli(arguments + ["--ledger", server.directory, "--json", "--as-of", "2025-06-30",
                                                    "--known-at", "2099-01-01T00:00:00+08:00", "--purpose", "comparison",
                                                    "--show-identities"])
            #expect(printed.status == 0)
            #expect(printed.stdout == answer, "\(path)")
        }
    }

    @Test func feedbackAnswersWithTheBytesTheCommandLinePrints() async throws {
        let server = try await LiveServer()
        _ = try await server.post([Facts.registration(), Facts.role()])
        let answer = try await server.send("GET", "/v1/feedback?from=2020-01-01&to=2025-12-31&knownAt=2099-01-01&purpose=review", as: "admin")
        #expect(answer.status == 200, "\(answer.text)")
        #expect(try await server.send("GET", "/v1/feedback?from=2020-01-01&to=2025-12-31&asOf=2025-01-01&purpose=review", as: "admin").status == 400)
        try await server.stop()
        let printed = try await Self.cli(["feedback", "--from", "2020-01-01", "--to", "2025-12-31", "--ledger", server.directory, "--json",
                                    "--known-at", "2099-01-01", "--purpose", "comparison"])
        #expect(printed.status == 0)
        #expect(printed.stdout == answer.text)
    }

    /// SIGTERM while clients post: the server finishes the appends in flight and closes with a
    /// snapshot; after a restart every acknowledged fact is in the ledger, and none twice.
    @Test func sigtermUnderConcurrentPostingLosesNoAcknowledgedFact() async throws {
        let directory = NSTemporaryDirectory() + "serve-sigterm-\(UUID().uuidString.prefix(8))"
        let server = try await ServeProcess.start(directory: directory)
        // SIGTERM once some requests were acknowledged, while the clients go on posting.
        let answered = Answered()
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for client in 0..<6 {
                group.addTask {
                    var ids: [String] = []
                    for request in 0..<200 {
                        let base = (client * 200 + request) * 5
                        let lines = (base..<(base + 5)).map { Facts.registration("S-\($0)", subject: Facts.code($0), name: "企业\($0)") }
                        guard let answer = try? await server.post(lines), answer.status == 200 else { break }
                        ids += (base..<(base + 5)).map { "S-\($0)" }
                        answered.count.add(1, ordering: .relaxed)
                    }
                    return ids
                }
            }
            group.addTask {
                let deadline = Date().addingTimeInterval(60)
                while answered.count.load(ordering: .relaxed) < 12 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                let stopped = await server.stop()
                #expect(stopped.status == 0, "\(stopped.log)")
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(acknowledged.count > 0)
        let ledger = try Ledger.open(directory: directory)
        var held: [String: Int] = [:]
        try ledger.forEachFact { held[$0.fact.id.text, default: 0] += 1 }
        try ledger.close()
        #expect(acknowledged.allSatisfy { held[$0] == 1 }, "acknowledged \(acknowledged.count), held \(held.count)")
        #expect(held.values.allSatisfy { $0 == 1 })
    }

    @Test func sigtermStopsServeGracefullyAndClosesTheLedger() async throws {
        let directory = NSTemporaryDirectory() + "serve-process-\(UUID().uuidString.prefix(8))"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.executable())
        process.arguments = ["serve", "--ledger", directory, "--port", "0"]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let lines = try await Blocking.run { try Self.readLines(out, until: { $0.hasPrefix("listening on ") }) }
        let token = try #require(lines.first { $0.count == 64 && $0.allSatisfy(\.isHexDigit) })
        let address = try #require(lines.last?.dropFirst("listening on ".count))
        var request = URLRequest(url: URL(string: "\(address)/v1/facts")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data((Facts.registration() + "\n").utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let mode = try FileManager.default.attributesOfItem(atPath: directory + "/server.json")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        kill(process.processIdentifier, SIGTERM)
        let log = await Blocking.run {
            let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return log
        }
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(log.contains("ledger closed"))
        // Closed cleanly: the ledger opens again (no writer lock left) and holds the fact.
        let ledger = try Ledger.open(directory: directory)
        #expect(try ledger.head.recordCount == 1)
        try ledger.close()
    }

    /// Requests acknowledged so far, across the posting clients.
    final class Answered: Sendable {
        let count = Atomic<Int>(0)
    }

    /// Reads lines from `pipe` until one satisfies `last` (at most 60 s).
    static func readLines(_ pipe: Pipe, until last: (String) -> Bool) throws -> [String] {
        var text = ""
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            let lines = text.split(separator: "\n").map(String.init)
            if text.hasSuffix("\n"), let final = lines.last, last(final) { return lines }
        }
        throw CocoaError(.fileReadUnknown)
    }
}
