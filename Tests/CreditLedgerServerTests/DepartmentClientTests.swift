import Foundation
import Testing

/// The example department client (Examples/DepartmentClient/reporting_job.py, Python standard
/// library only) against a real `credit-ledger serve`: it reports facts, follows its named
/// subscription and acknowledges; run again after the server restarted, it handles only what came
/// since.
@Suite struct DepartmentClientTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/DepartmentClient/reporting_job.py").path

    /// Runs the client as the reporter (waiting off the cooperative pool); returns its exit status and output.
    static func run(_ server: ServeProcess, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await Blocking.run { try runBlocking(server, arguments) }
    }

    private static func runBlocking(_ server: ServeProcess, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--url", "http://127.0.0.1:\(server.port)", "--token", server.tokens["reporter"]!] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test func theExampleClientReportsFollowsAndResumesAfterARestart() async throws {
        let directory = NSTemporaryDirectory() + "department-client-\(UUID().uuidString.prefix(8))"
        let first = try await ServeProcess.start(directory: directory)
        let facts = directory + "-facts.jsonl", inbox = directory + "-inbox.jsonl"
        try ([Facts.registration(), Facts.role()] + EventTests.facts(0..<3)).joined(separator: "\n").write(toFile: facts, atomically: true, encoding: .utf8)
        let reported = try await Self.run(first, ["--facts", facts, "--batch", "2", "--subscription", "jiading", "--ack-every", "2", "--inbox", inbox])
        #expect(reported.status == 0, "\(reported.output)")
        #expect(reported.output.contains("reported: 5 appended, 0 already held"))
        #expect(reported.output.contains("handled 5 facts, acknowledged up to 4"))
        let handled = try String(contentsOfFile: inbox, encoding: .utf8)
        #expect(handled.split(separator: "\n").count == 5)
        #expect(handled.contains("1101**********002X") && !handled.contains(Facts.person))
        #expect(await first.stop().status == 0)

        let second = try await ServeProcess.start(directory: directory, tokens: first.tokens)
        #expect(try await second.post(EventTests.facts(3..<5)).status == 200)
        let again = try await Self.run(second, ["--facts", facts, "--subscription", "jiading", "--inbox", inbox])
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("reported: 0 appended, 5 already held"))
        #expect(again.output.contains("handled 2 facts, acknowledged up to 6"))
        #expect(try String(contentsOfFile: inbox, encoding: .utf8).split(separator: "\n").count == 7)
        let refused = try await Self.run(second, ["--subscription", "../x"])
        #expect(refused.status == 1)
        #expect(refused.output.contains("subscription name"))
        #expect(await second.stop().status == 0)
    }
}
