#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a log is damaged, precisely enough to act on: the file, the byte offset in it, the first
/// position that can no longer be trusted (when known) and what is wrong.
public struct LogDamage: Hashable, Sendable, CustomStringConvertible {
    /// The damaged file's path.
    public var file: String
    /// The byte offset in `file` where the damaged structure starts.
    public var offset: Int64
    /// The first record position that cannot be trusted, when the damage lies in or before a record.
    public var position: Position?
    /// What is wrong, e.g. "block payload CRC-32C is 0x1A2B3C4D, header says 0x00FF00FF".
    public var reason: String

    /// Creates a damage report.
    public init(file: String, offset: Int64, position: Position?, reason: String) {
        self.file = file
        self.offset = offset
        self.position = position
        self.reason = reason
    }

    public var description: String {
        let at = position.map { ", first bad position \($0)" } ?? ""
        return "\(file) at offset \(offset)\(at): \(reason)"
    }
}

/// Everything that can go wrong with a log, each case carrying what is needed to act on it.
public enum LogError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Another writer holds the log's lock file.
    case locked(directory: String, holder: String)
    /// The log is damaged; nothing past the damage is served.
    case damaged(LogDamage)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// A record is larger than ``LogConfiguration/recordBytesMax``.
    case recordTooLarge(index: Int, bytes: Int, limit: Int)
    /// An append call has more records than ``LogConfiguration/recordsPerAppendMax``.
    case tooManyRecords(count: Int, limit: Int)
    /// An append call's records add up to more than ``LogConfiguration/appendBytesMax``.
    case appendTooLarge(bytes: Int, limit: Int)
    /// A caller-supplied recorded time is not after the previous record's.
    case recordedTimeNotIncreasing(index: Int, given: RecordedTime, previous: RecordedTime)
    /// A read asked for a position the log does not hold.
    case positionOutOfRange(requested: Position, end: Position)
    /// More concurrent readers than ``LogConfiguration/openReadersMax``.
    case tooManyReaders(limit: Int)
    /// A configuration value is out of range or inconsistent with another.
    case invalidConfiguration(String)
    /// A write or sync failed earlier; the log refuses further appends until it is reopened,
    /// because the page cache cannot be trusted after a failed `fdatasync`.
    case writerFailed(String)
    /// An ``AppendSession`` is open; appends and other sessions wait until it commits or aborts.
    case appendInProgress
    /// The ``AppendSession`` already committed, aborted or failed; nothing more can be written in it.
    case sessionEnded
    /// A Merkle tree size larger than the log (a tree head or proof for records it does not hold).
    case treeSizeOutOfRange(requested: UInt64, size: UInt64)
    /// The log was closed.
    case closed
    /// The log was opened read-only.
    case readOnly
    /// The database holding the log (PostgreSQL) cannot be reached or refused a statement;
    /// `reason` says which and never holds a password.
    case unavailable(log: String, reason: String)
    /// The connection was lost while an append was committing and whether it landed could not
    /// be checked: the records `positions` either all hold `chainHash` at their end or none
    /// exist. Reopen the log and compare its head (or read the position) before retrying.
    case appendInDoubt(log: String, positions: Range<Position>, chainHash: ChainHash, reason: String)

    public var description: String {
        switch self {
        case let .locked(directory, holder):
            return "the log in \(directory) is already open for writing (\(holder)); one writer at a time"
        case let .damaged(damage):
            return "damaged log: \(damage)"
        case let .io(operation, path, code):
            return "\(operation) failed on \(path): \(String(cString: strerror(code))) (errno \(code))"
        case let .recordTooLarge(index, bytes, limit):
            return "record \(index) of the append is \(bytes) bytes; the limit is \(limit) bytes"
        case let .tooManyRecords(count, limit):
            return "an append of \(count) records exceeds the limit of \(limit) records per append"
        case let .appendTooLarge(bytes, limit):
            return "an append of \(bytes) bytes exceeds the limit of \(limit) bytes per append"
        case let .recordedTimeNotIncreasing(index, given, previous):
            return "record \(index) of the append has recorded time \(given), "
                + "not after the previous record's \(previous); recorded time never goes back"
        case let .positionOutOfRange(requested, end):
            return "position \(requested) is not in the log (it holds positions below \(end))"
        case let .tooManyReaders(limit):
            return "more than \(limit) concurrent readers; the limit is openReadersMax"
        case let .invalidConfiguration(reason):
            return "invalid log configuration: \(reason)"
        case let .writerFailed(reason):
            return "the log refuses appends after an earlier failure (\(reason)); reopen it"
        case .appendInProgress:
            return "an append session is open on this log; one append at a time"
        case .sessionEnded:
            return "the append session has ended (committed, aborted or failed); start a new one"
        case let .treeSizeOutOfRange(requested, size):
            return "a tree of \(requested) records is larger than the log, which holds \(size)"
        case .closed:
            return "the log is closed"
        case .readOnly:
            return "the log was opened read-only"
        case let .unavailable(log, reason):
            return "the log \(log) is unavailable: \(reason)"
        case let .appendInDoubt(log, positions, chainHash, reason):
            return "an append to \(log) may or may not have committed (\(reason)); positions \(positions.lowerBound)..<\(positions.upperBound) "
                + "ending at chain hash \(chainHash) either all landed or none did — check the head before retrying"
        }
    }
}
