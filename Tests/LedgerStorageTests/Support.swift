import Foundation
import Testing
@testable import LedgerStorage

/// A fresh directory under /tmp, removed when the test's scope ends.
final class TemporaryDirectory: @unchecked Sendable {
    let path: String

    init(_ label: String = #function) {
        let name = label.filter { $0.isLetter || $0.isNumber }
        path = NSTemporaryDirectory() + "ledger-tests-\(name)-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func file(_ name: String) -> String { path + "/" + name }
}

/// Deterministic payloads: the bytes of the record at a position can be recomputed from the
/// position alone, so any test can check a record's content after a crash or a reopen.
enum Payloads {
    /// `length` bytes derived from `position` (a SplitMix64 stream seeded with it).
    static func bytes(position: UInt64, length: Int) -> [UInt8] {
        // Seed through the mixer too, so neighbouring positions do not share a shifted stream.
        var state = mix(position &* 0x9E37_79B9_7F4A_7C15 &+ 0x1234_5678)
        var out = [UInt8]()
        out.reserveCapacity(length)
        while out.count < length {
            state &+= 0x9E37_79B9_7F4A_7C15
            let z = mix(state)
            withUnsafeBytes(of: z) { out.append(contentsOf: $0.prefix(length - out.count)) }
        }
        return out
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Compressible text of `length` bytes for `position` (repeating field names and numbers).
    static func text(position: UInt64, length: Int) -> [UInt8] {
        let line = Array("position=\(position);subject=91310114MA1G;source=310114-SCJG;kind=penalty;".utf8)
        return (0..<length).map { line[$0 % line.count] }
    }

    /// The length the crash tests give the record at `position`.
    static func length(position: UInt64) -> Int { Int(position % 7 == 0 ? 1_500 : 40 + position % 300) }
}

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
