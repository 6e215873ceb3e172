import Foundation
import LedgerStorage
#if canImport(Glibc)
import Glibc
#endif

/// The validated records of an all-or-nothing import, kept in a temporary file in the ledger's
/// directory until every line has been judged, then appended; deleted in any case afterwards (and
/// by the next writer's open if the process dies first). The input itself is read only once.
struct PendingImport {
    let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    let log: FileLog

    /// The name of every pending-import file, so that a writer's open can remove orphans.
    static let suffix = ".import.tmp"

    init(ledger: Ledger) throws(LedgerError) {
        path = ledger.directory + "/" + String(getpid()) + Self.suffix
        descriptor = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        log = ledger.log
        guard descriptor >= 0 else { throw .log(.io(operation: "open", path: path, errno: errno)) }
    }

    /// Adds a batch of accepted facts: each as its length, recorded time and encoded payload.
    mutating func write(_ batch: [Planned]) throws(LedgerError) {
        for case let .append(payload, time, _, _) in batch {
            withUnsafeBytes(of: UInt32(payload.count).littleEndian) { buffer.append(contentsOf: $0) }
            withUnsafeBytes(of: time.microsecondsSinceEpoch.littleEndian) { buffer.append(contentsOf: $0) }
            buffer.append(contentsOf: payload)
        }
        if buffer.count >= 4 << 20 { try flush() }
    }

    private mutating func flush() throws(LedgerError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .log(.io(operation: "write", path: path, errno: errno))
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends every record, in order, in appends of at most `batchSize` records and `batchBytes`
    /// bytes; returns how many were appended.
    mutating func commit(batchSize: Int, batchBytes: Int) throws(LedgerError) -> Int {
        try flush()
        guard lseek(descriptor, 0, SEEK_SET) == 0 else { throw .log(.io(operation: "lseek", path: path, errno: errno)) }
        var entries: [LogEntry] = []
        var bytes = 0
        var appended = 0
        var rest: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw .log(.io(operation: "read", path: path, errno: errno)) }
            if n == 0 { break }
            rest.append(contentsOf: chunk[0..<n])
            var offset = 0
            while let entry = Self.entry(in: rest, at: &offset) {
                entries.append(entry)
                bytes += entry.payload.count
                if entries.count >= batchSize || bytes >= batchBytes {
                    appended += try append(&entries)
                    bytes = 0
                }
            }
            rest.removeFirst(offset)
        }
        guard rest.isEmpty else { throw .log(.io(operation: "read (truncated pending import)", path: path, errno: EIO)) }
        appended += try append(&entries)
        return appended
    }

    private func append(_ entries: inout [LogEntry]) throws(LedgerError) -> Int {
        guard !entries.isEmpty else { return 0 }
        do { try log.append(entries) } catch { throw .log(error) }
        defer { entries.removeAll(keepingCapacity: true) }
        return entries.count
    }

    /// The record at `offset`, if `bytes` holds all of it; moves `offset` past it.
    private static func entry(in bytes: [UInt8], at offset: inout Int) -> LogEntry? {
        guard bytes.count - offset >= 12 else { return nil }
        let (count, time) = bytes.withUnsafeBytes { raw in
            (Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))),
             Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: Int64.self)))
        }
        guard bytes.count - offset - 12 >= count else { return nil }
        let payload = Array(bytes[(offset + 12)..<(offset + 12 + count)])
        offset += 12 + count
        return LogEntry(payload: payload, recordedTime: RecordedTime(microsecondsSinceEpoch: time))
    }

    /// Closes and deletes the file.
    mutating func discard() {
        guard descriptor >= 0 else { return }
        Glibc.close(descriptor)
        descriptor = -1
        unlink(path)
    }
}
