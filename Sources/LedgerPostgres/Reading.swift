import LedgerStorage
import PostgresNIO

extension PostgresLog {
    /// Calls `body` with each record from `start` up to (not including) `end` (this process's
    /// head when nil), in position order, borrowing each record in place. Every row read is
    /// checked as the file log checks its blocks: CRCs, frames, continuity with the row before,
    /// and (``LogConfiguration/readChecksChain``) the hash chain; damage throws ``LogError/damaged(_:)``
    /// before any record of the damaged block is served.
    public func forEach(from start: Position = .zero, to end: Position? = nil, _ body: (LogRecordView) throws -> Void) async throws {
        let head = try self.head
        let end = end ?? head.nextPosition
        guard start <= head.nextPosition else { throw LogError.positionOutOfRange(requested: start, end: head.nextPosition) }
        guard end <= head.nextPosition else { throw LogError.positionOutOfRange(requested: end, end: head.nextPosition) }
        guard start < end else { return }
        _ = try await scan(from: start, to: end, checksChain: configuration.readChecksChain) { view in
            if view.position >= start, view.position < end { try body(view) }
        }
    }

    /// Copies of up to `limit` records starting at `start`.
    public func records(from start: Position, limit: Int) async throws(LogError) -> [LogRecord] {
        let head = try self.head
        guard start <= head.nextPosition else { throw .positionOutOfRange(requested: start, end: head.nextPosition) }
        let end = start.advanced(by: min(UInt64(max(limit, 0)), head.nextPosition.rawValue - start.rawValue))
        var out: [LogRecord] = []
        do {
            try await forEach(from: start, to: end) { out.append($0.record) }
        } catch let error as LogError {
            throw error
        } catch {
            throw .unavailable(log: location.description, reason: "reading failed: \(describe(error))")
        }
        return out
    }

    /// The number of records recorded at or before `time`, within this process's head: the first
    /// row with a record after `time` is found by its `last_time` (indexed) and, when it straddles
    /// `time`, decoded to count its records up to it.
    public func endPosition(recordedThrough time: RecordedTime) async throws(LogError) -> Position {
        let head = try self.head
        let found = try await withReader { (connection) async throws(LogError) -> Position? in
            let rows: [PostgresRow]
            do {
                rows = try await connection.query("""
                    SELECT first_position, first_time, blocks FROM \(unescaped: tables.groups)
                    WHERE last_time > \(time.microsecondsSinceEpoch) ORDER BY last_time LIMIT 1
                    """, logger: ConnectionMaker.quiet).collect()
            } catch {
                throw .unavailable(log: location.description, reason: "reading failed: \(describe(error))")
            }
            guard let row = rows.first else { return nil }
            let (first, firstTime, blocks) = try decodeRow(row, as: (Int64, Int64, ByteBuffer).self)
            let firstPosition = Position(UInt64(first))
            if firstTime > time.microsecondsSinceEpoch { return firstPosition }
            var count: UInt64 = 0
            do {
                _ = try walk(blocks, first: firstPosition, after: LogHead(nextPosition: firstPosition, chainHash: .genesis, lastRecordedTime: nil),
                         checksChain: false) { view in
                    if view.recordedTime <= time { count += 1 }
                }
            } catch let error as LogError {
                throw error
            } catch {
                preconditionFailure("counting records throws nothing of its own: \(error)")
            }
            return firstPosition.advanced(by: count)
        }
        return min(found ?? head.nextPosition, head.nextPosition)
    }

    /// The chain hash after the first `end` records, as stored with the append ending there; nil
    /// when no append ends at `end` (a ledger's snapshots are taken at ends of appends) or when
    /// `end` is beyond this process's head.
    public func chainHash(through end: Position) async throws(LogError) -> ChainHash? {
        guard end <= (try head).nextPosition else { return nil }
        return try await withReader { (connection) async throws(LogError) -> ChainHash? in
            try await tables.chainHash(endingAt: end, on: connection, location: location)
        }
    }

    /// Recomputes checksums and the hash chain over the rows holding `range` (everything when nil)
    /// from the rows alone — each row's blocks, their headers, and the row's own columns — and
    /// reports the first damage, naming the row (by its first position), the byte offset in its
    /// blocks and the first position not to trust. Checking everything also checks the head row.
    public func verify(_ range: Range<Position>?) async throws(LogError) -> VerificationReport {
        let head = try await refresh()
        let start = range?.lowerBound ?? .zero
        let end = range.map { min($0.upperBound, head.nextPosition) } ?? head.nextPosition
        var report = VerificationReport(records: 0, rawBytes: 0, storedBytes: 0, chainHash: .genesis, damage: nil)
        guard start < end else {
            report.chainHash = start == .zero ? .genesis : head.chainHash
            return report
        }
        do {
            let totals = try await scan(from: start, to: end, checksChain: true) { _ in }
            report.records = totals.records
            report.rawBytes = totals.rawBytes
            report.storedBytes = totals.storedBytes
            report.chainHash = totals.head.chainHash
            if range == nil, totals.head != head {
                report.damage = LogDamage(file: "\(location) table \(location.schema).log_head", offset: 0, position: totals.head.nextPosition,
                                          reason: "the head row says \(head), the rows end at \(totals.head)")
            }
        } catch let LogError.damaged(damage) {
            report.damage = damage
        } catch let error as LogError {
            throw error
        } catch {
            throw .unavailable(log: location.description, reason: "verifying failed: \(describe(error))")
        }
        return report
    }

    // MARK: - Scanning rows

    /// What a scan read.
    struct ScanTotals {
        var records: UInt64 = 0
        var rawBytes: UInt64 = 0
        var storedBytes: UInt64 = 0
        /// The head after the last row read.
        var head: LogHead
    }

    /// Reads the rows holding `start ..< end` in order, checks each and calls `body` with every
    /// record of those rows (the caller filters positions). Errors thrown by `body` pass through.
    func scan(from start: Position, to end: Position, checksChain: Bool, _ body: (LogRecordView) throws -> Void) async throws -> ScanTotals {
        let outcome = try await withReader { (connection) async throws(LogError) -> Result<ScanTotals, ScanBodyError> in
            do {
                return .success(try await scan(on: connection, from: start, to: end, checksChain: checksChain, body))
            } catch let error as LogError {
                throw error
            } catch let error as ScanBodyError {
                return .failure(error)
            } catch {
                throw .unavailable(log: location.description, reason: "reading failed: \(describe(error))")
            }
        }
        switch outcome {
        case .success(let totals): return totals
        case .failure(let error): throw error.underlying
        }
    }

    private func scan(
        on connection: PostgresConnection, from start: Position, to end: Position, checksChain: Bool, _ body: (LogRecordView) throws -> Void
    ) async throws -> ScanTotals {
        // The row holding `start`, and the chain hash and time stored by the row before it.
        let starts = try await connection.query("""
            SELECT g.first_position, p.chain_hash, p.last_time FROM \(unescaped: tables.groups) g
            LEFT JOIN \(unescaped: tables.groups) p ON p.next_position = g.first_position
            WHERE g.first_position <= \(Int64(start.rawValue)) ORDER BY g.first_position DESC LIMIT 1
            """, logger: ConnectionMaker.quiet).collect()
        guard let startRow = starts.first else { throw damage(at: start, offset: 0, "no row holds position \(start)") }
        let (first, previousHash, previousTime) = try decodeRow(startRow, as: (Int64, ByteBuffer?, Int64?).self)
        var totals = ScanTotals(head: LogHead(nextPosition: Position(UInt64(first)), chainHash: .genesis, lastRecordedTime: nil))
        if first > 0 {
            guard let previousHash, previousHash.readableBytes == 32, let previousTime else {
                throw damage(at: Position(UInt64(first)), offset: 0, "no row ends where the row at \(first) starts")
            }
            totals.head.chainHash = ChainHash(bytes: Array(buffer: previousHash))
            totals.head.lastRecordedTime = RecordedTime(microsecondsSinceEpoch: previousTime)
        }
        let rows = try await connection.query("""
            SELECT first_position, next_position, first_time, last_time, chain_hash, blocks FROM \(unescaped: tables.groups)
            WHERE first_position >= \(first) AND first_position < \(Int64(end.rawValue)) ORDER BY first_position
            """, logger: ConnectionMaker.quiet)
        for try await row in rows {
            let (rowFirst, rowNext, firstTime, lastTime, hash, blocks) = try decodeRow(row, as: (Int64, Int64, Int64, Int64, ByteBuffer, ByteBuffer).self)
            let rowStart = Position(UInt64(max(rowFirst, 0)))
            guard rowStart == totals.head.nextPosition else {
                throw damage(at: totals.head.nextPosition, offset: 0, "the row at \(rowFirst) does not continue the log, which reaches \(totals.head.nextPosition)")
            }
            var seenFirstTime: RecordedTime?
            let summary = try walk(blocks, first: rowStart, after: totals.head, checksChain: checksChain) { view in
                if seenFirstTime == nil { seenFirstTime = view.recordedTime }
                do { try body(view) } catch { throw ScanBodyError(underlying: error) }
            }
            let columns = (next: rowNext, firstTime: firstTime, lastTime: lastTime, hash: Array(buffer: hash))
            guard columns.next == Int64(summary.head.nextPosition.rawValue), columns.firstTime == seenFirstTime?.microsecondsSinceEpoch,
                  columns.lastTime == summary.head.lastRecordedTime?.microsecondsSinceEpoch, columns.hash == summary.head.chainHash.bytes else {
                throw damage(at: rowStart, offset: 0, "the row's columns (next position, times, chain hash) disagree with its blocks")
            }
            totals.records += summary.records
            totals.rawBytes += summary.rawBytes
            totals.storedBytes += summary.storedBytes
            totals.head = summary.head
        }
        guard totals.head.nextPosition >= end else {
            throw damage(at: totals.head.nextPosition, offset: 0, "the rows end at \(totals.head.nextPosition), before \(end)")
        }
        return totals
    }

    /// Walks one row's blocks with a reader sized for this log, naming the row on damage.
    private func walk(_ blocks: ByteBuffer, first: Position, after previous: LogHead, checksChain: Bool,
                      _ body: (LogRecordView) throws -> Void) throws -> BlockGroupSummary {
        let reader = BlockGroupReader(rawBytesMax: state.withLock { $0.blockRawBytesMax }, algorithm: hashAlgorithm)
        do {
            return try blocks.withUnsafeReadableBytes { bytes in
                try reader.walk(bytes, after: previous, checksChain: checksChain, body)
            }
        } catch let fault as BlockGroupFault {
            throw damage(at: first, offset: fault.offset, fault.reason, position: fault.position)
        }
    }

    /// Damage in the row starting at `first`.
    private func damage(at first: Position, offset: Int, _ reason: String, position: Position? = nil) -> LogError {
        .damaged(LogDamage(file: "\(tables.groupsName(location)) row first_position=\(first)", offset: Int64(offset),
                           position: position ?? first, reason: reason))
    }

    /// Decodes a row, naming the table when its columns are not what the log writes.
    private func decodeRow<each Column: PostgresDecodable>(
        _ row: PostgresRow, as columns: (repeat each Column).Type
    ) throws(LogError) -> (repeat each Column) {
        do {
            return try row.decode(columns)
        } catch {
            throw .damaged(LogDamage(file: tables.groupsName(location), offset: 0, position: nil,
                                     reason: "a row's columns cannot be decoded: \(describe(error))"))
        }
    }
}

/// An error thrown by a scan's callback, kept apart from the scan's own.
struct ScanBodyError: Error {
    var underlying: any Error
}
