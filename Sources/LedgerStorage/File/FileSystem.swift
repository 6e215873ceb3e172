#if canImport(Glibc)
import Glibc
#endif

/// An open file as the log uses it: positional reads and writes, `fdatasync`, truncation, length.
/// ``SystemFile`` is the real one; the tests run the log on a simulated one that injects faults.
protocol LogFile: AnyObject, Sendable {
    /// The path the file was opened by.
    var path: String { get }
    /// The file's length (`fstat(2)`).
    func length() throws(LogError) -> Int64
    /// Reads up to `buffer.count` bytes at `offset`; fewer only at the end of the file (`pread(2)`).
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int
    /// Writes all of `bytes` at `offset` (`pwrite(2)`).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError)
    /// Makes the data and the length durable (`fdatasync(2)`).
    func syncData() throws(LogError)
    /// Sets the length (`ftruncate(2)`).
    func truncate(to length: Int64) throws(LogError)
}

extension LogFile {
    /// Reads up to `count` bytes at `offset` into a new array (shorter at the end of the file).
    func read(count: Int, at offset: Int64) throws(LogError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        let got = try bytes.withUnsafeMutableBytes { buffer in
            Result { () throws(LogError) in try read(into: buffer, at: offset) }
        }.get()
        bytes.removeSubrange(got...)
        return bytes
    }

    /// Writes all of `bytes` at `offset`.
    func write(_ bytes: [UInt8], at offset: Int64) throws(LogError) {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(LogError) in try write(buffer, at: offset) }
        }.get()
    }
}

/// The writer lock while it is held; released by ``unlock()`` or when the last reference goes.
protocol WriterLockHandle: AnyObject, Sendable {
    /// Releases the lock.
    func unlock()
}

/// The file and directory operations of the log, so the same log code runs on the real file
/// system (``PosixFileSystem``) and, in the tests, on a deterministic simulated one that can fail,
/// tear, misdirect and lose writes, lie about `fdatasync` and crash.
protocol FileSystem: Sendable {
    /// `open(2)`: `create` adds `O_CREAT`, `exclusive` adds `O_EXCL`.
    func open(_ path: String, writable: Bool, create: Bool, exclusive: Bool) throws(LogError) -> any LogFile
    /// Creates the directory (and parents) when missing.
    func createDirectory(_ path: String) throws(LogError)
    /// `fsync(2)` on a directory, so created, renamed and removed names are durable.
    func syncDirectory(_ path: String) throws(LogError)
    /// The names in a directory, sorted.
    func list(_ path: String) throws(LogError) -> [String]
    /// Whether something exists at `path`.
    func exists(_ path: String) -> Bool
    /// `rename(2)`.
    func rename(_ from: String, to: String) throws(LogError)
    /// `unlink(2)`.
    func remove(_ path: String) throws(LogError)
    /// Takes the writer lock of a log directory, or fails with ``LogError/locked(directory:holder:)``.
    func lockWriter(_ directory: String) throws(LogError) -> any WriterLockHandle
}

extension FileSystem {
    /// Opens an existing file.
    func open(_ path: String, writable: Bool) throws(LogError) -> any LogFile {
        try open(path, writable: writable, create: false, exclusive: false)
    }

    /// Writes a whole file atomically: a temporary file, synced, renamed over `path`, then the
    /// directory synced (when `durable`).
    func writeAtomically(_ bytes: [UInt8], to path: String, in directory: String, durable: Bool) throws(LogError) {
        let temporary = path + ".tmp"
        if exists(temporary) { try remove(temporary) }
        let file = try open(temporary, writable: true, create: true, exclusive: true)
        try file.write(bytes, at: 0)
        if durable { try file.syncData() }
        try rename(temporary, to: path)
        if durable { try syncDirectory(directory) }
    }
}

/// The real file system: each operation is the POSIX call it names.
struct PosixFileSystem: FileSystem {
    func open(_ path: String, writable: Bool, create: Bool, exclusive: Bool) throws(LogError) -> any LogFile {
        try SystemFile.open(path, writable: writable, create: create, exclusive: exclusive)
    }

    func createDirectory(_ path: String) throws(LogError) { try Directory.create(path) }
    func syncDirectory(_ path: String) throws(LogError) { try Directory.sync(path) }
    func list(_ path: String) throws(LogError) -> [String] { try Directory.list(path) }
    func exists(_ path: String) -> Bool { Directory.exists(path) }

    func rename(_ from: String, to: String) throws(LogError) {
        guard Glibc.rename(from, to) == 0 else { throw .io(operation: "rename", path: from, errno: errno) }
    }

    func remove(_ path: String) throws(LogError) {
        guard unlink(path) == 0 else { throw .io(operation: "unlink", path: path, errno: errno) }
    }

    /// `flock` on the log directory itself, which cannot be deleted while it holds the log, so
    /// deleting any file never lets a second writer in. No pid is written anywhere; the holder is
    /// looked up in `/proc/locks` for the error message.
    func lockWriter(_ directory: String) throws(LogError) -> any WriterLockHandle {
        let lock = try SystemFile.openDirectory(directory)
        guard try lock.tryLockExclusive() else {
            throw .locked(directory: directory, holder: WriterLock.holder(of: directory))
        }
        // A lock file left by an earlier version: a writer of that version may still hold it.
        let legacy = directory + "/" + LogFiles.lock
        if Directory.exists(legacy), let old = try? SystemFile.open(legacy, writable: false), try !old.tryLockExclusive() {
            throw .locked(directory: directory, holder: "a writer of an earlier version holding \(legacy)")
        }
        return lock
    }
}

extension SystemFile: LogFile, WriterLockHandle {}
