import CreditLedgerServer
import Foundation
import Testing

/// `appends.niceness`: the appends' threads (the bulk workers and the append's writer) run that
/// much lower than the queries, so that a query's work takes a core first.
@Suite struct AppendPriorityTests {
    @Test func theNicenessIsReadFromTheConfigurationAndBadValuesAreRefusedNamingTheKey() throws {
        #expect(ServerConfiguration().appends.niceness == 0)
        #expect(try ServerConfiguration.load(path: try temporaryConfigurationFile(#"{"principals":[]}"#)).appends.niceness == 0)
        let lowered = try ServerConfiguration.load(path: try temporaryConfigurationFile(#"{"principals":[],"appends":{"niceness":10}}"#))
        #expect(lowered.appends.niceness == 10)
        for bad in [-1, 20, 40] {
            let path = try temporaryConfigurationFile(#"{"principals":[],"appends":{"niceness":\#(bad)}}"#)
            let error = #expect(throws: ConfigurationError.self) { try ServerConfiguration.load(path: path) }
            #expect(error?.message.contains("appends.niceness must be 0…19, is \(bad)") == true, "\(String(describing: error))")
        }
    }

    /// The nice value of each of this process's threads named `name`, read from `/proc`.
    static func niceness(ofThreadsNamed name: String) throws -> [Int] {
        let tasks = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")
        return tasks.compactMap { task in
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                  comm.trimmingCharacters(in: .newlines) == name,
                  let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return nil }
            // After "pid (comm)": state is field 3, nice field 19.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return Int(fields[16])
        }
    }

    @Test func theAppendsThreadsRunAtTheConfiguredNicenessAndAppendAsBefore() async throws {
        let server = try await LiveServer(appendNiceness: 13)
        let posted = try await server.post([Facts.registration(), Facts.role()])
        #expect(posted.status == 200, "\(posted.text)")
        #expect(try await server.records() == 2)
        // Other tests' servers run their threads at 0; 13 is this server's alone.
        #expect(try Self.niceness(ofThreadsNamed: "append-writer-0").contains(13))
        #expect(try Self.niceness(ofThreadsNamed: "bulk-0").contains(13))
        #expect(try Self.niceness(ofThreadsNamed: "bulk-1").contains(13))
        try await server.stop()
        // A stopped server's threads end: servers started one after another do not pile them up.
        let deadline = Date().addingTimeInterval(10)
        while try Self.niceness(ofThreadsNamed: "append-writer-0").contains(13), Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try !Self.niceness(ofThreadsNamed: "append-writer-0").contains(13))
        #expect(try !Self.niceness(ofThreadsNamed: "bulk-0").contains(13))
    }
}
