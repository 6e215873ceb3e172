import CreditLedger
import CreditLedgerServer
import Foundation
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

    /// Runs `credit-ledger` to the end and returns its exit status and stdout.
    static func cli(_ arguments: [String]) throws -> (status: Int32, stdout: String) {
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
        #expect(paths.count == 10)
        for (path, operations) in paths.sorted(by: { $0.key < $1.key }) {
            for method in operations.keys.sorted() {
                let concrete = path.replacingOccurrences(of: "{code}", with: Facts.company)
                let query = path.hasPrefix("/v1/subjects") || path == "/v1/grades" || path == "/v1/quality"
                    ? "?purpose=audit" + (path.hasSuffix("/measures") ? "&scene=procurement" : "") : ""
                let answer = method == "post"
                    ? try await server.post([Facts.registration()], as: "admin")
                    : try await server.send(method.uppercased(), concrete + query, as: path == "/openapi.json" ? nil : "admin")
                #expect(answer.status == 200, "\(method) \(path): \(answer.text)")
            }
        }
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
            let printed = try Self.cli(arguments + ["--ledger", server.directory, "--json", "--as-of", "2025-06-30",
                                                    "--known-at", "2099-01-01T00:00:00+08:00", "--purpose", "comparison",
                                                    "--show-identities"])
            #expect(printed.status == 0)
            #expect(printed.stdout == answer, "\(path)")
        }
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
        let lines = try Self.readLines(out, until: { $0.hasPrefix("listening on ") })
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
        let log = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(log)")
        #expect(log.contains("ledger closed"))
        // Closed cleanly: the ledger opens again (no writer lock left) and holds the fact.
        let ledger = try Ledger.open(directory: directory)
        #expect(try ledger.head.recordCount == 1)
        try ledger.close()
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
