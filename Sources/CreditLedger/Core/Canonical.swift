import CreditFacts

/// Writes a view's state as canonical bytes: fixed-width little-endian integers, length-prefixed
/// UTF-8, and collections in an order the view chooses explicitly (sorted keys), never in a
/// `Dictionary`'s or `Set`'s iteration order. The same state gives the same bytes in any process,
/// which is what snapshots and digests rely on.
public struct CanonicalEncoder: Sendable {
    /// The bytes written so far (when streaming, those not yet handed to the sink).
    public private(set) var bytes: [UInt8] = []
    /// Where whole chunks go when the encoder streams (a snapshot's view state); nil keeps every byte.
    private let sink: ChunkSink?
    /// The count of `bytes` at which whole chunks are handed to the sink: never, without one.
    private let drainAt: Int

    /// An empty encoder that keeps every byte in ``bytes``.
    public init() {
        sink = nil
        drainAt = .max
    }

    /// An encoder that hands its bytes to `sink` in whole chunks of `sink.chunkBytes` as they are
    /// written, keeping less than one chunk itself: a view's state of gigabytes is encoded without
    /// ever being held whole. ``finishStreaming()`` hands over the last, shorter chunk.
    init(streamingTo sink: ChunkSink) {
        self.sink = sink
        drainAt = sink.chunkBytes
        bytes.reserveCapacity(sink.chunkBytes + 4096)
    }

    /// Appends one byte.
    public mutating func write(_ value: UInt8) {
        bytes.append(value)
        if bytes.count >= drainAt { drain() }
    }
    /// Appends a little-endian 32-bit integer.
    public mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        if bytes.count >= drainAt { drain() }
    }
    /// Appends a little-endian 64-bit integer.
    public mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        if bytes.count >= drainAt { drain() }
    }
    /// Appends a signed 64-bit integer.
    public mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }
    /// Appends an `Int` as 64 bits.
    public mutating func write(_ value: Int) { write(Int64(value)) }
    /// Appends a Boolean as one byte.
    public mutating func write(_ value: Bool) { write(value ? 1 as UInt8 : 0) }
    /// Appends raw bytes (the caller writes their count first when it is not fixed).
    public mutating func write(bytes values: [UInt8]) {
        values.withUnsafeBytes { write(raw: $0) }
    }
    /// Appends raw bytes in place, a chunk at a time when streaming (a table of millions of slots
    /// is never copied whole).
    public mutating func write(raw values: UnsafeRawBufferPointer) {
        var offset = 0
        while offset < values.count {
            let count = Swift.min(values.count - offset, drainAt == .max ? values.count : drainAt)
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: values[offset..<(offset + count)]))
            offset += count
            if bytes.count >= drainAt { drain() }
        }
    }
    /// Appends a string as its UTF-8 length (32 bits) and bytes.
    public mutating func write(_ value: String) {
        var copy = value
        copy.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            write(raw: UnsafeRawBufferPointer(utf8))
        }
    }
    /// Appends a legal date as its day number.
    public mutating func write(_ value: LegalDate) { write(Int64(value.daysSinceEpoch)) }
    /// Appends a presence byte, then the value when present.
    public mutating func write<T>(_ value: T?, _ body: (inout CanonicalEncoder, T) -> Void) {
        if let value {
            write(true)
            body(&self, value)
        } else {
            write(false)
        }
    }
    /// Appends a count, then each element in the given order.
    public mutating func write<C: Collection>(_ values: C, _ body: (inout CanonicalEncoder, C.Element) -> Void) {
        write(UInt32(values.count))
        for value in values { body(&self, value) }
    }

    /// Appends unsigned integers as LEB128 varints (seven bits a byte, low first), preceded by
    /// the byte count of them all (64 bits): small numbers — gaps between sorted positions —
    /// take a byte each. Read back with ``CanonicalDecoder/readVarints(count:_:)``.
    mutating func writeVarints(_ values: some Sequence<UInt64>) {
        var encoded: [UInt8] = []
        encoded.reserveCapacity(values.underestimatedCount)
        for var value in values {
            while value >= 0x80 {
                encoded.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            encoded.append(UInt8(value))
        }
        write(UInt64(encoded.count))
        write(bytes: encoded)
    }

    /// Hands every whole chunk held to the sink and keeps the rest.
    private mutating func drain() {
        guard let sink else { return }
        var start = 0
        bytes.withUnsafeBytes { raw in
            while raw.count - start >= sink.chunkBytes {
                sink.take(UnsafeRawBufferPointer(rebasing: raw[start..<(start + sink.chunkBytes)]))
                start += sink.chunkBytes
            }
        }
        bytes.removeSubrange(0..<start)
    }

    /// Hands what is left (less than a chunk; nothing when empty) to the sink of a streaming encoder.
    mutating func finishStreaming() {
        drain()
        guard let sink, !bytes.isEmpty else { return }
        bytes.withUnsafeBytes { sink.take($0) }
        bytes.removeAll()
    }
}

/// Where a streaming ``CanonicalEncoder`` hands its bytes, in whole chunks of ``chunkBytes`` and a
/// shorter last one. Used by one thread at a time: the snapshot writer that made it.
final class ChunkSink: @unchecked Sendable {
    let chunkBytes: Int
    let take: (UnsafeRawBufferPointer) -> Void

    init(chunkBytes: Int, _ take: @escaping (UnsafeRawBufferPointer) -> Void) {
        precondition(chunkBytes > 0)
        self.chunkBytes = chunkBytes
        self.take = take
    }
}

/// Why a snapshot could not be read back.
public struct SnapshotError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public var reason: String
    /// Creates the error.
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "snapshot unreadable: \(reason)" }
}

/// Reads what a ``CanonicalEncoder`` wrote, in the same order.
public struct CanonicalDecoder {
    private let bytes: [UInt8]
    private var offset: Int
    private let end: Int

    /// Reads `bytes` from the start.
    public init(_ bytes: [UInt8]) { self.init(bytes, range: 0..<bytes.count) }

    /// Reads `range` of `bytes`, sharing the array rather than copying it.
    init(_ bytes: [UInt8], range: Range<Int>) {
        self.bytes = bytes
        offset = range.lowerBound
        end = range.upperBound
    }

    /// Whether every byte has been read.
    public var isAtEnd: Bool { offset == end }
    /// How many bytes are left: a bound on any count read next, before memory is reserved for it.
    var remainingBytes: Int { end - offset }

    private mutating func take(_ count: Int) throws(SnapshotError) -> ArraySlice<UInt8> {
        guard count >= 0, end - offset >= count else { throw SnapshotError("cut short at byte \(offset)") }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    /// Skips `count` bytes and returns where they are, for a decoder of their own.
    mutating func skip(_ count: Int) throws(SnapshotError) -> Range<Int> {
        let start = offset
        _ = try take(count)
        return start..<offset
    }

    /// Calls `body` with the next `count` bytes in place.
    mutating func withBytes<R>(_ count: Int, _ body: (UnsafeRawBufferPointer) -> R) throws(SnapshotError) -> R {
        let range = try skip(count)
        return bytes.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[range])) }
    }

    /// The array behind the decoder.
    var storage: [UInt8] { bytes }

    private mutating func integer<T: FixedWidthInteger>(_: T.Type) throws(SnapshotError) -> T {
        let slice = try take(MemoryLayout<T>.size)
        return slice.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(as: T.self)) }
    }

    /// Reads one byte.
    public mutating func readUInt8() throws(SnapshotError) -> UInt8 { try integer(UInt8.self) }
    /// Reads a 32-bit integer.
    public mutating func readUInt32() throws(SnapshotError) -> UInt32 { try integer(UInt32.self) }
    /// Reads a 64-bit integer.
    public mutating func readUInt64() throws(SnapshotError) -> UInt64 { try integer(UInt64.self) }
    /// Reads a signed 64-bit integer.
    public mutating func readInt64() throws(SnapshotError) -> Int64 { try integer(Int64.self) }
    /// Reads an `Int`.
    public mutating func readInt() throws(SnapshotError) -> Int { Int(try readInt64()) }
    /// Reads a Boolean.
    public mutating func readBool() throws(SnapshotError) -> Bool {
        switch try readUInt8() {
        case 0: return false
        case 1: return true
        case let other: throw SnapshotError("\(other) is not a Boolean at byte \(offset - 1)")
        }
    }
    /// Reads `count` raw bytes.
    public mutating func readBytes(_ count: Int) throws(SnapshotError) -> [UInt8] { Array(try take(count)) }
    /// Reads a string.
    public mutating func readString() throws(SnapshotError) -> String {
        let count = Int(try readUInt32())
        return String(decoding: try take(count), as: UTF8.self)
    }
    /// Reads a legal date.
    public mutating func readDate() throws(SnapshotError) -> LegalDate {
        let days = try readInt64()
        guard let narrowed = Int32(exactly: days) else { throw SnapshotError("date \(days) out of range") }
        return LegalDate(daysSinceEpoch: narrowed)
    }
    /// Reads an optional value.
    public mutating func readOptional<T>(_ body: (inout CanonicalDecoder) throws(SnapshotError) -> T) throws(SnapshotError) -> T? {
        try readBool() ? try body(&self) : nil
    }
    /// Reads `count` varints written by ``CanonicalEncoder/writeVarints(_:)``, handing each to
    /// `body` in order; their bytes must hold exactly that many, none longer than 64 bits.
    mutating func readVarints(count: Int, _ body: (UInt64) throws(SnapshotError) -> Void) throws(SnapshotError) {
        guard let length = Int(exactly: try readUInt64()) else { throw SnapshotError("varint length out of range") }
        let start = offset
        let range = try skip(length)
        try bytes.withUnsafeBufferPointer { (all) throws(SnapshotError) in
            var at = range.lowerBound
            for _ in 0..<count {
                var value: UInt64 = 0, shift: UInt64 = 0
                while true {
                    guard at < range.upperBound else { throw SnapshotError("varints cut short at byte \(start)") }
                    let byte = all[at]
                    at += 1
                    guard shift < 64, shift < 63 || byte <= 1 else { throw SnapshotError("varint over 64 bits at byte \(at - 1)") }
                    value |= UInt64(byte & 0x7F) << shift
                    if byte < 0x80 { break }
                    shift += 7
                }
                try body(value)
            }
            guard at == range.upperBound else { throw SnapshotError("\(range.upperBound - at) bytes after \(count) varints at byte \(at)") }
        }
    }

    /// Reads a counted sequence.
    public mutating func readArray<T>(_ body: (inout CanonicalDecoder) throws(SnapshotError) -> T) throws(SnapshotError) -> [T] {
        let count = Int(try readUInt32())
        guard count <= end - offset else { throw SnapshotError("count \(count) exceeds the remaining bytes") }
        var out: [T] = []
        out.reserveCapacity(count)
        for _ in 0..<count { out.append(try body(&self)) }
        return out
    }
}
