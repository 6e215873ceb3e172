import CreditFacts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an import that skips refused lines writes each of them, as the stream goes, so nothing is
/// lost: one JSON object per line, `{"file","line","field","reason","input"}`.
///
/// `input` is the refused line verbatim without its line ending. A line that is not valid UTF-8, or
/// is longer than the reader's limit, cannot be a JSON string or must not be held in memory: it is
/// written as `"inputBase64"` instead, the exact bytes in base64 (streamed, for an over-long line).
/// The file is synced when closed.
public final class RejectsFile {
    /// The file's path.
    public let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    private var base64 = Base64Stream()
    /// Refused lines written so far.
    public private(set) var count = 0

    /// Creates (or empties) the rejects file at `path`, after making sure it is none of `inputs`:
    /// an input is never truncated, and nothing is read before this check.
    /// - Throws: ``ImportError/rejectsIsInput(_:)`` or ``ImportError/rejects(_:)``.
    public init(path: String, inputs: [FactSource]) throws(ImportError) {
        if let target = FileIdentity(path: path), let input = inputs.first(where: { $0.identity == target }) {
            throw .rejectsIsInput("--rejects \(path) is the input \(input.name); refused lines would overwrite it")
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .rejects("\(path): \(String(cString: strerror(errno)))") }
        // Checked again on the open file: the path may have changed between stat and open.
        if let opened = FileIdentity(descriptor: fd), let input = inputs.first(where: { $0.identity == opened }) {
            Glibc.close(fd)
            throw .rejectsIsInput("--rejects \(path) is the input \(input.name); refused lines would overwrite it")
        }
        var info = stat()
        let regular = fstat(fd, &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        guard !regular || ftruncate(fd, 0) == 0 else {
            let message = "\(path): \(String(cString: strerror(errno)))"
            Glibc.close(fd)
            throw .rejects(message)
        }
        self.path = path
        self.descriptor = fd
    }

    deinit { if descriptor >= 0 { Glibc.close(descriptor) } }

    /// Writes one refused line with its reason.
    func write(file: String, line: Int, field: String, reason: String, raw: UnsafeBufferPointer<UInt8>) throws(ImportError) {
        head(file: file, line: line, field: field, reason: reason)
        if let text = String(validating: raw, as: UTF8.self) {
            buffer.append(contentsOf: #","input":"#.utf8)
            RejectsFile.appendJSONString(text, to: &buffer)
            buffer.append(contentsOf: "}\n".utf8)
        } else {
            buffer.append(contentsOf: #","inputBase64":""#.utf8)
            base64.append(raw, to: &buffer)
            base64.finish(to: &buffer)
            buffer.append(contentsOf: "\"}\n".utf8)
        }
        count += 1
        try flushIfFull()
    }

    /// Starts the entry of an over-long line: its bytes follow with ``continueOverlong(_:)``.
    func beginOverlong(file: String, line: Int, reason: String, raw: UnsafeBufferPointer<UInt8>) throws(ImportError) {
        head(file: file, line: line, field: "", reason: reason)
        buffer.append(contentsOf: #","inputBase64":""#.utf8)
        base64.append(raw, to: &buffer)
        count += 1
        try flushIfFull()
    }

    /// More bytes of the over-long line being written.
    func continueOverlong(_ raw: UnsafeBufferPointer<UInt8>) throws(ImportError) {
        base64.append(raw, to: &buffer)
        try flushIfFull()
    }

    /// Ends the entry of the over-long line.
    func endOverlong() throws(ImportError) {
        base64.finish(to: &buffer)
        buffer.append(contentsOf: "\"}\n".utf8)
        try flushIfFull()
    }

    /// Writes out what is buffered, syncs the file and closes it; later calls do nothing.
    public func close() throws(ImportError) {
        guard descriptor >= 0 else { return }
        try flush()
        let synced = fsync(descriptor) == 0 ? 0 : errno
        let closed = Glibc.close(descriptor) == 0 ? 0 : errno
        descriptor = -1
        if synced != 0 || closed != 0 { throw .rejects("\(path): \(String(cString: strerror(synced != 0 ? synced : closed)))") }
    }

    private func head(file: String, line: Int, field: String, reason: String) {
        buffer.append(contentsOf: #"{"file":"#.utf8)
        Self.appendJSONString(file, to: &buffer)
        buffer.append(contentsOf: #","line":"#.utf8)
        buffer.append(contentsOf: String(line).utf8)
        buffer.append(contentsOf: #","field":"#.utf8)
        Self.appendJSONString(field, to: &buffer)
        buffer.append(contentsOf: #","reason":"#.utf8)
        Self.appendJSONString(reason, to: &buffer)
    }

    private func flushIfFull() throws(ImportError) {
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(ImportError) {
        var offset = 0
        while offset < buffer.count {
            let n = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .rejects("\(path): \(String(cString: strerror(errno)))")
            }
            offset += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Appends `text` as a JSON string (quotes, backslashes and control characters escaped).
    static func appendJSONString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case 0x0A: out.append(contentsOf: #"\n"#.utf8)
            case 0x0D: out.append(contentsOf: #"\r"#.utf8)
            case 0x09: out.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}

/// Base64 (RFC 4648, padded) written piece by piece: up to two bytes wait for the next piece.
struct Base64Stream {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private var carry: [UInt8] = []
    private var scratch: [UInt8] = []

    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var index = 0
        while carry.count > 0 && carry.count < 3 && index < bytes.count {
            carry.append(bytes[index])
            index += 1
        }
        if carry.count == 3 {
            Self.encode(carry[0], carry[1], carry[2], count: 3, to: &out)
            carry.removeAll()
        }
        let triples = (bytes.count - index) / 3
        if triples > 0 {
            // Through a scratch buffer copied in one go: over-long lines run to hundreds of megabytes.
            if scratch.count < triples * 4 { scratch = [UInt8](repeating: 0, count: triples * 4) }
            let source = UnsafeRawPointer(bytes.baseAddress! + index).assumingMemoryBound(to: UInt8.self)
            scratch.withUnsafeMutableBufferPointer { target in
                Self.alphabet.withUnsafeBufferPointer { table in
                    let out = target.baseAddress!, table = table.baseAddress!
                    for t in 0..<triples {
                        let value = UInt32(source[t * 3]) << 16 | UInt32(source[t * 3 + 1]) << 8 | UInt32(source[t * 3 + 2])
                        out[t * 4] = table[Int(value >> 18)]
                        out[t * 4 + 1] = table[Int(value >> 12 & 63)]
                        out[t * 4 + 2] = table[Int(value >> 6 & 63)]
                        out[t * 4 + 3] = table[Int(value & 63)]
                    }
                }
            }
            out.append(contentsOf: scratch[0..<(triples * 4)])
            index += triples * 3
        }
        carry.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index...]))
    }

    mutating func finish(to out: inout [UInt8]) {
        if !carry.isEmpty {
            Self.encode(carry[0], carry.count > 1 ? carry[1] : 0, 0, count: carry.count, to: &out)
        }
        carry.removeAll()
    }

    private static func encode(_ a: UInt8, _ b: UInt8, _ c: UInt8, count: Int, to out: inout [UInt8]) {
        let value = UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c)
        out.append(alphabet[Int(value >> 18 & 63)])
        out.append(alphabet[Int(value >> 12 & 63)])
        out.append(count > 1 ? alphabet[Int(value >> 6 & 63)] : UInt8(ascii: "="))
        out.append(count > 2 ? alphabet[Int(value & 63)] : UInt8(ascii: "="))
    }
}
