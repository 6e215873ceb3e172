import CreditFacts
import CreditLedger
import CreditLedgerServer
import Foundation
import Logging
import Synchronization
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real server on 127.0.0.1 with a port the system picked, embedding a real ledger in a fresh
/// directory, with one principal per role. Tests talk HTTP to it over loopback.
final class LiveServer: Sendable {
    static let reporterSource = "310114-SCJG"
    let directory: String
    let configurationPath: String
    let ledger: Ledger
    /// The ledger's query audit log, which the server records every query in.
    let audit: QueryAuditLog
    let port: Int
    private let task: Task<Void, any Error>

    /// The tokens of the configured principals, by role name.
    let tokens: [String: String]

    /// Starts a server; `limits` replaces the default limits.
    /// `auditCommit`: when a query's audit entry counts as recorded (the default: durable).
    /// `appendNiceness`: how much lower the appends' threads run (`appends.niceness`).
    init(limits: ServerLimits = ServerLimits(), issuer: String? = nil, auditCommit: AuditCommit = .durable,
         appendNiceness: Int = 0) async throws {
        directory = NSTemporaryDirectory() + "server-tests-\(UUID().uuidString.prefix(8))"
        ledger = try Ledger.open(directory: directory)
        audit = try QueryAuditLog.open(ledgerDirectory: directory, commit: auditCommit)
        configurationPath = directory + "/server.json"
        var configuration = ServerConfiguration()
        configuration.limits = limits
        configuration.issuer = issuer
        configuration.appends.niceness = appendNiceness
        var tokens: [String: String] = [:]
        for role in ["admin", "reporter", "query", "auditor"] {
            let token = ServerConfiguration.newToken()
            tokens[role] = token
            configuration.principals.append(Principal(
                name: "\(role)-principal", role: role, tokenSHA256: ServerConfiguration.hash(token: token),
                sources: role == "reporter" ? [Self.reporterSource] : []))
        }
        self.tokens = tokens
        try configuration.write(path: configurationPath)
        var logger = Logger(label: "server-tests")
        logger.logLevel = .critical  // stopping by cancellation logs errors that are no failure here
        let server = LedgerServer(ledger: ledger, audit: audit, configuration: try ConfigurationFile(path: configurationPath, logger: logger), logger: logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await server.run(host: "127.0.0.1", port: 0) { continuation.yield($0) } }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CocoaError(.fileReadUnknown) }
        self.port = port
    }

    /// Stops the server and closes the ledger.
    func stop() async throws {
        task.cancel()
        _ = await task.result
        try audit.close()
        try ledger.close()
    }

    /// One HTTP exchange.
    struct Exchange {
        var status: Int
        var headers: [String: String]
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as a JSON object.
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        /// `error.reason` of an error body.
        var reason: String { (json["error"] as? [String: Any])?["reason"] as? String ?? "" }
    }

    /// Sends a request as `role` (nil: no token) and returns status, headers and body.
    func send(_ method: String, _ path: String, as role: String?, body: Data? = nil, contentType: String? = nil,
              headers: [String: String] = [:]) async throws -> Exchange {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.httpMethod = method
        if let role { request.setValue("Bearer \(tokens[role] ?? role)", forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields { fields[String(describing: name).lowercased()] = String(describing: value) }
        return Exchange(status: http.statusCode, headers: fields, body: data)
    }

    /// Posts facts as JSON Lines.
    func post(_ lines: [String], as role: String = "reporter") async throws -> Exchange {
        try await send("POST", "/v1/facts", as: role, body: Data((lines.joined(separator: "\n") + "\n").utf8), contentType: "application/x-ndjson")
    }

    /// The number of facts the ledger holds, read over HTTP as admin.
    func records() async throws -> Int {
        try await send("GET", "/v1/head", as: "admin").json["records"] as? Int ?? -1
    }
}

/// A server configuration file holding `json`, in the temporary directory; returns its path.
func temporaryConfigurationFile(_ json: String) throws -> String {
    let path = NSTemporaryDirectory() + "server-config-\(UUID().uuidString.prefix(8)).json"
    try Data(json.utf8).write(to: URL(fileURLWithPath: path))
    return path
}

/// Facts for the tests, as interchange v1 lines.
enum Facts {
    static let company = "91350100M000100Y43"
    static let person = "11010519491231002X"

    static func registration(_ id: String = "R-1", subject: String = company, name: String = "上海嘉定食品有限公司",
                             source: String = LiveServer.reporterSource) -> String {
        #"{"id":"\#(id)","type":"subject.registered","subject":"\#(subject)","source":"\#(source)","effective":"2020-01-10","body":{"name":"\#(name)","kind":"enterprise","region":"310114"}}"#
    }

    static func role(_ id: String = "R-2") -> String {
        #"{"id":"\#(id)","type":"role.assigned","subject":"\#(company)","source":"\#(LiveServer.reporterSource)","effective":"2020-01-10","body":{"person":"\#(person)","role":"legalRepresentative"}}"#
    }

    /// A valid unified social credit code numbered `n`.
    static func code(_ n: Int) -> String {
        try! UnifiedSocialCreditCode.make(department: "9", category: "1", region: "310114", organisationBody: String(format: "MA%06d", n)).description
    }
}
