#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The outcome of one line of a JSON Lines input.
public enum LineResult: Sendable {
    /// A valid fact, with its line number and any warnings (e.g. a bad embedded GB 11714 check).
    case fact(Fact, line: Int, warnings: [FactProblem])
    /// A refused line.
    case refused(FactError)
}

/// Reads INTERCHANGE v1 JSON Lines in a streaming fashion: bounded memory whatever the file size,
/// one result per line, in order.
///
/// Lines end in `\n` (a preceding `\r` is dropped). Blank lines, a byte-order mark and lines longer
/// than ``Options/maxLineBytes`` are refused with their line number; reading goes on after them.
public struct JSONLinesReader: ~Copyable {
    /// Tunables, with limits on everything.
    public struct Options: Sendable {
        /// Bytes read from the file per system call.
        public var chunkBytes = 1 << 20
        /// Longest line accepted.
        public var maxLineBytes = 1 << 20
        /// Refuse a `recorded` earlier than the previous line's (INTERCHANGE: backfill must not go back).
        public var requireNonDecreasingRecorded = true
        /// Default options.
        public init() {}
    }

    private let options: Options
    private var codec = FactJSONCodec()
    private var lineNumber = 0
    private var lastRecorded: Timestamp?
    /// Bytes of the current line not yet ended by a newline.
    private var pending: [UInt8] = []
    /// Set while skipping the rest of an over-long line.
    private var skippingLongLine = false

    /// Creates a reader.
    public init(options: Options = Options()) {
        self.options = options
    }

    /// Reads the file at `path` to the end, calling `body` for each line.
    /// - Throws: ``JSONLinesIOError`` when the file cannot be read, or what `body` throws.
    public mutating func read(path: String, _ body: (LineResult) throws -> Void) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw JSONLinesIOError(path: path, errno: errno) }
        defer { close(fd) }
        var chunk = [UInt8](repeating: 0, count: options.chunkBytes)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JSONLinesIOError(path: path, errno: errno)
            }
            if n == 0 { break }
            try chunk.withUnsafeBufferPointer { try feed(UnsafeBufferPointer(rebasing: $0[0..<n]), body) }
        }
        try finish(body)
    }

    /// Reads a whole input held in memory.
    public mutating func read(bytes: [UInt8], _ body: (LineResult) throws -> Void) rethrows {
        try bytes.withUnsafeBufferPointer { try feed($0, body) }
        try finish(body)
    }

    /// Processes one chunk: every complete line in it is decoded in place, without copying, unless
    /// it began in an earlier chunk.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (LineResult) throws -> Void) rethrows {
        var start = 0
        while start < chunk.count {
            let rest = UnsafeBufferPointer(rebasing: chunk[start...])
            guard let found = memchr(rest.baseAddress!, 0x0A, rest.count) else {
                try append(rest, body)
                return
            }
            let nl = start + (UnsafeRawPointer(found) - UnsafeRawPointer(rest.baseAddress!))
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<nl])
            if pending.isEmpty && !skippingLongLine {
                try emitLine(piece, body)
            } else {
                try append(piece, body)
                let line = pending
                pending.removeAll(keepingCapacity: true)
                if skippingLongLine { skippingLongLine = false; lineNumber += 1 } else {
                    try line.withUnsafeBufferPointer { try emitLine($0, body) }
                }
            }
            start = nl + 1
        }
    }

    /// Ends the input: a last line without a newline is still a line.
    public mutating func finish(_ body: (LineResult) throws -> Void) rethrows {
        if skippingLongLine { skippingLongLine = false; lineNumber += 1; return }
        guard !pending.isEmpty else { return }
        let line = pending
        pending.removeAll()
        try line.withUnsafeBufferPointer { try emitLine($0, body) }
    }

    /// Holds part of a line until its newline arrives, refusing it once it passes the limit.
    private mutating func append(_ piece: UnsafeBufferPointer<UInt8>, _ body: (LineResult) throws -> Void) rethrows {
        guard !skippingLongLine else { return }
        guard pending.count + piece.count <= options.maxLineBytes else {
            skippingLongLine = true
            pending.removeAll(keepingCapacity: true)
            try body(.refused(FactError(line: lineNumber + 1, kind: .malformedJSON, field: "",
                                        reason: "line longer than \(options.maxLineBytes) bytes")))
            return
        }
        pending.append(contentsOf: piece)
    }

    /// Decodes one complete line (without its `\n`).
    private mutating func emitLine(_ raw: UnsafeBufferPointer<UInt8>, _ body: (LineResult) throws -> Void) rethrows {
        lineNumber += 1
        var line = raw
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if let problem = shapeProblem(line) {
            try body(.refused(FactError(line: lineNumber, kind: .malformedJSON, field: "", reason: problem)))
            return
        }
        let result: LineResult
        do throws(FactError) {
            let fact = try codec.decode(utf8: line, lineNumber: lineNumber)
            if let refusal = recordedOrderProblem(fact) { result = .refused(refusal) } else {
                result = .fact(fact, line: lineNumber, warnings: fact.warnings)
            }
        } catch {
            result = .refused(error)
        }
        try body(result)
    }

    /// Problems with the line as a whole: blank, too long, or a byte-order mark.
    private func shapeProblem(_ line: UnsafeBufferPointer<UInt8>) -> String? {
        if line.count > options.maxLineBytes { return "line longer than \(options.maxLineBytes) bytes" }
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return "blank line" }
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { return "starts with a byte-order mark (UTF-8 without BOM required)" }
        return nil
    }

    /// Refuses a `recorded` that goes back in time, and remembers the latest one.
    private mutating func recordedOrderProblem(_ fact: Fact) -> FactError? {
        guard options.requireNonDecreasingRecorded, let recorded = fact.recorded else { return nil }
        if let last = lastRecorded, (recorded.secondsSinceEpoch, recorded.nanoseconds) < (last.secondsSinceEpoch, last.nanoseconds) {
            return FactError(line: lineNumber, kind: .recordedWentBack, field: "recorded",
                             reason: "\(recorded) is earlier than the previous line's \(last)")
        }
        lastRecorded = recorded
        return nil
    }
}

/// A file could not be opened, read or written.
public struct JSONLinesIOError: Error, Sendable, CustomStringConvertible {
    /// The file.
    public var path: String
    /// The C `errno`.
    public var errno: Int32
    /// `path: strerror`.
    public var description: String { "\(path): " + String(cString: strerror(errno)) }
}

/// Writes canonical JSON Lines, buffering so that each system call writes about a mebibyte.
public final class JSONLinesWriter {
    private var fd: Int32
    private let path: String
    private var buffer: [UInt8] = []
    /// Bytes buffered before a write.
    private let flushBytes = 1 << 20

    /// Creates (or truncates) the file at `path`.
    /// - Throws: ``JSONLinesIOError``.
    public init(path: String) throws {
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw JSONLinesIOError(path: path, errno: errno) }
        self.path = path
        buffer.reserveCapacity(flushBytes + 4096)
    }

    /// Appends one fact as one canonical line.
    public func write(_ fact: Fact) throws {
        // Encoded straight into the buffer: no per-line copy.
        FactJSONCodec.encode(fact, into: &buffer)
        buffer.append(0x0A)
        if buffer.count >= flushBytes { try flush() }
    }

    /// Appends one line of text as it is (plus a newline), e.g. a refused line in a rejects file.
    /// - Precondition: `text` contains no newline, so that line numbers stay meaningful.
    public func writeRaw(_ text: String) throws {
        precondition(!text.utf8.contains(0x0A), "a JSON Lines line cannot contain a newline")
        buffer.append(contentsOf: text.utf8)
        buffer.append(0x0A)
        if buffer.count >= flushBytes { try flush() }
    }

    /// Writes out what is buffered.
    public func flush() throws {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JSONLinesIOError(path: path, errno: errno)
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and closes the file; later calls do nothing.
    public func close() throws {
        guard fd >= 0 else { return }
        try flush()
        let result = Glibc.close(fd)
        fd = -1
        guard result == 0 else { throw JSONLinesIOError(path: path, errno: errno) }
    }

    /// Closes without flushing if the owner forgot to: data not flushed is lost, so call ``close()``.
    deinit { if fd >= 0 { _ = Glibc.close(fd) } }
}
