/// An append-only, hash-chained log of opaque records: the contract every storage backend keeps.
///
/// Records get gap-free positions from 0 and strictly increasing recorded times; an append is one
/// atomic, durable group commit; reads see a consistent prefix; `verify` recomputes checksums and
/// the hash chain. ``FileLog`` (segment files) is the embedded default; other backends (PostgreSQL)
/// implement the same protocol and pass the same conformance tests.
public protocol RecordLog: AnyObject, Sendable {
    /// The state after the last durable record.
    var head: LogHead { get throws(LogError) }
    /// The hash function of the chain (SHA-256 or SM3), chosen when the log was created.
    var hashAlgorithm: LogHashAlgorithm { get }

    /// Appends the entries as one group commit and returns once they are durable.
    /// Either every entry is appended or none is.
    @discardableResult
    func append(_ entries: [LogEntry]) async throws(LogError) -> AppendReceipt

    /// Calls `body` with each record from `start` up to (not including) `end` (the head when nil),
    /// in position order, borrowing each record in place.
    func forEach(from start: Position, to end: Position?, _ body: (LogRecordView) throws -> Void) async throws

    /// Copies of up to `limit` records starting at `start`.
    func records(from start: Position, limit: Int) async throws(LogError) -> [LogRecord]

    /// The number of records recorded at or before `time`: everything the log knew at that
    /// instant is `0 ..< endPosition(recordedThrough: time)`.
    func endPosition(recordedThrough time: RecordedTime) async throws(LogError) -> Position

    /// Recomputes checksums and the hash chain over the blocks holding `range` (everything when
    /// nil) and reports the first damage, if any.
    func verify(_ range: Range<Position>?) async throws(LogError) -> VerificationReport

    /// Releases the log; later calls fail with ``LogError/closed``.
    func close() async throws(LogError)
}

/// What `verify` found.
public struct VerificationReport: Hashable, Sendable, CustomStringConvertible {
    /// Records whose checksums and chain links were recomputed.
    public var records: UInt64
    /// Uncompressed bytes of those records (canonical frames).
    public var rawBytes: UInt64
    /// Stored bytes read (block headers and payloads).
    public var storedBytes: UInt64
    /// The chain hash after the last record checked.
    public var chainHash: ChainHash
    /// The first damage met, or nil when everything checked is intact.
    public var damage: LogDamage?
    /// When a head known from before was given: the number of records it covers (the history
    /// through it is this log's first `expectedHeadEnd` records, unchanged).
    public var expectedHeadEnd: Position?
    /// Derived files (block indexes) found damaged or missing: named, never trusted, rebuilt by
    /// the next writer open. They do not make the log damaged.
    public var derivedDamage: [LogDamage]

    /// Whether everything checked is intact.
    public var isIntact: Bool { damage == nil }

    /// Creates a report from its parts.
    public init(records: UInt64, rawBytes: UInt64, storedBytes: UInt64, chainHash: ChainHash, damage: LogDamage?,
                expectedHeadEnd: Position? = nil, derivedDamage: [LogDamage] = []) {
        self.records = records
        self.rawBytes = rawBytes
        self.storedBytes = storedBytes
        self.chainHash = chainHash
        self.damage = damage
        self.expectedHeadEnd = expectedHeadEnd
        self.derivedDamage = derivedDamage
    }

    public var description: String {
        if let damage { return "damaged: \(damage)" }
        return "ok records=\(records) head=\(chainHash)"
    }
}
