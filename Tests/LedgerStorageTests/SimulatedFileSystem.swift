#if canImport(Glibc)
import Glibc
#endif
import Synchronization
@testable import LedgerStorage

/// A deterministic, in-memory file system for the log that injects the faults real disks and
/// kernels produce, chosen from a seed: a write that fails (EIO), fills the disk (ENOSPC after a
/// partial write), tears (a prefix written, then EIO) or lands at the wrong offset (reported as
/// success); an `fdatasync` that fails or lies (success, nothing made durable); and a crash,
/// after which only what was durably synced survives, plus any subset of the unsynced writes,
/// each whole, torn at any byte, or lost — in any order, as page writeback allows. Names
/// (create, rename, unlink) are durable only after a directory sync. Bits can be flipped at rest.
///
/// It is a real implementation of ``FileSystem`` (the log runs on it unchanged), in the spirit of
/// TigerBeetle's simulated storage and SwiftNIO's embedded event loop.
final class SimulatedFileSystem: FileSystem {
    /// Probabilities of each fault per operation, and when the machine crashes.
    struct Faults: Sendable {
        var writeFails = 0.0
        var writeNoSpace = 0.0
        var writeTears = 0.0
        var writeMisdirected = 0.0
        var syncFails = 0.0
        var syncLies = 0.0
        /// The operation (counting writes, syncs, truncations and name changes) at which power is lost.
        var crashAtOperation = Int.max
    }

    /// What was injected, for the figures and to tell a justified refusal from a false one.
    struct Injected: Sendable {
        var writeFaults = 0
        var misdirected = 0
        var syncFailures = 0
        var syncLies = 0
        var crashes = 0
        var flips: [String: Int] = [:]
        /// Faults that may damage or lose acknowledged data (a refusal is then justified).
        var damaging: Bool { misdirected + syncLies > 0 || !flips.isEmpty }
    }

    enum Pending: Sendable {
        case write(offset: Int, bytes: [UInt8])
        case truncate(Int)
    }

    struct Inode: Sendable {
        var current: [UInt8] = []
        var durable: [UInt8] = []
        var pending: [Pending] = []
    }

    enum NameChange: Sendable {
        case link(String, Int)
        case unlink(String)
    }

    struct State: Sendable {
        var random: SplitMix
        var faults: Faults
        var injected = Injected()
        var inodes: [Int: Inode] = [:]
        var nextInode = 1
        var names: [String: Int] = [:]
        var durableNames: [String: Int] = [:]
        var pendingNames: [NameChange] = []
        var directories: Set<String> = []
        var locked: Set<String> = []
        var operations = 0
        var crashed = false
        /// Bumped by each crash: handles of the process that died stop working.
        var generation = 0
    }

    let state: Mutex<State>

    init(seed: UInt64, faults: Faults = Faults()) {
        state = Mutex(State(random: SplitMix(seed: seed), faults: faults))
    }

    /// Sets the faults of the next run (after a crash, the new process's disk behaves anew).
    func setFaults(_ faults: Faults) { state.withLock { $0.faults = faults; $0.operations = 0 } }

    var injected: Injected { state.withLock { $0.injected } }

    // MARK: - FileSystem

    func open(_ path: String, writable: Bool, create: Bool, exclusive: Bool) throws(LogError) -> any LogFile {
        try state.withLock { (s) throws(LogError) -> any LogFile in
            try s.alive(path)
            if let inode = s.names[path] {
                if exclusive { throw .io(operation: "open", path: path, errno: EEXIST) }
                return SimulatedFile(fs: self, path: path, inode: inode, generation: s.generation)
            }
            guard create else { throw .io(operation: "open", path: path, errno: ENOENT) }
            try s.operation(path)
            let inode = s.nextInode
            s.nextInode += 1
            s.inodes[inode] = Inode()
            s.names[path] = inode
            s.pendingNames.append(.link(path, inode))
            return SimulatedFile(fs: self, path: path, inode: inode, generation: s.generation)
        }
    }

    func createDirectory(_ path: String) throws(LogError) {
        state.withLock { _ = $0.directories.insert(path) }
    }

    func syncDirectory(_ path: String) throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            try s.operation(path)
            if s.roll(s.faults.syncFails) { s.injected.syncFailures += 1; throw .io(operation: "fsync directory", path: path, errno: EIO) }
            if s.roll(s.faults.syncLies) { s.injected.syncLies += 1; return }
            s.durableNames = s.names
            s.pendingNames = []
        }
    }

    func list(_ path: String) throws(LogError) -> [String] {
        try state.withLock { (s) throws(LogError) -> [String] in
            try s.alive(path)
            let prefix = path + "/"
            return s.names.keys.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted()
        }
    }

    func exists(_ path: String) -> Bool { state.withLock { $0.names[path] != nil || $0.directories.contains(path) } }

    func rename(_ from: String, to: String) throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            try s.operation(from)
            guard let inode = s.names.removeValue(forKey: from) else { throw .io(operation: "rename", path: from, errno: ENOENT) }
            s.names[to] = inode
            s.pendingNames += [.unlink(from), .link(to, inode)]
        }
    }

    func remove(_ path: String) throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            try s.operation(path)
            guard s.names.removeValue(forKey: path) != nil else { throw .io(operation: "unlink", path: path, errno: ENOENT) }
            s.pendingNames.append(.unlink(path))
        }
    }

    func lockWriter(_ directory: String) throws(LogError) -> any WriterLockHandle {
        try state.withLock { (s) throws(LogError) -> any WriterLockHandle in
            try s.alive(directory)
            guard s.locked.insert(directory).inserted else { throw .locked(directory: directory, holder: "another writer") }
            return SimulatedLock(fs: self, directory: directory, generation: s.generation)
        }
    }

    // MARK: - Crash and damage

    /// Power loss: every file keeps what was synced plus, for each unsynced write in turn, all of
    /// it, a prefix torn at any byte, or nothing; each unsynced name change survives or not.
    /// Locks and open handles die with the process.
    func crash() {
        state.withLock { s in
            s.injected.crashes += 1
            // In inode order, never Dictionary order: the draws must replay exactly from the seed.
            for id in s.inodes.keys.sorted() {
                let inode = s.inodes[id]!
                var bytes = inode.durable
                for change in inode.pending {
                    let fate = s.random.next() % 10
                    switch change {
                    case .write(let offset, let data) where fate < 5: bytes.place(data, at: offset)
                    case .write(let offset, let data) where fate < 7:
                        bytes.place(Array(data.prefix(Int(s.random.next() % UInt64(max(data.count, 1))))), at: offset)
                    case .truncate(let length) where fate < 5: bytes.setLength(length)
                    default: break
                    }
                }
                s.inodes[id] = Inode(current: bytes, durable: bytes, pending: [])
            }
            var names = s.durableNames
            for change in s.pendingNames where s.random.next() % 2 == 0 {
                switch change {
                case .link(let name, let inode): names[name] = inode
                case .unlink(let name): names.removeValue(forKey: name)
                }
            }
            s.names = names
            s.durableNames = names
            s.pendingNames = []
            s.locked = []
            s.crashed = false
            s.generation += 1
        }
    }

    /// Flips one random bit at rest in the file `path`, if it holds any byte.
    func flipBit(in path: String, kind: String) {
        state.withLock { s in
            guard let id = s.names[path], let count = s.inodes[id]?.durable.count, count > 0 else { return }
            let offset = Int(s.random.next() % UInt64(count))
            let bit = UInt8(1) << (s.random.next() % 8)
            s.inodes[id]!.durable[offset] ^= bit
            s.inodes[id]!.current[offset] ^= bit
            s.injected.flips[kind, default: 0] += 1
        }
    }

    /// The files that exist now, sorted.
    var files: [String] { state.withLock { $0.names.keys.sorted() } }

    // MARK: - File operations (called by SimulatedFile)

    func length(_ inode: Int, _ file: SimulatedFile) throws(LogError) -> Int64 {
        try state.withLock { (s) throws(LogError) -> Int64 in
            try s.alive(file.path, file)
            return Int64(s.inodes[inode]!.current.count)
        }
    }

    func read(_ inode: Int, _ file: SimulatedFile, into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int {
        try state.withLock { (s) throws(LogError) -> Int in
            try s.alive(file.path, file)
            let bytes = s.inodes[inode]!.current
            let start = min(Int(offset), bytes.count)
            let count = min(buffer.count, bytes.count - start)
            bytes.withUnsafeBytes { source in
                if count > 0 { buffer.baseAddress!.copyMemory(from: source.baseAddress! + start, byteCount: count) }
            }
            return count
        }
    }

    func write(_ inode: Int, _ file: SimulatedFile, _ data: [UInt8], at offset: Int64) throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            try s.operation(file.path, file)
            var offset = Int(offset)
            var data = data
            var error: Int32?
            if s.roll(s.faults.writeFails) {
                s.injected.writeFaults += 1
                throw .io(operation: "pwrite", path: file.path, errno: EIO)
            } else if s.roll(s.faults.writeNoSpace) {
                s.injected.writeFaults += 1
                data = Array(data.prefix(Int(s.random.next() % UInt64(data.count + 1))))
                error = ENOSPC
            } else if s.roll(s.faults.writeTears) {
                s.injected.writeFaults += 1
                data = Array(data.prefix(Int(s.random.next() % UInt64(data.count + 1))))
                error = EIO
            } else if s.roll(s.faults.writeMisdirected) {
                s.injected.misdirected += 1
                offset = max(0, offset + (s.random.next() % 2 == 0 ? 1 : -1) * 512 * Int(1 + s.random.next() % 8))
            }
            s.inodes[inode]!.current.place(data, at: offset)
            s.inodes[inode]!.pending.append(.write(offset: offset, bytes: data))
            if let error { throw .io(operation: "pwrite", path: file.path, errno: error) }
        }
    }

    func sync(_ inode: Int, _ file: SimulatedFile) throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            try s.operation(file.path, file)
            if s.roll(s.faults.syncFails) {
                // Like Linux: the dirty pages may be dropped; the page cache is not to be trusted.
                s.injected.syncFailures += 1
                throw .io(operation: "fdatasync", path: file.path, errno: EIO)
            }
            if s.roll(s.faults.syncLies) { s.injected.syncLies += 1; return }
            s.inodes[inode]!.durable = s.inodes[inode]!.current
            s.inodes[inode]!.pending = []
        }
    }

    func truncate(_ inode: Int, _ file: SimulatedFile, to length: Int64) throws(LogError) {
        try state.withLock { (s) throws(LogError) in
            try s.operation(file.path, file)
            s.inodes[inode]!.current.setLength(Int(length))
            s.inodes[inode]!.pending.append(.truncate(Int(length)))
        }
    }

    func unlock(_ directory: String, generation: Int) {
        state.withLock { s in if s.generation == generation { s.locked.remove(directory) } }
    }
}

extension SimulatedFileSystem.State {
    /// Fails every call once the machine has lost power, and calls by handles of a dead process.
    func alive(_ path: String, _ file: SimulatedFile? = nil) throws(LogError) {
        if crashed || (file.map { $0.generation != generation } ?? false) {
            throw .io(operation: "simulated power loss", path: path, errno: EIO)
        }
    }

    /// Counts a mutating operation and loses power when its turn has come.
    mutating func operation(_ path: String, _ file: SimulatedFile? = nil) throws(LogError) {
        try alive(path, file)
        operations += 1
        if operations >= faults.crashAtOperation {
            crashed = true
            throw .io(operation: "simulated power loss", path: path, errno: EIO)
        }
    }

    mutating func roll(_ probability: Double) -> Bool {
        probability > 0 && Double(random.next() % 1_000_000) < probability * 1_000_000
    }
}

/// An open file of the simulated file system.
final class SimulatedFile: LogFile {
    let fs: SimulatedFileSystem
    let path: String
    let inode: Int
    let generation: Int

    init(fs: SimulatedFileSystem, path: String, inode: Int, generation: Int) {
        self.fs = fs
        self.path = path
        self.inode = inode
        self.generation = generation
    }

    func length() throws(LogError) -> Int64 { try fs.length(inode, self) }
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int64) throws(LogError) -> Int {
        try fs.read(inode, self, into: buffer, at: offset)
    }
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int64) throws(LogError) {
        try fs.write(inode, self, Array(bytes), at: offset)
    }
    func syncData() throws(LogError) { try fs.sync(inode, self) }
    func truncate(to length: Int64) throws(LogError) { try fs.truncate(inode, self, to: length) }
}

/// The simulated writer lock.
final class SimulatedLock: WriterLockHandle {
    let fs: SimulatedFileSystem
    let directory: String
    let generation: Int

    init(fs: SimulatedFileSystem, directory: String, generation: Int) {
        self.fs = fs
        self.directory = directory
        self.generation = generation
    }

    func unlock() { fs.unlock(directory, generation: generation) }
    deinit { unlock() }
}

/// SplitMix64: a small, fast, seedable generator, so every schedule replays exactly.
struct SplitMix: Sendable {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension Array where Element == UInt8 {
    /// Writes `data` at `offset`, growing with zeros as a file does.
    mutating func place(_ data: [UInt8], at offset: Int) {
        if count < offset + data.count { append(contentsOf: [UInt8](repeating: 0, count: offset + data.count - count)) }
        replaceSubrange(offset..<offset + data.count, with: data)
    }

    /// Cuts or extends with zeros, as `ftruncate` does.
    mutating func setLength(_ length: Int) {
        if length < count { removeSubrange(length...) } else { append(contentsOf: [UInt8](repeating: 0, count: length - count)) }
    }
}
