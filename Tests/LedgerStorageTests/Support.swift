import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// Shared with the other test targets (LogTestSupport).
typealias TemporaryDirectory = LogTestSupport.TemporaryDirectory

extension FileLog {
    /// Appends `count` deterministic records (text payloads) in one call.
    @discardableResult
    func appendSample(_ count: Int, length: Int = 120) throws -> AppendReceipt {
        let first = try head.nextPosition.rawValue
        return try append((0..<UInt64(count)).map {
            LogEntry(payload: Payloads.text(position: first + $0, length: length))
        })
    }

    /// Appends `count` deterministic incompressible records in one call (fills segments fast).
    @discardableResult
    func appendRandom(_ count: Int, length: Int = 100) throws -> AppendReceipt {
        let first = try head.nextPosition.rawValue
        return try append((0..<UInt64(count)).map {
            LogEntry(payload: Payloads.bytes(position: first + $0, length: length))
        })
    }

    /// Every record, copied.
    func allRecords() throws -> [LogRecord] { try records(from: .zero) }
}

/// A configuration with tiny limits so tests roll segments and split blocks quickly.
func smallConfiguration() -> LogConfiguration {
    var configuration = LogConfiguration()
    configuration.recordBytesMax = 4_000
    configuration.blockRawBytesMax = 8_192
    configuration.recordsPerAppendMax = 200
    configuration.appendBytesMax = 32_768
    configuration.segmentBytesMax = 64 * 1024
    return configuration
}

/// File-level tampering for corruption tests.
enum Tamper {
    static func flipBit(_ path: String, at offset: Int64, bit: UInt8 = 0) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.seek(toOffset: UInt64(offset))
        var byte = try handle.read(upToCount: 1)!
        byte[0] ^= 1 << bit
        try handle.seek(toOffset: UInt64(offset))
        try handle.write(contentsOf: byte)
    }

    static func truncate(_ path: String, to length: Int64) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(length))
    }

    static func length(_ path: String) throws -> Int64 {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as! NSNumber).int64Value
    }

    static func read(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    static func write(_ data: Data, to path: String) throws { try data.write(to: URL(fileURLWithPath: path)) }
}

/// The segment files of a log directory, in order.
func segmentFiles(_ directory: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".segment") }.sorted()
        .map { directory + "/" + $0 }
}

/// The offsets of a segment's blocks, read through the library's own walker.
func blockOffsets(_ log: FileLog, segment index: Int = 0) throws -> [Int64] {
    try log.snapshot().segments[index].blocks.map(\.offset)
}

/// Expects `body` to throw a `LogError.damaged` and returns the damage.
func expectDamage(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> LogDamage? {
    do {
        try body()
        Issue.record("expected damage to be reported", sourceLocation: sourceLocation)
    } catch let LogError.damaged(damage) {
        return damage
    } catch {
        Issue.record("expected damage, got \(error)", sourceLocation: sourceLocation)
    }
    return nil
}
