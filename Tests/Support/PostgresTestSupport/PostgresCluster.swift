import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A private PostgreSQL 15 cluster for tests: `initdb` in a fresh temporary directory, `pg_ctl start`
/// on 127.0.0.1 and a free port (trust authentication, `fsync` and `synchronous_commit` on), stopped
/// by its postmaster's pid.
///
/// ``shared`` is the one cluster of a test process: started on first use, stopped when the process
/// exits (an `atexit` handler) and, should the process die without running it, by a watchdog shell
/// that waits for the test process to go. Each test takes its own schema in it (``uniqueSchema(_:)``).
/// Tests that restart or stop the server start a cluster of their own with ``start()``.
///
/// `initdb` and `postgres` refuse to run as root; as root (CI, this machine) they run as the
/// `postgres` user through `runuser`, and the directory is handed to that user first.
public final class PostgresCluster: Sendable {
    /// Where Debian's postgresql-15 package puts the server binaries.
    public static let binaries = "/usr/lib/postgresql/15/bin"

    /// The cluster's directory (data in `pgdata/`, the server's log in `postgres.log`).
    public let root: String
    /// The TCP port the server listens on, on 127.0.0.1.
    public let port: Int
    /// The postmaster's pid while the server runs.
    private let pid = Mutex<Int32?>(nil)

    private init(root: String, port: Int) {
        self.root = root
        self.port = port
    }

    /// The test process's cluster, started on first use.
    public static var shared: PostgresCluster {
        get throws {
            try sharedCluster.withLock { (cluster) throws -> PostgresCluster in
                if let cluster { return cluster }
                let started = try start()
                cluster = started
                atexit { stopSharedCluster() }
                return started
            }
        }
    }

    /// Starts a new private cluster; the caller stops it (``stop()``).
    public static func start() throws -> PostgresCluster {
        guard FileManager.default.isExecutableFile(atPath: binaries + "/initdb") else {
            throw ClusterError("PostgreSQL 15 server binaries not found in \(binaries); `make deps` installs postgresql-15")
        }
        let root = NSTemporaryDirectory() + "ledger-pg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        if geteuid() == 0 {
            guard let user = getpwnam("postgres") else { throw ClusterError("running as root, but there is no `postgres` user") }
            guard chown(root, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                throw ClusterError("chown \(root) to postgres failed (errno \(errno))")
            }
        }
        try run(asPostgres: [binaries + "/initdb", "-D", root + "/pgdata", "-U", "postgres", "--auth=trust",
                             "--no-instructions", "-E", "UTF8", "--no-sync"])
        let cluster = PostgresCluster(root: root, port: try freePort())
        try cluster.startServer()
        return cluster
    }

    /// Starts the server (again) on the cluster's port and waits until it accepts connections.
    public func startServer() throws {
        let options = "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(root) "
            + "-c fsync=on -c synchronous_commit=on -c max_connections=300"
        try Self.run(asPostgres: [Self.binaries + "/pg_ctl", "-D", root + "/pgdata", "-l", root + "/postgres.log",
                                  "-w", "-t", "60", "start", "-o", options])
        let pidText = try String(contentsOfFile: root + "/pgdata/postmaster.pid", encoding: .utf8)
        guard let first = pidText.split(separator: "\n").first, let postmaster = Int32(first) else {
            throw ClusterError("no pid in \(root)/pgdata/postmaster.pid")
        }
        pid.withLock { $0 = postmaster }
        Self.watch(postmaster)
    }

    /// Stops the server (fast shutdown: SIGINT to the postmaster) and waits until it has gone.
    public func stopServer() {
        guard let postmaster = pid.withLock({ $0 }) else { return }
        kill(postmaster, SIGINT)
        for _ in 0..<600 where Self.isRunning(postmaster) { usleep(50_000) }
        pid.withLock { $0 = nil }
    }

    /// Kills the server without a shutdown (SIGKILL to the postmaster; its backends exit when
    /// they notice), as a crash would, and waits until it has gone.
    public func killServer() {
        guard let postmaster = pid.withLock({ $0 }) else { return }
        kill(postmaster, SIGKILL)
        for _ in 0..<600 where Self.isRunning(postmaster) { usleep(50_000) }
        pid.withLock { $0 = nil }
    }

    /// Whether a process runs: it exists and is not a zombie (a postmaster whose parent, pg_ctl,
    /// has gone is nobody's child to reap where the container's init does not reap).
    static func isRunning(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return false }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state != "Z" && state != "X"
    }

    /// Stops the server and removes the cluster's directory.
    public func stop() {
        stopServer()
        try? FileManager.default.removeItem(atPath: root)
    }

    /// A schema name no other test of this process uses: `label` (letters and digits only, lower
    /// case) and a random suffix.
    public static func uniqueSchema(_ label: String = #function) -> String {
        let name = label.lowercased().filter { ($0.isLetter && $0.isASCII) || $0.isNumber }.prefix(30)
        return "t_\(name)_\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// The connection URL of database `postgres` as user `postgres` (trust: no password).
    public var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

    // MARK: - Processes

    /// Runs a command as the `postgres` user (through `runuser` when this process is root) and
    /// throws with its output when it fails.
    ///
    /// Spawned with `posix_spawn` and reaped with `waitpid`, not with Foundation's `Process`, which
    /// on Linux learns of a child's exit from a descriptor the child inherits — and the server
    /// `pg_ctl` starts inherits it too and holds it for its whole life. Output goes to a file for
    /// the same reason.
    static func run(asPostgres argv: [String]) throws {
        let command = geteuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + argv : argv
        let outputPath = NSTemporaryDirectory() + "ledger-pg-command-\(UUID().uuidString.prefix(8)).log"
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var cArguments = command.map { strdup($0) } + [nil]
        defer { for argument in cArguments { free(argument) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, command[0], &actions, nil, &cArguments, environ)
        guard spawned == 0 else { throw ClusterError("cannot start \(command[0]) (error \(spawned))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED and WEXITSTATUS, which Swift does not import from the C macros.
        let exited = status & 0x7f == 0
        let code = (status >> 8) & 0xff
        guard exited && code == 0 else {
            let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            throw ClusterError("\(argv.joined(separator: " ")) failed (status \(status)): \(text)")
        }
    }

    /// Starts a shell that stops the postmaster once this process has gone, so a test process that
    /// dies without its `atexit` handlers (a crash, SIGKILL) leaves no server behind.
    private static func watch(_ postmaster: Int32) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done; kill -INT \(postmaster) 2>/dev/null"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }

    /// A TCP port on 127.0.0.1 nobody listens on at the moment (bound to port 0, then released).
    public static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw ClusterError("socket failed (errno \(errno))") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(socketFD, generic, length) == 0 && getsockname(socketFD, generic, &length) == 0
            }
        }
        guard bound else { throw ClusterError("bind to a free port failed (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// Why the test cluster could not be started.
public struct ClusterError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

private let sharedCluster = Mutex<PostgresCluster?>(nil)

private func stopSharedCluster() {
    sharedCluster.withLock { $0?.stop() }
}
