import LedgerStorage

/// The validated records of an all-or-nothing import, written to the log in an ``AppendSession``
/// batch by batch as the input is read: not durable, not visible, not acknowledged until every
/// line has been judged and ``commit()`` makes the whole import durable with one sync. A refused
/// line, an error or a crash before that leaves nothing of the import (the log rolls an
/// uncommitted session back, at once or at the next writer's open). Memory stays bounded by one
/// batch, and the input is read only once.
struct PendingImport {
    private let session: AppendSession

    init(ledger: Ledger) throws(LedgerError) {
        let log = try ledger.log.requireFileLog(for: "an all-or-nothing import (one append session)")
        do { session = try log.beginAppend() } catch { throw .log(error) }
    }

    /// Writes a batch of accepted facts after the ones before it.
    func write(_ batch: [Planned]) throws(LedgerError) {
        var entries: [LogEntry] = []
        entries.reserveCapacity(batch.count)
        for case let .append(payload, time, _, _) in batch { entries.append(LogEntry(payload: payload, recordedTime: time)) }
        do { _ = try session.write(entries) } catch { throw .log(error) }
    }

    /// Makes the whole import durable and visible at once; returns how many facts it appended.
    func commit() throws(LedgerError) -> Int {
        let receipt: AppendReceipt
        do { receipt = try session.commit() } catch { throw .log(error) }
        return Int(receipt.head.nextPosition.rawValue - receipt.firstPosition.rawValue)
    }

    /// Drops everything written (nothing of it was acknowledged).
    func discard() {
        session.abort()
    }
}
