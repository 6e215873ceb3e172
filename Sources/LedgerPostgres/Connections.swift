import LedgerStorage
import Logging
import PostgresNIO
import Synchronization

/// Lets one task at a time through, in arrival order, across suspension points (a `Mutex`
/// cannot be held over an `await`). It serialises this process's appends on the writer connection.
final class AsyncGate: Sendable {
    private struct State {
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Runs `body` once every task that entered before has left.
    func withGate<Result, Failure: Error>(_ body: () async throws(Failure) -> Result) async throws(Failure) -> Result {
        await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let admitted = state.withLock { state -> Bool in
                if state.held {
                    state.waiters.append(continuation)
                    return false
                }
                state.held = true
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    private func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.held = false
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}

/// Connections to the log's database: made on demand, never logging (postgres-nio's own logs are
/// dropped so nothing about the server reaches the application's output).
struct ConnectionMaker: Sendable {
    let location: PostgresLocation
    static let quiet = Logger(label: "LedgerPostgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Opens a connection, or throws ``LogError/unavailable(log:reason:)`` saying why.
    func connect() async throws(LogError) -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: location.host, port: location.port, username: location.user, password: location.password,
            database: location.database, tls: .disable)
        configuration.options.connectTimeout = .seconds(10)
        do {
            return try await PostgresConnection.connect(configuration: configuration, id: 0, logger: Self.quiet)
        } catch {
            throw .unavailable(log: location.description, reason: "cannot connect: \(describe(error))")
        }
    }
}

/// A database error in words, without the statement's bound values (the blocks) and without
/// anything of the connection's credentials: the error code, and the server's SQLSTATE and message.
func describe(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(error)" }
    var words = "\(error.code)"
    if let info = error.serverInfo {
        words += ": " + [info[.sqlState].map { "SQLSTATE \($0)" }, info[.message], info[.detail]].compactMap { $0 }.joined(separator: ", ")
    } else if let underlying = error.underlying {
        words += " (\(underlying))"
    }
    return words
}

/// Whether the server refused the statement (a constraint, a failed transaction) rather than the
/// connection breaking: after a refusal nothing was committed and the connection still works.
/// A FATAL or PANIC (an administrator's shutdown, a terminated backend) ends the session: that is
/// a broken connection, whose last statement's outcome must be checked, not a refusal.
func isServerRefusal(_ error: any Error) -> Bool {
    guard let error = error as? PSQLError, error.code == .server else { return false }
    return error.serverInfo?[.severity] == "ERROR"
}

/// Closes a connection and reports a failure to close as the log being unavailable.
func closeChecked(_ connection: PostgresConnection, _ location: PostgresLocation) async throws(LogError) {
    do { try await connection.close() } catch {
        // A connection the server already dropped is closed as far as anyone can tell.
        if let psql = error as? PSQLError, psql.code == .clientClosedConnection || psql.code == .serverClosedConnection { return }
        if error is ChannelError { return }
        throw .unavailable(log: location.description, reason: "closing a connection failed: \(describe(error))")
    }
}

/// Closes a connection whose work already failed: that failure is what the caller hears, and a
/// connection that broke usually cannot be closed cleanly either.
func closeAfterFailure(_ connection: PostgresConnection) async {
    do { try await connection.close() } catch {
        // Nothing to add to the failure already being reported.
    }
}
