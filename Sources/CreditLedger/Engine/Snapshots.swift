import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import LedgerStorage

/// Snapshots of every view at a log position, so that opening a ledger replays only the tail.
///
/// A snapshot names the position and the log's chain hash there (so it is only used on the history
/// it was built from) and each view's name and code version (so a view whose code changed is
/// rebuilt, never trusted). The file ends with a CRC-32C of everything before it and is written
/// atomically: a crash while writing leaves the previous snapshot. A snapshot is a cache: auditors
/// replay from the log alone, whose hash chain is what proves the history.
struct SnapshotStore: Sendable {
    static let magic = Array("CLSNAP01".utf8)
    let directory: String
    let kept: Int

    func path(_ position: Position) -> String {
        let digits = String(position.rawValue)
        return directory + "/" + String(repeating: "0", count: 20 - digits.count) + digits + ".snapshot"
    }

    /// Writes a snapshot of `views`, unless one of them keeps no snapshot state (such a ledger
    /// replays its log at every open).
    func write(_ views: ViewSet, position: Position, chainHash: ChainHash) throws {
        let states = views.views.compactMap { $0 as? any SnapshotState }
        guard states.count == views.views.count else { return }
        var encoder = CanonicalEncoder()
        encoder.write(position.rawValue)
        encoder.write(UInt32(chainHash.bytes.count))
        encoder.write(bytes: chainHash.bytes)
        encoder.write(states) { e, view in
            let type = type(of: view)
            e.write(type.name)
            e.write(type.codeVersion)
            var state = CanonicalEncoder()
            view.encodeState(into: &state)
            e.write(UInt64(state.bytes.count))
            e.write(bytes: state.bytes)
        }
        var bytes = Self.magic + encoder.bytes
        let crc = bytes.withUnsafeBytes { CRC32C.of($0) }
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try Self.writeAtomically(bytes, to: path(position))
        prune()
    }

    /// Snapshot files, newest first.
    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".snapshot") }.sorted(by: >).map { directory + "/" + $0 }
    }

    private func prune() {
        for stale in files().dropFirst(kept) { try? FileManager.default.removeItem(atPath: stale) }
    }

    /// The newest snapshot that is intact, lies on this log's history and has every view at its
    /// current code version; stale or damaged snapshots are deleted on the way.
    func loadNewest(matching types: [any Projector.Type], log: FileLog) -> (views: ViewSet, position: Position)? {
        for file in files() {
            if let loaded = try? load(file, matching: types, log: log) { return loaded }
            try? FileManager.default.removeItem(atPath: file)
        }
        return nil
    }

    func load(_ file: String, matching types: [any Projector.Type], log: FileLog) throws -> (views: ViewSet, position: Position) {
        let bytes = try Self.readWhole(file)
        guard bytes.count > Self.magic.count + 4, Array(bytes.prefix(Self.magic.count)) == Self.magic else {
            throw SnapshotError("not a snapshot")
        }
        let (crc, stored) = bytes.withUnsafeBytes { raw in
            (CRC32C.of(UnsafeRawBufferPointer(rebasing: raw[0..<raw.count - 4])), raw.loadUnaligned(fromByteOffset: raw.count - 4, as: UInt32.self))
        }
        guard crc == UInt32(littleEndian: stored) else { throw SnapshotError("checksum mismatch") }
        var decoder = CanonicalDecoder(bytes, range: Self.magic.count..<bytes.count - 4)
        let position = Position(try decoder.readUInt64())
        let hashCount = Int(try decoder.readUInt32())
        guard hashCount == 32 else { throw SnapshotError("chain hash of \(hashCount) bytes") }
        let hash = ChainHash(bytes: try decoder.readBytes(hashCount))
        guard try log.chainHash(through: position) == hash else { throw SnapshotError("snapshot is of another history") }
        let count = Int(try decoder.readUInt32())
        guard count == types.count else { throw SnapshotError("view list changed") }
        let stateTypes = types.compactMap { $0 as? any SnapshotState.Type }
        guard stateTypes.count == types.count else { throw SnapshotError("a view keeps no snapshot state") }
        var states: [Range<Int>] = []
        for type in types {
            guard try decoder.readString() == type.name, try decoder.readInt() == type.codeVersion else {
                throw SnapshotError("view \(type.name) changed")
            }
            states.append(try decoder.skip(Int(try decoder.readUInt64())))
        }
        let views = try Self.decode(bytes, states, as: stateTypes)
        return (ViewSet(restoring: views), position)
    }
}

extension SnapshotStore {
    /// Decodes the views' states, one view per core at a time.
    static func decode(_ bytes: [UInt8], _ states: [Range<Int>], as types: [any SnapshotState.Type]) throws -> [any Projector] {
        let results = Mutex([Result<any Projector, SnapshotError>?](repeating: nil, count: types.count))
        DispatchQueue.concurrentPerform(iterations: types.count) { index in
            var decoder = CanonicalDecoder(bytes, range: states[index])
            let result: Result<any Projector, SnapshotError>
            do {
                let view = try types[index].init(decodingState: &decoder)
                result = decoder.isAtEnd ? .success(view) : .failure(SnapshotError("view \(types[index].name) has trailing bytes"))
            } catch {
                result = .failure((error as? SnapshotError) ?? SnapshotError("\(error)"))
            }
            results.withLock { $0[index] = result }
        }
        return try results.withLock { $0 }.map { try $0!.get() }
    }
}

extension SnapshotStore {
    /// Writes a file atomically: a temporary file, synced, renamed over `target`, the directory synced.
    static func writeAtomically(_ bytes: [UInt8], to target: String) throws {
        let temporary = target + ".tmp"
        _ = FileManager.default.createFile(atPath: temporary, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary, target) == 0 else {
            throw SnapshotError("cannot rename \(temporary) to \(target): \(String(cString: strerror(errno)))")
        }
        let directory = (target as NSString).deletingLastPathComponent
        let directoryHandle = open(directory, O_RDONLY | O_DIRECTORY)
        if directoryHandle >= 0 {
            _ = fsync(directoryHandle)
            _ = close(directoryHandle)
        }
    }

    /// The whole file in one array, read with `read(2)` straight into it.
    static func readWhole(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SnapshotError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw SnapshotError("cannot stat \(path)") }
        let size = Int(info.st_size)
        return try [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var done = 0
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw SnapshotError("cannot read \(path)") }
                done += n
            }
            initialized = size
        }
    }
}
