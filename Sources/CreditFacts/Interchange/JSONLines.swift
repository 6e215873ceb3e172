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

/// One line of a JSON Lines input as read, with its bytes, for readers that must keep refused lines
/// verbatim (a rejects file). The bytes are valid only during the call that receives the event.
public enum LineEvent {
    /// A whole line: what it decodes to and its bytes without the line ending (`\n` or `\r\n`).
    case line(LineResult, raw: UnsafeBufferPointer<UInt8>)
    /// A line longer than ``JSONLinesReader/Options/maxLineBytes``, refused: the refusal and the
    /// line's first bytes. The rest follows in ``overlongMore(_:)`` events, then ``overlongEnd``;
    /// the reader never holds more of it than one limit's worth.
    case overlong(FactError, raw: UnsafeBufferPointer<UInt8>)
    /// More bytes of an over-long line (the last piece keeps a `\r` before the newline).
    case overlongMore(UnsafeBufferPointer<UInt8>)
    /// The over-long line ended (its newline, or the end of the input).
    case overlongEnd
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
    /// Set while passing on the rest of an over-long line.
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

    /// Processes one chunk, calling `body` with the result of each line it completes.
    public mutating func feed(_ chunk: UnsafeBufferPointer<UInt8>, _ body: (LineResult) throws -> Void) rethrows {
        try feed(events: chunk) { event in try Self.result(of: event).map(body) }
    }

    /// Ends the input: a last line without a newline is still a line.
    public mutating func finish(_ body: (LineResult) throws -> Void) rethrows {
        try finish(events: { event in try Self.result(of: event).map(body) })
    }

    /// The result an event reports, if it reports one.
    private static func result(of event: LineEvent) -> LineResult? {
        switch event {
        case .line(let result, _): result
        case .overlong(let error, _): .refused(error)
        case .overlongMore, .overlongEnd: nil
        }
    }

    /// Processes one chunk: every complete line in it is decoded in place, without copying, unless
    /// it began in an earlier chunk.
    public mutating func feed(events chunk: UnsafeBufferPointer<UInt8>, _ body: (LineEvent) throws -> Void) rethrows {
        var start = 0
        while start < chunk.count {
            let rest = UnsafeBufferPointer(rebasing: chunk[start...])
            guard let found = memchr(rest.baseAddress!, 0x0A, rest.count) else {
                try hold(rest, body)
                return
            }
            let nl = start + (UnsafeRawPointer(found) - UnsafeRawPointer(rest.baseAddress!))
            let piece = UnsafeBufferPointer(rebasing: chunk[start..<nl])
            if skippingLongLine {
                try endOverlong(piece, body)
            } else if pending.isEmpty {
                try emitLine(piece, body)
            } else {
                try hold(piece, body)
                if skippingLongLine { try endOverlong(UnsafeBufferPointer(start: nil, count: 0), body) } else {
                    let line = pending
                    pending.removeAll(keepingCapacity: true)
                    try line.withUnsafeBufferPointer { try emitLine($0, body) }
                }
            }
            start = nl + 1
        }
    }

    /// Ends the input, reporting a last line that has no newline.
    public mutating func finish(events body: (LineEvent) throws -> Void) rethrows {
        if skippingLongLine { return try endOverlong(UnsafeBufferPointer(start: nil, count: 0), body) }
        guard !pending.isEmpty else { return }
        let line = pending
        pending.removeAll()
        try line.withUnsafeBufferPointer { try emitLine($0, body) }
    }

    /// Passes on the last piece of an over-long line and ends it.
    private mutating func endOverlong(_ piece: UnsafeBufferPointer<UInt8>, _ body: (LineEvent) throws -> Void) rethrows {
        skippingLongLine = false
        if !piece.isEmpty { try body(.overlongMore(piece)) }
        try body(.overlongEnd)
    }

    /// Holds part of a line until its newline arrives, refusing it once it passes the limit (and
    /// passing the rest on as it comes, never holding it).
    private mutating func hold(_ piece: UnsafeBufferPointer<UInt8>, _ body: (LineEvent) throws -> Void) rethrows {
        if skippingLongLine { return try body(.overlongMore(piece)) }
        guard pending.count + piece.count <= options.maxLineBytes else {
            skippingLongLine = true
            lineNumber += 1
            let refusal = overlongRefusal()
            let held = pending
            pending.removeAll(keepingCapacity: true)
            try held.withUnsafeBufferPointer { try body(.overlong(refusal, raw: $0)) }
            if !piece.isEmpty { try body(.overlongMore(piece)) }
            return
        }
        pending.append(contentsOf: piece)
    }

    private func overlongRefusal() -> FactError {
        FactError(line: lineNumber, kind: .malformedJSON, field: "", reason: "line longer than \(options.maxLineBytes) bytes")
    }

    /// Decodes one complete line (without its `\n`).
    private mutating func emitLine(_ raw: UnsafeBufferPointer<UInt8>, _ body: (LineEvent) throws -> Void) rethrows {
        lineNumber += 1
        var line = raw
        if line.last == 0x0D { line = UnsafeBufferPointer(rebasing: line.dropLast()) }
        if line.count > options.maxLineBytes {
            try body(.overlong(overlongRefusal(), raw: raw))
            return try body(.overlongEnd)
        }
        if let problem = shapeProblem(line) {
            return try body(.line(.refused(FactError(line: lineNumber, kind: .malformedJSON, field: "", reason: problem)), raw: line))
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
        try body(.line(result, raw: line))
    }

    /// Problems with the line as a whole: blank, or a byte-order mark.
    private func shapeProblem(_ line: UnsafeBufferPointer<UInt8>) -> String? {
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
