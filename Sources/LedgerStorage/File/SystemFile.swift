#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with the few calls the log needs, each mapping to one POSIX call and
/// turning `errno` into a ``LogError/io(operation:path:errno:)`` naming the call and the file.
/// Closes the descriptor when the last reference goes, so readers holding a segment keep it open.
final class SystemFile: @unchecked Sendable {
    // Immutable after init; pread/pwrite on one descriptor are safe from several threads.
    let descriptor: Int32
    let path: String

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    deinit { _ = Glibc.close(descriptor) }

    /// `open(2)` with `O_CLOEXEC`; `create` adds `O_CREAT`, `exclusive` adds `O_EXCL`.
    static func open(_ path: String, writable: Bool, create: Bool = false, exclusive: Bool = false) throws(LogError)
        -> SystemFile
    {
        var flags = (writable ? O_RDWR : O_RDONLY) | O_CLOEXEC
        if create { flags |= O_CREAT }
        if exclusive { flags |= O_EXCL }
        let fd = Glibc.open(path, flags, 0o644)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        return SystemFile(descriptor: fd, path: path)
    }

    /// Opens a directory for `flock` and `fsync` (`open(2)` with `O_RDONLY | O_DIRECTORY`).
    static func openDirectory(_ path: String) throws(LogError) -> SystemFile {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open directory", path: path, errno: errno) }
        return SystemFile(descriptor: fd, path: path)
    }

    /// The file's length (`fstat(2)`).
    func length() throws(LogError) -> Int64 {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw .io(operation: "fstat", path: path, errno: errno) }
        return Int64(info.st_size)
    }

    /// Reads exactly `buffer.count` bytes at `offset` (`pread(2)`, repeated on short reads).
    /// Returns the number of bytes read, which is less only at the end of the file.
    @discardableResult
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int {
        var done = 0
        while done < buffer.count {
            let n = pread(descriptor, buffer.baseAddress! + done, buffer.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pread", path: path, errno: errno)
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Reads up to `count` bytes at `offset` into a new array (shorter at the end of the file).
    func read(count: Int, at offset: Int64) throws(LogError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(LogError) in try read(into: buffer, at: offset) }
        }.get()
        bytes.removeSubrange(got...)
        return bytes
    }

    /// Writes all of `bytes` at `offset` (`pwrite(2)`, repeated on short writes).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError) {
        var done = 0
        while done < bytes.count {
            let n = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(offset) + off_t(done))
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "pwrite", path: path, errno: errno)
            }
            done += n
        }
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(LogError) in try write(buffer, at: offset) }
        }.get()
    }

    /// `fdatasync(2)`: the data and the length are on disk when it returns.
    func syncData() throws(LogError) {
        while fdatasync(descriptor) != 0 {
            if errno == EINTR { continue }
            throw .io(operation: "fdatasync", path: path, errno: errno)
        }
    }

    /// `ftruncate(2)`.
    func truncate(to length: Int64) throws(LogError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw .io(operation: "ftruncate", path: path, errno: errno) }
    }

    /// `flock(2)` with `LOCK_EX | LOCK_NB`: false when another open file description holds it.
    func tryLockExclusive() throws(LogError) -> Bool {
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw .io(operation: "flock", path: path, errno: errno)
    }
}

/// Directory operations of the log.
enum Directory {
    /// Creates the directory (and parents) when missing.
    static func create(_ path: String) throws(LogError) {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw .io(operation: "mkdir", path: prefix, errno: errno)
            }
        }
    }

    /// `fsync(2)` on the directory, so created, renamed and removed names are durable.
    static func sync(_ path: String) throws(LogError) {
        let fd = Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open directory", path: path, errno: errno) }
        defer { _ = Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw .io(operation: "fsync directory", path: path, errno: errno) }
    }

    /// The names in the directory, sorted.
    static func list(_ path: String) throws(LogError) -> [String] {
        guard let dir = opendir(path) else { throw .io(operation: "opendir", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Whether a file exists at `path`.
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    /// Writes a whole file atomically: a temporary file, synced, renamed over `path`, then the
    /// directory synced (when `durable`).
    static func writeAtomically(_ bytes: [UInt8], to path: String, in directory: String, durable: Bool) throws(LogError) {
        let temporary = path + ".tmp"
        _ = unlink(temporary)
        let file = try SystemFile.open(temporary, writable: true, create: true, exclusive: true)
        try file.write(bytes, at: 0)
        if durable { try file.syncData() }
        guard rename(temporary, path) == 0 else { throw .io(operation: "rename", path: temporary, errno: errno) }
        if durable { try sync(directory) }
    }
}

extension SystemFile {
    /// `flock(2)` with `LOCK_UN`.
    func unlock() { _ = flock(descriptor, LOCK_UN) }
}

/// Who holds a writer lock, for error messages.
enum WriterLock {
    /// "writer pid N" from the `FLOCK` line of `/proc/locks` on the directory's inode, or a
    /// plain description when the kernel does not say.
    static func holder(of directory: String) -> String {
        var info = stat()
        guard stat(directory, &info) == 0,
              let locks = try? SystemFile.open("/proc/locks", writable: false),
              let bytes = try? locks.read(count: 1 << 20, at: 0) else { return "another writer" }
        let inode = ":" + String(info.st_ino)
        for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5].hasSuffix(inode) else { continue }
            return "writer pid \(fields[4])"
        }
        return "another writer"
    }
}
