import CreditFacts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an import reads INTERCHANGE v1 JSON Lines from: a file, standard input, or bytes in memory.
///
/// Every source is read exactly once, front to back, so a pipe, a FIFO, `/dev/stdin` or a process
/// substitution (`<(…)`) works like a regular file; an all-or-nothing import keeps what it validated
/// in a temporary file of its own instead of reading the input a second time.
public struct FactSource: Sendable, CustomStringConvertible {
    enum Origin: Sendable {
        case path(String)
        case standardInput
        case bytes([UInt8])
    }

    let origin: Origin
    /// How errors, refusals and the rejects file name the source.
    public let name: String

    /// The file at `path`; `-` means standard input. A FIFO is opened for reading (waiting for a
    /// writer, as any reader of a FIFO does).
    public static func file(_ path: String) -> FactSource {
        path == "-" ? standardInput : FactSource(origin: .path(path), name: path)
    }

    /// The process's standard input.
    public static var standardInput: FactSource { FactSource(origin: .standardInput, name: "-") }

    /// Lines held in memory, named `name` in refusals.
    public static func bytes(_ bytes: [UInt8], name: String) -> FactSource {
        FactSource(origin: .bytes(bytes), name: name)
    }

    /// The source's name.
    public var description: String { name }

    /// The file's identity (device and inode), when the source is a file that exists: a rejects
    /// file must not be one of the inputs.
    var identity: FileIdentity? {
        switch origin {
        case .path(let path): FileIdentity(path: path)
        case .standardInput: FileIdentity(descriptor: 0)
        case .bytes: nil
        }
    }

    /// Opens the source for one front-to-back read.
    /// - Throws: ``ImportError/input(_:)`` naming the source: missing, a directory, not readable.
    func open() throws(ImportError) -> SourceReader {
        switch origin {
        case .bytes(let bytes): return SourceReader(name: name, descriptor: -1, ownsDescriptor: false, size: bytes.count, bytes: bytes)
        case .standardInput: return try SourceReader(name: name, descriptor: 0, ownsDescriptor: false)
        case .path(let path):
            var info = stat()
            guard stat(path, &info) == 0 else { throw .input("\(name): \(String(cString: strerror(errno)))") }
            guard info.st_mode & S_IFMT != S_IFDIR else { throw .input("\(name) is a directory") }
            let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .input("\(name): \(String(cString: strerror(errno)))") }
            return try SourceReader(name: name, descriptor: fd, ownsDescriptor: true)
        }
    }
}

/// A file's device and inode, which say whether two paths name the same file.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    init?(descriptor: Int32) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return nil }
        self.init(info)
    }

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }
}

/// One open source, read in chunks.
final class SourceReader {
    let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    /// The size in bytes when the source is a regular file (for progress), else nil.
    let size: Int?
    private var memory: [UInt8]?
    private(set) var bytesRead = 0

    init(name: String, descriptor: Int32, ownsDescriptor: Bool, size: Int? = nil, bytes: [UInt8]? = nil) {
        self.name = name
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.size = size
        self.memory = bytes
    }

    convenience init(name: String, descriptor: Int32, ownsDescriptor: Bool) throws(ImportError) {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let message = "\(name): \(String(cString: strerror(errno)))"
            if ownsDescriptor { close(descriptor) }
            throw .input(message)
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            if ownsDescriptor { close(descriptor) }
            throw .input("\(name) is a directory")
        }
        let regular = info.st_mode & S_IFMT == S_IFREG
        self.init(name: name, descriptor: descriptor, ownsDescriptor: ownsDescriptor, size: regular ? Int(info.st_size) : nil)
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// Calls `body` with each chunk of the source, in order, until the end.
    func forEachChunk(_ chunkBytes: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        if let memory {
            self.memory = nil
            bytesRead = memory.count
            return try memory.withUnsafeBufferPointer(body)
        }
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw ImportError.input("\(name): \(String(cString: strerror(errno)))")
            }
            if n == 0 { return }
            bytesRead += n
            try chunk.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[0..<n])) }
        }
    }
}
