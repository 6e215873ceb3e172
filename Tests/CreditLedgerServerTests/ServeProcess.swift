import CreditLedgerServer
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Blocking work of a test — waiting for a child process, reading its pipes to the end — run on
/// a Dispatch thread, never on a thread of Swift's cooperative pool: the in-process servers of
/// the tests running beside it answer on that pool, and on a two-core machine two blocked threads
/// are the whole pool.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    static func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: body()) }
        }
    }
}

/// `credit-ledger serve` as a real child process on a ledger directory, with a configuration the
/// test wrote (one principal per role, tokens known), stopped with SIGTERM. Starting it again on
/// the same directory is a restart of the server.
final class ServeProcess: @unchecked Sendable {
    let directory: String
    let tokens: [String: String]
    let process = Process()
    let port: Int
    private let err = Pipe()
    /// What the server logged so far, drained as it comes (a full pipe would stall the server).
    private let log = LogBuffer()

    final class LogBuffer: Sendable {
        let data = Mutex(Data())
    }

    /// Writes the configuration (the first time) and starts the server on a free port, with
    /// `arguments` after the ledger and port; waits for it to listen off the cooperative pool. With
    /// `ledger` (a PostgreSQL URL), `directory` is the server's local state directory (`--state`).
    static func start(directory: String, ledger: String? = nil, tokens: [String: String]? = nil, arguments: [String] = []) async throws -> ServeProcess {
        try await Blocking.run { try ServeProcess(directory: directory, ledger: ledger, tokens: tokens, arguments: arguments) }
    }

    private init(directory: String, ledger: String?, tokens: [String: String]?, arguments: [String]) throws {
        self.directory = directory
        let tokens = tokens ?? Dictionary(uniqueKeysWithValues: ["admin", "reporter", "query", "auditor"].map { ($0, ServerConfiguration.newToken()) })
        self.tokens = tokens
        let path = directory + "/server.json"
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            var configuration = ServerConfiguration()
            configuration.principals = tokens.keys.sorted().map { role in
                Principal(name: "\(role)-principal", role: role, tokenSHA256: ServerConfiguration.hash(token: tokens[role]!),
                          sources: role == "reporter" ? [LiveServer.reporterSource] : [])
            }
            try configuration.write(path: path)
        }
        process.executableURL = URL(fileURLWithPath: try ServeProcessTests.executable())
        let place = ledger.map { ["--ledger", $0, "--state", directory] } ?? ["--ledger", directory]
        process.arguments = ["serve"] + place + ["--port", "0"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = err
        let log = self.log
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            log.data.withLock { $0.append(chunk) }
        }
        try process.run()
        let lines = try ServeProcessTests.readLines(out, until: { $0.hasPrefix("listening on ") })
        guard let address = lines.last, let port = Int(address.split(separator: ":").last ?? "") else { throw CocoaError(.fileReadUnknown) }
        self.port = port
    }

    /// Sends SIGTERM and waits for the exit (off the cooperative pool); returns the exit status
    /// and what it logged. The log is read until the process exits, not until the pipe's end: a
    /// process another test starts meanwhile could hold that end open.
    func stop() async -> (status: Int32, log: String) {
        kill(process.processIdentifier, SIGTERM)
        await Blocking.run { self.process.waitUntilExit() }
        try? await Task.sleep(for: .milliseconds(100))  // the handler takes what the process wrote last
        err.fileHandleForReading.readabilityHandler = nil
        let text = log.data.withLock { String(decoding: $0, as: UTF8.self) }
        return (process.terminationStatus, text)
    }

    /// Kills the server with SIGKILL (a crash: nothing is closed, nothing flushed) and waits for
    /// it to exit, off the cooperative pool.
    func crash() async {
        kill(process.processIdentifier, SIGKILL)
        await Blocking.run { self.process.waitUntilExit() }
        err.fileHandleForReading.readabilityHandler = nil
    }

    /// One HTTP exchange as `role`.
    func send(_ method: String, _ path: String, as role: String, body: Data? = nil, contentType: String? = nil) async throws -> LiveServer.Exchange {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        request.setValue("Bearer \(tokens[role] ?? role)", forHTTPHeaderField: "Authorization")
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.httpBody = body
        request.timeoutInterval = 20
        let (data, response) = try await URLSession.shared.data(for: request)
        return LiveServer.Exchange(status: (response as! HTTPURLResponse).statusCode, headers: [:], body: data)
    }

    /// Posts facts as JSON Lines.
    func post(_ lines: [String], as role: String = "reporter") async throws -> LiveServer.Exchange {
        try await send("POST", "/v1/facts", as: role, body: Data((lines.joined(separator: "\n") + "\n").utf8), contentType: "application/x-ndjson")
    }
}

/// A plain TCP connection to the server, for what an HTTP client library will not do: send half a
/// request and stall, or hold connections open without a request.
final class RawConnection {
    let fd: Int32

    init(port: Int, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else { throw CocoaError(.fileReadUnknown) }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Everything the server sends until it closes the connection or `seconds` pass (read as
    /// ``receive(until:within:)`` reads: no thread of the cooperative pool held while waiting).
    func receiveAll(within seconds: Double) async -> String {
        await receive(until: { _ in false }, within: seconds)
    }

    /// Reads what arrives until `done` holds of everything read or `seconds` pass, without holding
    /// a thread of the test's cooperative pool while waiting (the server's handlers run on the
    /// same pool: on a two-core machine a test blocked in `poll` can starve the server it waits for).
    func receive(until done: (String) -> Bool, within seconds: Double) async -> String {
        var received: [UInt8] = []
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 4096)
        while Date() < deadline && !done(String(decoding: received, as: UTF8.self)) {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) > 0 {
                let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if count <= 0 { break }
                received += buffer[0..<count]
            } else {
                try? await Task.sleep(for: .milliseconds(20))
            }
        }
        return String(decoding: received, as: UTF8.self)
    }
}

/// The events of a Server-Sent Events body: (id, event, data) in order.
func serverSentEvents(_ text: String) -> [(id: Int?, event: String, data: String)] {
    text.components(separatedBy: "\n\n").compactMap { block in
        var id: Int?, event = "message", data: String?
        for line in block.split(separator: "\n") {
            if line.hasPrefix("id: ") { id = Int(line.dropFirst(4)) }
            if line.hasPrefix("event: ") { event = String(line.dropFirst(7)) }
            if line.hasPrefix("data: ") { data = String(line.dropFirst(6)) }
        }
        return data.map { (id, event, $0) }
    }
}
