import Foundation

/// The place of a record in the log: 0, 1, 2 … without gaps.
public struct Position: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The zero-based index of the record in the log.
    public var rawValue: UInt64

    /// Wraps a zero-based record index.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Wraps a zero-based record index.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// The first position of every log.
    public static let zero = Position(0)

    /// The position `count` records further on.
    public func advanced(by count: UInt64) -> Position { Position(rawValue + count) }

    public static func < (lhs: Position, rhs: Position) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}

/// Transaction time: when the log recorded a record, in microseconds since 1970-01-01T00:00:00Z.
///
/// Strictly increasing along the log: every record is recorded after the one before it.
public struct RecordedTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since the Unix epoch, UTC.
    public var microsecondsSinceEpoch: Int64

    /// Wraps a count of microseconds since the Unix epoch.
    public init(microsecondsSinceEpoch: Int64) { self.microsecondsSinceEpoch = microsecondsSinceEpoch }

    /// The instant of a Foundation `Date`, truncated to the microsecond.
    public init(_ date: Date) {
        self.microsecondsSinceEpoch = Int64((date.timeIntervalSince1970 * 1_000_000).rounded(.down))
    }

    /// The last microsecond before the Unix epoch (1969-12-31T23:59:59.999999Z): earlier than
    /// any instant a ledger's clock records, so "known at" it is the empty history, whatever is
    /// appended later.
    public static let beforeEpoch = RecordedTime(microsecondsSinceEpoch: -1)

    /// The current wall-clock time (`clock_gettime(CLOCK_REALTIME)`).
    public static func now() -> RecordedTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return RecordedTime(microsecondsSinceEpoch: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1_000)
    }

    /// The same instant as a Foundation `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(microsecondsSinceEpoch) / 1_000_000) }

    /// The instant `microseconds` later.
    public func adding(microseconds: Int64) -> RecordedTime {
        RecordedTime(microsecondsSinceEpoch: microsecondsSinceEpoch + microseconds)
    }

    public static func < (lhs: RecordedTime, rhs: RecordedTime) -> Bool {
        lhs.microsecondsSinceEpoch < rhs.microsecondsSinceEpoch
    }

    /// RFC 3339 in UTC with microseconds, e.g. `2023-06-06T02:12:00.000000Z`.
    public var description: String {
        let seconds = microsecondsSinceEpoch >= 0
            ? microsecondsSinceEpoch / 1_000_000 : (microsecondsSinceEpoch - 999_999) / 1_000_000
        let micros = microsecondsSinceEpoch - seconds * 1_000_000
        var time = time_t(seconds)
        var parts = tm()
        gmtime_r(&time, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(micros))
    }
}

/// A SHA-256 chain hash: SHA-256(previous chain hash ‖ canonical record bytes).
///
/// The chain hash after the last record (the log's head hash) identifies the whole history.
public struct ChainHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes of the hash, in digest order.
    public let bytes: [UInt8]

    /// Wraps 32 bytes. Precondition: `bytes.count == 32`.
    public init(bytes: [UInt8]) {
        precondition(bytes.count == 32, "a chain hash is 32 bytes, got \(bytes.count)")
        self.bytes = bytes
    }

    /// The hash before the first record: 32 zero bytes.
    public static let genesis = ChainHash(bytes: [UInt8](repeating: 0, count: 32))

    /// Parses 64 hexadecimal digits; nil when the text is not that.
    public init?(hex: String) {
        let digits = Array(hex.utf8)
        guard digits.count == 64 else { return nil }
        var out = [UInt8](repeating: 0, count: 32)
        for index in 0..<32 {
            guard let high = Self.nibble(digits[2 * index]), let low = Self.nibble(digits[2 * index + 1]) else {
                return nil
            }
            out[index] = high << 4 | low
        }
        self.bytes = out
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return digit - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Lower-case hexadecimal, 64 characters.
    public var description: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The state of the log after its last durable record.
public struct LogHead: Hashable, Sendable, CustomStringConvertible {
    /// The position the next appended record will get; also the number of records in the log.
    public var nextPosition: Position
    /// The chain hash after the last record (``ChainHash/genesis`` for an empty log).
    public var chainHash: ChainHash
    /// The recorded time of the last record; nil for an empty log.
    public var lastRecordedTime: RecordedTime?

    /// Creates a head from its parts.
    public init(nextPosition: Position, chainHash: ChainHash, lastRecordedTime: RecordedTime?) {
        self.nextPosition = nextPosition
        self.chainHash = chainHash
        self.lastRecordedTime = lastRecordedTime
    }

    /// The head of an empty log.
    public static let empty = LogHead(nextPosition: .zero, chainHash: .genesis, lastRecordedTime: nil)

    /// The number of records in the log.
    public var recordCount: UInt64 { nextPosition.rawValue }

    public var description: String { "records=\(recordCount) head=\(chainHash)" }
}

/// A record to append: opaque bytes, and optionally the recorded time the caller wants for it.
public struct LogEntry: Sendable, Hashable {
    /// The record's bytes, stored and returned verbatim.
    public var payload: [UInt8]
    /// The recorded time to give the record (history migration); nil takes the clock's time.
    public var recordedTime: RecordedTime?

    /// A record with the given bytes, optionally with its own recorded time.
    public init(payload: [UInt8], recordedTime: RecordedTime? = nil) {
        self.payload = payload
        self.recordedTime = recordedTime
    }
}

/// A stored record, copied out of the log.
public struct LogRecord: Sendable, Hashable {
    /// Where the record stands in the log.
    public var position: Position
    /// When the log recorded it.
    public var recordedTime: RecordedTime
    /// Its bytes, as appended.
    public var payload: [UInt8]

    /// Creates a record from its parts.
    public init(position: Position, recordedTime: RecordedTime, payload: [UInt8]) {
        self.position = position
        self.recordedTime = recordedTime
        self.payload = payload
    }
}

/// A record seen in place during a scan, without copying. `payload` is valid only during the call
/// that receives the view; copy it (``LogRecordView/record``) to keep it.
public struct LogRecordView {
    /// Where the record stands in the log.
    public let position: Position
    /// When the log recorded it.
    public let recordedTime: RecordedTime
    /// Its bytes, borrowed from the decoded block.
    public let payload: UnsafeRawBufferPointer

    /// A view of a record's parts (for backends and tests that hold the bytes themselves).
    public init(position: Position, recordedTime: RecordedTime, payload: UnsafeRawBufferPointer) {
        self.position = position
        self.recordedTime = recordedTime
        self.payload = payload
    }

    /// A copy that outlives the scan.
    public var record: LogRecord {
        LogRecord(position: position, recordedTime: recordedTime, payload: Array(payload))
    }
}

/// What an append call made durable.
public struct AppendReceipt: Sendable, Hashable {
    /// The position of the first appended record (the log's previous `nextPosition`).
    public var firstPosition: Position
    /// The recorded time given to each appended record, in order. Empty for an
    /// ``AppendSession``'s commit: each of its writes reported its own (``PendingRecords``).
    public var recordedTimes: [RecordedTime]
    /// The log's head after the append.
    public var head: LogHead

    /// A receipt from its parts (for backends outside this module).
    public init(firstPosition: Position, recordedTimes: [RecordedTime], head: LogHead) {
        self.firstPosition = firstPosition
        self.recordedTimes = recordedTimes
        self.head = head
    }

    /// The positions the appended records got.
    public var positions: Range<Position> {
        firstPosition..<head.nextPosition
    }
}
