import LedgerStorage

/// The validated records of an all-or-nothing import, written to the log in an ``AppendSession``
/// batch by batch as the input is read: not durable, not visible, not acknowledged until every
/// line has been judged and ``commit()`` makes the whole import durable with one sync. A refused
/// line, an error or a crash before that leaves nothing of the import (the log rolls an
/// uncommitted session back, at once or at the next writer's open). Memory stays bounded by one
/// batch, and the input is read only once.
///
/// On a log other processes append to (PostgreSQL), which has no append sessions, the records are
/// gathered in memory, up to one append's limit, and committed as one append (one transaction)
/// that lands only right after what the import was judged against.
struct PendingImport {
    private let ledger: Ledger
    private let session: AppendSession?
    private let gathered: Gathered?

    /// The records of an import on a shared log, until its commit.
    private final class Gathered {
        var entries: [LogEntry] = []
        var bytes = 0
        /// The head the import was judged against.
        let expected: LogHead?
        init(expected: LogHead?) { self.expected = expected }
    }

    init(ledger: Ledger) throws(LedgerError) {
        self.ledger = ledger
        if ledger.log.isShared {
            session = nil
            gathered = Gathered(expected: ledger.state.withLock { $0.viewsHead })
            return
        }
        let log = try ledger.log.requireFileLog(for: "an all-or-nothing import (one append session)")
        do { session = try log.beginAppend() } catch { throw .log(error) }
        gathered = nil
    }

    /// Writes a batch of accepted facts after the ones before it.
    func write(_ batch: [Planned]) throws(LedgerError) {
        var entries: [LogEntry] = []
        entries.reserveCapacity(batch.count)
        for case let .append(payload, time, _, _, _) in batch { entries.append(LogEntry(payload: payload, recordedTime: time)) }
        if let gathered {
            gathered.bytes += entries.reduce(0) { $0 + $1.payload.count }
            gathered.entries += entries
            let limit = ledger.configuration.log.appendBytesMax
            guard gathered.bytes <= limit else {
                throw .unsupported("an all-or-nothing import of more than \(limit) bytes of facts is not supported on a PostgreSQL ledger yet "
                                   + "(\(ledger.log.locationDescription)): import it with --skip-invalid, or in smaller files")
            }
            return
        }
        do { _ = try session!.write(entries) } catch { throw .log(error) }
    }

    /// Makes the whole import durable and visible at once; returns how many facts it appended.
    func commit() throws(LedgerError) -> Int {
        let receipt: AppendReceipt
        if let gathered {
            guard !gathered.entries.isEmpty else { return 0 }
            let landed: AppendReceipt?
            do { landed = try ledger.log.append(gathered.entries, ifHeadIs: gathered.expected) } catch { throw .log(error) }
            guard let landed else {
                throw .log(.unavailable(log: ledger.log.locationDescription, reason:
                    "another process appended to the shared log during this import; nothing of it was appended (run it again)"))
            }
            receipt = landed
        } else {
            do { receipt = try session!.commit() } catch { throw .log(error) }
        }
        return Int(receipt.head.nextPosition.rawValue - receipt.firstPosition.rawValue)
    }

    /// Drops everything written (nothing of it was acknowledged).
    func discard() {
        session?.abort()
        gathered?.entries = []
    }
}
