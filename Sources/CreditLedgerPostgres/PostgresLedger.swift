import CreditLedger
import Dispatch
import LedgerPostgres
import LedgerStorage
import Synchronization

extension Ledger {
    /// Opens the ledger whose log is in PostgreSQL at `location` (docs/postgres.md), keeping this
    /// process's snapshots in `stateDirectory` (derived state: built from the log, checked against
    /// the log's chain hash before use, never shared between processes — the directory is locked).
    ///
    /// Any number of processes on any number of hosts may open the same log, as writers or
    /// readers. Each follows the others: it listens on the log's channel and catches up by
    /// position when woken (``catchUp()``), and every append first catches up, is judged against
    /// the whole history, and lands only right after what the views have seen — when another
    /// process appended in between, it is judged again. So idempotency, refusals, views and
    /// digests agree across processes.
    ///
    /// The Merkle tree is built in memory from the records (proofs, reports bound to a tree head);
    /// signed checkpoints are kept in a table beside the log, shared by every process
    /// (``Ledger/checkpoints``, and ``LedgerConfiguration/checkpoints`` signs them on schedule).
    /// The hash function (``LogConfiguration/hashAlgorithm``: SHA-256 or SM3) is chosen when the
    /// log is created and kept in its head row. Not on PostgreSQL yet, refused with
    /// ``LedgerError/unsupported(_:)``: all-or-nothing imports beyond one append; the intake
    /// counters are this process's since it opened (``warnings`` says so).
    ///
    /// - Throws: ``LedgerError/log(_:)`` with ``LogError/unavailable(log:reason:)`` when the
    ///   server cannot be reached or refuses the login (the password is never named).
    public static func open(postgres location: PostgresLocation, stateDirectory: String,
                            configuration: LedgerConfiguration = LedgerConfiguration(), access: LedgerAccess = .writer,
                            progress: ((_ replayed: UInt64, _ total: UInt64) -> Void)? = nil) throws(LedgerError) -> Ledger
    {
        // A writer locks its state directory (it writes snapshots there); a reader writes nothing.
        let stateLock: StateDirectoryLock?
        do { stateLock = access == .readOnly ? nil : try StateDirectoryLock(directory: stateDirectory) } catch { throw .log(error) }
        let bridge = BlockingBridge()
        let opened: PostgresLog
        do {
            opened = try bridge.runLog { () async throws(LogError) -> PostgresLog in
                try await PostgresLog.open(location, configuration: configuration.log, readOnly: access == .readOnly)
            }
        } catch {
            stateLock?.release()
            throw .log(error)
        }
        let log = PostgresLedgerLog(log: opened, bridge: bridge, stateLock: stateLock)
        let ledger = try open(log: log, directory: stateDirectory, configuration: configuration, progress: progress)
        log.startListening(PostgresWaker(ledger: ledger).wake)
        return ledger
    }
}

/// Catches a ledger up when the log's channel says another process appended: on a queue of its
/// own, one catch-up at a time, wake-ups that come meanwhile folded into one more.
final class PostgresWaker: Sendable {
    private weak let ledger: Ledger?
    private let queue = DispatchQueue(label: "credit-ledger.postgres.follow")
    /// (a catch-up is queued or running, another was asked for meanwhile)
    private let state = Mutex((busy: false, again: false))

    init(ledger: Ledger) {
        self.ledger = ledger
    }

    @Sendable func wake() {
        let start = state.withLock { state -> Bool in
            if state.busy { state.again = true; return false }
            state.busy = true
            return true
        }
        if start { queue.async { [self] in run() } }
    }

    private func run() {
        while true {
            // A failed catch-up leaves the views where they were; the next wake-up (or append) tries again.
            _ = try? ledger?.catchUp()
            let again = state.withLock { state -> Bool in
                if state.again { state.again = false; return true }
                state.busy = false
                return false
            }
            if !again { return }
        }
    }
}
