import LedgerStorage

/// The log under a ledger, as the engine uses it: synchronous calls from the caller's thread.
///
/// Two logs conform: ``FileLog`` (one machine, one writer process holding the directory's lock)
/// and the PostgreSQL log's adapter in `CreditLedgerPostgres` (any number of writer processes on
/// any number of hosts, ``isShared``). Reads hand records over in batches through ``forEach(from:to:_:)``,
/// one call per range, so a replay makes one call through this protocol per chunk, not per record.
package protocol LedgerLog: AnyObject, Sendable {
    /// The head this process knows: its own appends and the last ``refresh()``.
    var head: LogHead { get throws(LogError) }
    /// Whether this process only reads.
    var isReadOnly: Bool { get }
    /// Whether other processes append to the same log (PostgreSQL): the views must catch up
    /// before an append is validated, and the append must land right after what they have seen.
    var isShared: Bool { get }
    /// The hash function of the chain and digests.
    var hashAlgorithm: LogHashAlgorithm { get }
    /// Where the log is, for messages (never a password).
    var locationDescription: String { get }
    /// The file log itself, for what only it offers yet (append sessions); nil on PostgreSQL.
    var fileLog: FileLog? { get }
    /// Where signed checkpoints of a log shared by several processes are kept, beside the log so
    /// that every process finds them; nil for a file log (its ledger keeps them in `DIR/checkpoints/`).
    var sharedCheckpoints: (any CheckpointStore)? { get }

    /// Moves the head on to what other processes appended, checked to continue the history seen.
    func refresh() throws(LogError) -> LogHead
    /// Appends `entries` as one durable group commit. With `expected`, only when the log's head is
    /// still `expected` (nothing was appended by another process since): nil when it is not, and
    /// nothing was appended.
    func append(_ entries: [LogEntry], ifHeadIs expected: LogHead?) throws(LogError) -> AppendReceipt?
    /// Calls `body` with each record of `start ..< end` (the head when nil), in position order.
    func forEach(from start: Position, to end: Position?, _ body: (LogRecordView) throws -> Void) throws
    /// Copies of the records at `positions` (ascending, each below the head).
    func records(at positions: [Position]) throws(LogError) -> [LogRecord]
    /// The record at `position`.
    func record(at position: Position) throws(LogError) -> LogRecord
    /// The number of records recorded at or before `time`.
    func endPosition(recordedThrough time: RecordedTime) throws(LogError) -> Position
    /// Recomputes every checksum and the hash chain.
    func verifyAll() throws(LogError) -> VerificationReport
    /// The chain hash after the first `end` records, nil when the log cannot say (not a boundary
    /// it keeps, or beyond the head).
    func chainHash(through end: Position) throws(LogError) -> ChainHash?
    /// The head of the log's Merkle tree (RFC 9162) at `size` records (the whole log when nil).
    func treeHead(size: UInt64?) throws(LogError) -> TreeHead
    /// The proof that the record at `position` is in the tree of `treeSize` records.
    func inclusionProof(position: Position, treeSize: UInt64?) throws(LogError) -> InclusionProof
    /// The proof that the tree of `old` records is a prefix of the tree of `new` (the whole log when nil).
    func consistencyProof(from old: UInt64, to new: UInt64?) throws(LogError) -> ConsistencyProof
    /// Releases the log.
    func close() throws(LogError)
}

extension FileLog: LedgerLog {
    package var isShared: Bool { false }
    package var locationDescription: String { directory }
    package var fileLog: FileLog? { self }
    package var sharedCheckpoints: (any CheckpointStore)? { nil }

    package func append(_ entries: [LogEntry], ifHeadIs expected: LogHead?) throws(LogError) -> AppendReceipt? {
        // One writer process holds the directory's lock: its head cannot move under it.
        try append(entries)
    }

    package func verifyAll() throws(LogError) -> VerificationReport { try verify(nil) }
}

extension LedgerLog {
    /// The file log, or ``LedgerError/unsupported(_:)`` naming `feature` on another backend.
    func requireFileLog(for feature: String) throws(LedgerError) -> FileLog {
        guard let fileLog else { throw .unsupported("\(feature) is not supported on a PostgreSQL ledger yet (\(locationDescription))") }
        return fileLog
    }
}
