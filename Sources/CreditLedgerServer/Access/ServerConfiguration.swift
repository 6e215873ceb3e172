import CreditLedger
import Crypto
import Foundation

/// What a principal may do. Roles are lists of these, kept as data in the configuration file.
public enum Permission: String, Codable, Sendable, CaseIterable {
    /// Append facts for the principal's own source codes (`POST /v1/facts`).
    case append
    /// Append facts for any source code.
    case appendAnySource
    /// Ask the query routes (subject, report, measures, grades, quality), naming a purpose.
    case query
    /// Ask a question as known at a past instant (`knownAt`).
    case pastKnownAt
    /// Read the digest of all views.
    case digest
    /// Read the log's head.
    case head
    /// Read the server's metrics (`GET /metrics`).
    case metrics
    /// Follow the log as Server-Sent Events (`GET /v1/facts`) and keep named subscriptions whose
    /// checkpoint the server holds (信息推送 with 执行反馈).
    case subscribe
    /// Read the query audit log (`GET /v1/audit`): who asked about whom, and why.
    case audit
}

/// A role: a name, what it may do, and whether it sees citizen identity numbers unmasked.
public struct Role: Codable, Sendable, Hashable {
    /// The role's name, as principals name it.
    public var name: String
    /// What the role may do.
    public var permissions: [Permission]
    /// Whether responses to it show citizen identity numbers in full (otherwise `3101**********123X`).
    public var seeIdentityNumbers: Bool

    /// Creates a role.
    public init(name: String, permissions: [Permission], seeIdentityNumbers: Bool = false) {
        self.name = name
        self.permissions = permissions
        self.seeIdentityNumbers = seeIdentityNumbers
    }

    /// The four roles a new configuration holds: `reporter` appends for its own sources and
    /// follows the log (信息推送), `query` asks questions about now, `auditor` also about past
    /// instants, reads digest and head and the query audit log, `admin` may do everything and
    /// sees identity numbers.
    public static let defaults: [Role] = [
        Role(name: "reporter", permissions: [.append, .subscribe]),
        Role(name: "query", permissions: [.query]),
        Role(name: "auditor", permissions: [.query, .pastKnownAt, .digest, .head, .audit]),
        Role(name: "admin", permissions: Permission.allCases, seeIdentityNumbers: true),
    ]
}

/// Someone the server knows: a department's reporting system, a query service, an auditor.
public struct Principal: Codable, Sendable, Hashable {
    /// The principal's name, as logs show it.
    public var name: String
    /// The name of its role.
    public var role: String
    /// The SHA-256 of its bearer token, in lowercase hex (the token itself is never stored).
    public var tokenSHA256: String
    /// The source codes it reports as (for the `append` permission).
    public var sources: [String]

    /// Creates a principal.
    public init(name: String, role: String, tokenSHA256: String, sources: [String] = []) {
        self.name = name
        self.role = role
        self.tokenSHA256 = tokenSHA256
        self.sources = sources
    }
}

/// The server's limits on requests, connections and event streams. Every key may be left out of
/// the file and takes the default given here.
public struct ServerLimits: Codable, Sendable, Hashable {
    /// The largest request body accepted (default 32 MiB); a larger one is refused with 413.
    public var maxBodyBytes: Int = 32 << 20
    /// The most facts one `POST /v1/facts` may carry (default 10,000); more are refused with 413.
    public var maxFactsPerRequest: Int = 10_000
    /// The most connections open at once (default 512); one more is answered 503 and closed.
    public var maxConnections: Int = 512
    /// How long a request may take to arrive whole, headers and body, once its first line is in
    /// (default 30 s); a client that stalls is answered 408 and closed, and nothing of it is appended.
    public var requestTimeoutSeconds: Double = 30
    /// How long a connection may sit idle between requests before it is closed (default 120 s).
    public var idleTimeoutSeconds: Double = 120
    /// An event stream sends a comment after this long without an event (default 15 s).
    public var streamHeartbeatSeconds: Double = 15
    /// An event stream whose consumer has not taken a write within this long is disconnected
    /// (default 30 s); the consumer resumes from its position or checkpoint.
    public var streamStallSeconds: Double = 30
    /// The longest purpose (查询事由) a query may name, in characters (default 500); a longer one
    /// is refused with 400. Every answer's audit entry keeps it.
    public var maxPurposeCharacters: Int = 500

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey {
        case maxBodyBytes, maxFactsPerRequest, maxConnections, requestTimeoutSeconds, idleTimeoutSeconds, streamHeartbeatSeconds, streamStallSeconds,
             maxPurposeCharacters
    }

    /// Reads the limits given; the others keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        maxFactsPerRequest = try c.decodeIfPresent(Int.self, forKey: .maxFactsPerRequest) ?? maxFactsPerRequest
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        requestTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .requestTimeoutSeconds) ?? requestTimeoutSeconds
        idleTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .idleTimeoutSeconds) ?? idleTimeoutSeconds
        streamHeartbeatSeconds = try c.decodeIfPresent(Double.self, forKey: .streamHeartbeatSeconds) ?? streamHeartbeatSeconds
        streamStallSeconds = try c.decodeIfPresent(Double.self, forKey: .streamStallSeconds) ?? streamStallSeconds
        maxPurposeCharacters = try c.decodeIfPresent(Int.self, forKey: .maxPurposeCharacters) ?? maxPurposeCharacters
    }

    /// Whether every limit is positive (and finite).
    var arePositive: Bool {
        let times = [requestTimeoutSeconds, idleTimeoutSeconds, streamHeartbeatSeconds, streamStallSeconds]
        return maxBodyBytes > 0 && maxFactsPerRequest > 0 && maxConnections > 0 && maxPurposeCharacters > 0 && times.allSatisfy { $0 > 0 && $0.isFinite && $0 < 86_400 }
    }
}

/// How the server records its query audit log: when a query's entry counts as recorded, and so
/// when its answer may be sent (docs/server.md, "The query audit log"). Read when the server
/// starts; a change takes effect at the next start.
public struct AuditSettings: Codable, Sendable, Hashable {
    /// `durable` (the default): every entry is durable (`fdatasync`) before its answer is sent.
    /// `written`: every entry is written to the audit log's file before its answer is sent, and
    /// made durable by a sync at most ``syncMilliseconds`` later; a machine crash (not a process
    /// crash) can lose the entries of that window.
    public var commit: Mode = .durable
    /// In the `written` mode, the longest an entry waits, once written, for the sync that makes
    /// it durable to start (default 20 ms; 1…1000).
    public var syncMilliseconds: Int = 20

    /// When an entry counts as recorded.
    public enum Mode: String, Codable, Sendable, Hashable {
        /// Durable before the answer is sent.
        case durable
        /// Written before the answer is sent, durable within ``AuditSettings/syncMilliseconds``.
        case written
    }

    /// The defaults: `durable`.
    public init() {}

    enum CodingKeys: String, CodingKey { case commit, syncMilliseconds }

    /// Reads the settings given; the others keep their defaults. An unknown mode is named.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let text = try c.decodeIfPresent(String.self, forKey: .commit) {
            guard let mode = Mode(rawValue: text) else {
                throw ConfigurationError(#"audit.commit must be "durable" or "written", is "\#(text)""#)
            }
            commit = mode
        }
        syncMilliseconds = try c.decodeIfPresent(Int.self, forKey: .syncMilliseconds) ?? syncMilliseconds
    }

    /// The audit log's commit mode these settings give.
    public var auditCommit: AuditCommit {
        switch commit {
        case .durable: .durable
        case .written: .written(syncMilliseconds: syncMilliseconds)
        }
    }
}

/// How the server runs the appends' work beside the queries (docs/server.md, "Appends beside
/// queries"). Read when the server starts; a change takes effect at the next start.
public struct AppendSettings: Codable, Sendable, Hashable {
    /// How much lower than the queries' the priority of the appends' threads is — the bulk
    /// workers reading and preparing posted facts and the writer doing the serial append — as
    /// `nice` counts: 0 (the default) runs both at the same priority; 1…19 gives a query's work
    /// the core first when both wait for one. Lowering a thread's priority needs no privilege.
    /// While queries keep every core busy the appends then slow down in proportion
    /// (docs/server.md has the figures).
    public var niceness: Int = 0

    /// The values `niceness` may take.
    public static let nicenessRange = 0...19

    /// The defaults: appends at the queries' priority.
    public init() {}

    enum CodingKeys: String, CodingKey { case niceness }

    /// Reads the settings given; the others keep their defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        niceness = try c.decodeIfPresent(Int.self, forKey: .niceness) ?? niceness
    }
}

/// The server's configuration file (`DIR/server.json` by default): where it listens, its limits,
/// the roles and the principals with their token hashes. It is re-read when it changes, so tokens
/// rotate without a restart.
public struct ServerConfiguration: Codable, Sendable {
    /// The address to listen on (default 127.0.0.1: only this machine).
    public var host: String = "127.0.0.1"
    /// The port to listen on (default 8080; 0 takes any free port).
    public var port: Int = 8080
    /// Limits per request.
    public var limits = ServerLimits()
    /// The roles, by name.
    public var roles: [Role] = Role.defaults
    /// The principals.
    public var principals: [Principal] = []
    /// The issuing body (出具单位) printed on the report pages the server hands out, e.g.
    /// `上海市嘉定区公共信用信息服务中心`; nil: the page says none is configured.
    public var issuer: String?
    /// How the query audit log is recorded (default: every entry durable before its answer).
    public var audit = AuditSettings()
    /// How the appends' threads run beside the queries (default: at the same priority).
    public var appends = AppendSettings()

    /// An empty configuration with the default roles and limits.
    public init() {}

    enum CodingKeys: String, CodingKey { case host, port, limits, roles, principals, issuer, audit, appends }

    /// Reads a configuration; every key but `principals` may be left out and takes its default.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        host = try container.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try container.decodeIfPresent(Int.self, forKey: .port) ?? port
        limits = try container.decodeIfPresent(ServerLimits.self, forKey: .limits) ?? limits
        roles = try container.decodeIfPresent([Role].self, forKey: .roles) ?? roles
        principals = try container.decode([Principal].self, forKey: .principals)
        issuer = try container.decodeIfPresent(String.self, forKey: .issuer)
        audit = try container.decodeIfPresent(AuditSettings.self, forKey: .audit) ?? audit
        appends = try container.decodeIfPresent(AppendSettings.self, forKey: .appends) ?? appends
    }

    /// The role named `name`, if the configuration defines it.
    public func role(named name: String) -> Role? { roles.first { $0.name == name } }

    /// The lowercase hex SHA-256 of a token, as principals store it.
    public static func hash(token: String) -> String {
        hex(SHA256.hash(data: Array(token.utf8)))
    }

    /// A new random token: 32 bytes from the system's generator, in hex.
    public static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return hex((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// `bytes` as lowercase hex, two digits a byte (every request hashes its token: this replaces
    /// a `String(format: "%02x")` per byte).
    static func hex<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Checks that every principal names a defined role, has a well-formed token hash, and that
    /// names and hashes are unique; the error names the principal.
    public func validate() throws(ConfigurationError) {
        var names = Set<String>(), hashes = Set<String>()
        for principal in principals {
            guard role(named: principal.role) != nil else {
                throw ConfigurationError("principal \(principal.name): no role \(principal.role)")
            }
            guard principal.tokenSHA256.count == 64, principal.tokenSHA256.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw ConfigurationError("principal \(principal.name): tokenSHA256 must be 64 lowercase hex digits")
            }
            guard names.insert(principal.name).inserted else { throw ConfigurationError("principal \(principal.name) appears twice") }
            guard hashes.insert(principal.tokenSHA256).inserted else {
                throw ConfigurationError("principal \(principal.name): the same token as another principal")
            }
        }
        if let issuer, issuer.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ConfigurationError("issuer must not be empty (leave it out for none)")
        }
        guard limits.arePositive else { throw ConfigurationError("limits must be positive (and times under a day)") }
        guard AuditCommit.syncMillisecondsRange.contains(audit.syncMilliseconds) else {
            throw ConfigurationError("audit.syncMilliseconds must be \(AuditCommit.syncMillisecondsRange.lowerBound)…\(AuditCommit.syncMillisecondsRange.upperBound), is \(audit.syncMilliseconds)")
        }
        guard AppendSettings.nicenessRange.contains(appends.niceness) else {
            throw ConfigurationError("appends.niceness must be \(AppendSettings.nicenessRange.lowerBound)…\(AppendSettings.nicenessRange.upperBound), is \(appends.niceness)")
        }
    }

    /// Reads and validates the file at `path`.
    public static func load(path: String) throws(ConfigurationError) -> ServerConfiguration {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw ConfigurationError("\(path): cannot be read (\(error.localizedDescription))")
        }
        let configuration: ServerConfiguration
        do { configuration = try JSONDecoder().decode(ServerConfiguration.self, from: data) } catch {
            throw ConfigurationError("\(path): not a server configuration (\(error))")
        }
        do { try configuration.validate() } catch { throw ConfigurationError("\(path): \(error.message)") }
        return configuration
    }

    /// Writes the configuration to `path` with mode 0600 (owner only), keys sorted.
    public func write(path: String) throws(ConfigurationError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            let data = try encoder.encode(self)
            guard FileManager.default.createFile(atPath: path, contents: data + Data("\n".utf8), attributes: [.posixPermissions: 0o600])
            else { throw ConfigurationError("\(path): cannot be written") }
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        } catch let error as ConfigurationError {
            throw error
        } catch {
            throw ConfigurationError("\(path): cannot be written (\(error.localizedDescription))")
        }
    }

    /// A configuration for a first start: the defaults and one `admin` principal holding a new
    /// token, returned once so that it can be shown once.
    public static func firstStart() -> (configuration: ServerConfiguration, token: String) {
        let token = newToken()
        var configuration = ServerConfiguration()
        configuration.principals = [Principal(name: "admin", role: "admin", tokenSHA256: hash(token: token))]
        return (configuration, token)
    }
}

/// A configuration file that cannot be used, with what is wrong and where.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String
    /// Creates the error.
    public init(_ message: String) { self.message = message }
    /// The message.
    public var description: String { message }
}
