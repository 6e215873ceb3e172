import Foundation
import LedgerStorage

/// Where a PostgreSQL log lives: the server, the user, the database and the schema holding the
/// log's two tables. The password is kept apart and never appears in a description or an error.
///
/// Written as a URL: `postgres://user[:password]@host[:port]/database[?schema=name]` (the schema
/// defaults to `ledger`). Without a password in the URL, ``init(url:environment:)`` takes one from
/// `PGPASSWORD` or from the file named by `PGPASSWORD_FILE` (first line).
public struct PostgresLocation: Sendable, Hashable, CustomStringConvertible {
    /// The server's host name or address.
    public var host: String
    /// The server's TCP port.
    public var port: Int
    /// The user to connect as.
    public var user: String
    /// The user's password, or nil for trust or peer authentication. Never printed.
    public var password: String?
    /// The database.
    public var database: String
    /// The schema holding the log's tables: lower-case letters, digits and `_`, starting with a
    /// letter or `_`, at most 48 characters (it also names the notification channel).
    public var schema: String

    /// A location from its parts; throws when the schema name is not a plain identifier.
    public init(host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
                schema: String = "ledger") throws(LogError) {
        guard Self.isPlainIdentifier(schema) else {
            throw .invalidConfiguration("the schema name \"\(schema)\" must be lower-case letters, digits and _, "
                                        + "starting with a letter or _, at most 48 characters")
        }
        guard (1...65_535).contains(port) else { throw .invalidConfiguration("the port \(port) is not 1…65535") }
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
    }

    /// Parses `postgres://user[:password]@host[:port]/database[?schema=name]` (also `postgresql://`).
    /// Without a password in the URL, takes `PGPASSWORD`, else the first line of the file named by
    /// `PGPASSWORD_FILE`, from `environment`. Errors name what is wrong and never echo the URL.
    public init(url text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(LogError) {
        guard let url = URLComponents(string: text), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme) else {
            throw .invalidConfiguration("a PostgreSQL ledger is written postgres://user@host[:port]/database[?schema=name]")
        }
        guard let host = url.host, !host.isEmpty else { throw .invalidConfiguration("the PostgreSQL URL names no host") }
        guard let user = url.user, !user.isEmpty else { throw .invalidConfiguration("the PostgreSQL URL names no user") }
        let database = String(url.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else {
            throw .invalidConfiguration("the PostgreSQL URL names no database (postgres://user@host/database)")
        }
        let schema = url.queryItems?.first { $0.name == "schema" }?.value ?? "ledger"
        var password = url.password?.removingPercentEncoding
        if password == nil, let fromEnvironment = environment["PGPASSWORD"] { password = fromEnvironment }
        if password == nil, let file = environment["PGPASSWORD_FILE"] {
            guard let contents = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw .invalidConfiguration("PGPASSWORD_FILE names \(file), which cannot be read")
            }
            password = contents.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        }
        try self.init(host: host, port: url.port ?? 5432, user: user.removingPercentEncoding ?? user, password: password,
                      database: database.removingPercentEncoding ?? database, schema: schema)
    }

    /// The location without its password: `postgres://user@host:port/database?schema=name`.
    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)?schema=\(schema)" }

    /// Whether a URL-like text names a PostgreSQL location rather than a directory.
    public static func isURL(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    static func isPlainIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = bytes.first, bytes.count <= 48 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || byte == UInt8(ascii: "_") }
        return isLetter(first) && bytes.allSatisfy { isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    // The password takes no part in equality or hashing (two locations are the same log).
    public static func == (lhs: Self, rhs: Self) -> Bool {
        (lhs.host, lhs.port, lhs.user, lhs.database, lhs.schema) == (rhs.host, rhs.port, rhs.user, rhs.database, rhs.schema)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(host)
        hasher.combine(port)
        hasher.combine(user)
        hasher.combine(database)
        hasher.combine(schema)
    }
}
