import Dispatch
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif
import Crypto
import LedgerStorage

/// Snapshots of every view at a log position, so that opening a ledger replays only the tail.
///
/// Format (`CLSNAP03`): the magic, then the position and the log's chain hash there (so it is only
/// used on the history it was built from), then each view's name, code version and state (so a view
/// whose code changed is rebuilt, never trusted), then the SHA-256 of everything before it — which
/// covers the position and chain hash, binding the content to the head it claims. A view's state
/// is stored as its raw length, its chunk count and stored length, then LZ4 chunks
/// (``LZ4Chunks``): the canonical encoding compresses to a fraction, so a snapshot stays smaller
/// than the log it summarises. Written atomically and streamed: one view's state is held encoded
/// at a time, never the whole file, so writing a snapshot costs little memory beside the views.
/// A crash while writing leaves the previous snapshot. A snapshot is a cache: auditors replay
/// from the log alone, whose hash chain is what proves the history.
///
/// Opening never deletes a snapshot: one that is damaged is moved aside (`.damaged`) and named in
/// the ledger's warnings; one that claims a position or history the log does not have is kept as
/// evidence and not used. Only writing a newer snapshot prunes older ones.
struct SnapshotStore: Sendable {
    static let magic = Array("CLSNAP03".utf8)
    /// The magics of the formats before: `CLSNAP01` ended with a CRC-32C, `CLSNAP02` stored the
    /// states uncompressed. Discarded and rebuilt, never misread.
    static let previousMagics = [Array("CLSNAP01".utf8), Array("CLSNAP02".utf8)]
    static let hashBytes = 32
    /// liblz4's high-compression level for the chunks of a view's state that compress at all:
    /// measured on the `district` preset, level 3 stores the views in 12 % fewer bytes than the
    /// fast compressor (higher levels gain under 2 % more at twice the time), which takes the
    /// ledger's directory under 100 bytes per fact; decoding is as fast (docs/performance.md).
    static let highCompressionLevel: Int32 = 3
    let directory: String
    let kept: Int

    func path(_ position: Position) -> String {
        let digits = String(position.rawValue)
        return directory + "/" + String(repeating: "0", count: 20 - digits.count) + digits + ".snapshot"
    }

    /// Writes a snapshot of `views`, unless one of them keeps no snapshot state (such a ledger
    /// replays its log at every open). `onEveryCore`: compress on every core at once (a ledger
    /// closing, or asked for a snapshot, waits for it); otherwise on the calling thread alone — a
    /// periodic snapshot in the background would otherwise take every thread of Dispatch's pool for
    /// seconds, and a server's queries, which run there, would wait behind it.
    func write(_ views: ViewSet, position: Position, chainHash: ChainHash, onEveryCore: Bool = true) throws {
        let states = views.views.compactMap { $0 as? any SnapshotState }
        guard states.count == views.views.count else { return }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let target = path(position)
        let file = try SnapshotFileWriter(temporaryFor: target)
        do {
            var header = CanonicalEncoder()
            header.write(position.rawValue)
            header.write(UInt32(chainHash.bytes.count))
            header.write(bytes: chainHash.bytes)
            header.write(UInt32(states.count))
            try file.write(Self.magic)
            try file.write(header.bytes)
            for view in states { try Self.writeState(of: view, to: file, onEveryCore: onEveryCore) }
            try file.finish(to: target)
        } catch {
            file.abandon()
            throw error
        }
        prune(after: position)
    }

    /// One view's section: name, code version, raw length, chunk count, stored length, chunks.
    private static func writeState(of view: any SnapshotState, to file: SnapshotFileWriter, onEveryCore: Bool) throws {
        let type = type(of: view)
        // The state is compressed chunk by chunk as it is encoded: only its compressed form is held
        // whole (its section begins with the lengths), never the raw encoding, which for the
        // ledger's index of a city runs to gigabytes. The chunks are the same as compressing the
        // whole encoding at once, so the bytes written do not change.
        var stored: [UInt8] = []
        var chunks = 0, rawLength = 0
        // Up to four chunks gathered and compressed on every core at once (`onEveryCore`): the high-compression
        // pass costs about as much CPU as encoding the state, and a writer waiting at close has a
        // core to spare. A small state (the common case of a small ledger) never gathers more
        // than its one chunk, so it costs no more memory than one chunk: a process running under
        // a tight address-space limit (the tests' `ulimit -v`) keeps room for its threads.
        var gathered: [UInt8] = []
        func compressGathered() {
            chunks += gathered.withUnsafeBytes {
                LZ4Chunks.compress($0, appendingTo: &stored, highCompressionLevel: Self.highCompressionLevel, concurrently: onEveryCore)
            }
            rawLength += gathered.count
            gathered.removeAll(keepingCapacity: true)
        }
        let sink = ChunkSink(chunkBytes: LZ4Chunks.chunkBytesMax) { raw in
            gathered.append(contentsOf: raw)
            if gathered.count >= 4 * LZ4Chunks.chunkBytesMax { compressGathered() }
        }
        var state = CanonicalEncoder(streamingTo: sink)
        view.encodeState(into: &state)
        state.finishStreaming()
        compressGathered()
        var section = CanonicalEncoder()
        section.write(type.name)
        section.write(type.codeVersion)
        section.write(UInt64(rawLength))
        section.write(UInt32(chunks))
        section.write(UInt64(stored.count))
        try file.write(section.bytes)
        try file.write(stored)
    }

    /// Snapshot files, newest first.
    func files() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.hasSuffix(".snapshot") }.sorted(by: >).map { directory + "/" + $0 }
    }

    /// The position a snapshot file's name gives.
    static func position(ofFile file: String) -> Position? {
        let name = (file as NSString).lastPathComponent
        guard let raw = UInt64(String(name.dropLast(".snapshot".count))) else { return nil }
        return Position(raw)
    }

    /// Deletes snapshots older than the `kept` newest up to `position`; never one beyond it (a
    /// snapshot the log does not reach is evidence that the log lost something).
    private func prune(after position: Position) {
        let older = files().filter { Self.position(ofFile: $0).map { $0 <= position } ?? false }
        for stale in older.dropFirst(kept) { try? FileManager.default.removeItem(atPath: stale) }
    }

    /// Removes temporary files a writer left when it died while writing (`*.tmp`).
    func removeOrphans() {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(".tmp") {
            try? FileManager.default.removeItem(atPath: directory + "/" + name)
        }
    }

    /// The newest snapshot that is intact, lies on this log's history and has every view at its
    /// current code version, and a warning for each snapshot that could not be used. A damaged one
    /// is moved aside when `writable`; none is deleted.
    ///
    /// A reader beside a writer may list a snapshot the writer then prunes before the reader reads
    /// it; the writer prunes only after writing a newer one, so a listed file that has vanished
    /// means the listing is out of date: the files are listed again (at most `relists` times)
    /// rather than warned about and passed over for an older snapshot or a replay. `listing` is
    /// how the files are listed (the tests hand in one that goes stale).
    func loadNewest(matching types: [any Projector.Type], log: any LedgerLog, writable: Bool,
                    listing: (() -> [String])? = nil, relists: Int = 3)
        -> (loaded: (views: ViewSet, position: Position)?, warnings: [String])
    {
        var warnings: [String] = []
        passes: for pass in 0...relists {
            for file in (listing ?? files)() {
                switch loadOne(file, matching: types, log: log, writable: writable, warnings: &warnings) {
                case .loaded(let loaded): return (loaded, Self.once(warnings))
                case .unusable: continue
                case .vanished:
                    if pass < relists { continue passes }
                    warnings.append("snapshot \(file) was removed while it was being opened; not used")
                }
            }
            break
        }
        return (nil, Self.once(warnings))
    }

    /// `warnings` without repeats (a pass after a relisting meets the same files again), in order.
    private static func once(_ warnings: [String]) -> [String] {
        var seen = Set<String>()
        return warnings.filter { seen.insert($0).inserted }
    }

    /// What reading one listed snapshot gave.
    private enum Outcome {
        case loaded((views: ViewSet, position: Position))
        /// Not usable here (with a warning when it says something).
        case unusable
        /// The file no longer exists.
        case vanished
    }

    private func loadOne(_ file: String, matching types: [any Projector.Type], log: any LedgerLog, writable: Bool,
                         warnings: inout [String]) -> Outcome {
        do {
            return .loaded(try load(file, matching: types, log: log))
        } catch let problem as SnapshotProblem {
            switch problem {
            case .outdated: break
            case .stale:
                // Its history is the log's (checked before the views): safe to drop.
                if writable { try? FileManager.default.removeItem(atPath: file) }
            case .notOnThisLog(let reason):
                warnings.append("snapshot \(file) \(reason); kept as it is and not used")
            case .damaged(let reason):
                if writable, rename(file, file + ".damaged") == 0 {
                    warnings.append("snapshot \(file) is damaged (\(reason)); moved to \(file).damaged, the views are rebuilt from the log")
                } else {
                    warnings.append("snapshot \(file) is damaged (\(reason)); not used, the views are rebuilt from the log")
                }
            }
            return .unusable
        } catch {
            if !FileManager.default.fileExists(atPath: file) { return .vanished }
            warnings.append("snapshot \(file) cannot be read (\(error)); not used")
            return .unusable
        }
    }

    func load(_ file: String, matching types: [any Projector.Type], log: any LedgerLog) throws -> (views: ViewSet, position: Position) {
        let bytes = try Self.readWhole(file)
        var decoder = try Self.checkedBody(bytes)
        let position = Position(try decoder.readUInt64())
        try Self.checkHistory(&decoder, position: position, log: log)
        let count = Int(try decoder.readUInt32())
        guard count == types.count else { throw SnapshotProblem.stale }
        let stateTypes = types.compactMap { $0 as? any SnapshotState.Type }
        guard stateTypes.count == types.count else { throw SnapshotError("a view keeps no snapshot state") }
        var states: [StoredState] = []
        for type in types {
            guard try decoder.readString() == type.name, try decoder.readInt() == type.codeVersion else {
                throw SnapshotProblem.stale
            }
            // A length past Int.max is refused here; `skip` refuses any past the end of the file.
            guard let rawLength = Int(exactly: try decoder.readUInt64()) else { throw SnapshotError("view \(type.name) length out of range") }
            let chunks = Int(try decoder.readUInt32())
            guard let storedLength = Int(exactly: try decoder.readUInt64()) else {
                throw SnapshotError("view \(type.name) stored length out of range")
            }
            states.append(StoredState(rawLength: rawLength, chunks: chunks, stored: try decoder.skip(storedLength)))
        }
        guard decoder.isAtEnd else { throw SnapshotProblem.damaged("bytes after the last view") }
        do {
            return (ViewSet(restoring: try Self.decode(bytes, states, as: stateTypes)), position)
        } catch {
            throw SnapshotProblem.damaged("a view's state does not decode: \(error)")
        }
    }

    /// A decoder over the body of `bytes` once its magic and SHA-256 are right.
    static func checkedBody(_ bytes: [UInt8]) throws(SnapshotProblem) -> CanonicalDecoder {
        if previousMagics.contains(where: { bytes.starts(with: $0) }) { throw .outdated }
        guard bytes.count > magic.count + hashBytes, bytes.starts(with: magic) else { throw .damaged("not a snapshot") }
        let end = bytes.count - hashBytes
        let digest = Array(SHA256.hash(data: bytes[0..<end]))
        guard digest == Array(bytes[end...]) else { throw .damaged("its SHA-256 does not match its content") }
        return CanonicalDecoder(bytes, range: magic.count..<end)
    }

    /// Reads the chain hash and checks the log has it at `position`.
    static func checkHistory(_ decoder: inout CanonicalDecoder, position: Position, log: any LedgerLog) throws {
        let hashCount = Int(try decoder.readUInt32())
        guard hashCount == 32 else { throw SnapshotProblem.damaged("chain hash of \(hashCount) bytes") }
        let hash = ChainHash(bytes: try decoder.readBytes(hashCount))
        let head = try log.head
        guard position <= head.nextPosition else {
            throw SnapshotProblem.notOnThisLog("is of position \(position), beyond the log's \(head.recordCount) records")
        }
        guard try log.chainHash(through: position) == hash else {
            throw SnapshotProblem.notOnThisLog("claims chain hash \(hash) at position \(position), which the log does not have")
        }
    }

    /// What is wrong with a snapshot file, for `verify`: nil when it is intact and on this log.
    static func problem(in file: String, log: any LedgerLog) -> String? {
        do {
            let bytes = try readWhole(file)
            var decoder = try checkedBody(bytes)
            try checkHistory(&decoder, position: Position(try decoder.readUInt64()), log: log)
            return nil
        } catch SnapshotProblem.outdated {
            return nil
        } catch let problem as SnapshotProblem {
            return problem.description
        } catch {
            return "\(error)"
        }
    }
}

/// Why a snapshot file cannot be used.
enum SnapshotProblem: Error, CustomStringConvertible {
    /// Written in an older format: of no use (left for pruning).
    case outdated
    /// On this log's history, but a view's code changed since: of no use, deleted.
    case stale
    /// Intact, but of a position or history the log does not have.
    case notOnThisLog(String)
    /// Its content does not match its SHA-256, or does not decode.
    case damaged(String)

    var description: String {
        switch self {
        case .outdated: "written in an older format"
        case .stale: "written by an older version of a view"
        case .notOnThisLog(let reason): reason
        case .damaged(let reason): "damaged: " + reason
        }
    }
}

extension SnapshotStore {
    /// Where a view's state lies in a snapshot file: its chunks, and the raw length they decompress to.
    struct StoredState {
        var rawLength: Int
        var chunks: Int
        var stored: Range<Int>
    }

    /// Decompresses and decodes the views' states, one view per core at a time.
    static func decode(_ bytes: [UInt8], _ states: [StoredState], as types: [any SnapshotState.Type]) throws -> [any Projector] {
        let results = Mutex([Result<any Projector, SnapshotError>?](repeating: nil, count: types.count))
        DispatchQueue.concurrentPerform(iterations: types.count) { index in
            let result: Result<any Projector, SnapshotError>
            do {
                let state = states[index]
                let raw = try bytes.withUnsafeBytes { all in
                    Result { () throws(LZ4Chunks.Fault) in
                        try LZ4Chunks.decompress(UnsafeRawBufferPointer(rebasing: all[state.stored]), chunks: state.chunks,
                                                 rawLength: state.rawLength)
                    }
                }.get()
                guard raw.consumed == state.stored.count else { throw SnapshotError("view \(types[index].name) has bytes after its chunks") }
                var decoder = CanonicalDecoder(raw.bytes)
                let view = try types[index].init(decodingState: &decoder)
                result = decoder.isAtEnd ? .success(view) : .failure(SnapshotError("view \(types[index].name) has trailing bytes"))
            } catch let fault as LZ4Chunks.Fault {
                result = .failure(SnapshotError("view \(types[index].name): \(fault.reason)"))
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
        try moveIntoPlace(temporary, target)
    }

    /// Renames a synced temporary file over `target` and syncs the directory, so the new name is durable.
    static func moveIntoPlace(_ temporary: String, _ target: String) throws {
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


extension Ledger {
    /// Checks the ledger's derived files without taking the writer lock and without writing: each
    /// snapshot's SHA-256 and the history it claims against the log, and the intake counters'
    /// checksum. Returns one description per problem, each naming its file; a writer's next open
    /// moves a damaged file aside and rebuilds (snapshots) or restarts (intake counters) it.
    public static func checkDerivedFiles(directory: String, configuration: LedgerConfiguration = LedgerConfiguration())
        throws(LedgerError) -> [String]
    {
        let log: FileLog
        do { log = try FileLog.open(directory: directory + "/log", configuration: configuration.log, readOnly: true) } catch {
            throw .log(error)
        }
        let store = SnapshotStore(directory: directory + "/snapshots", kept: configuration.snapshotsKept)
        var problems = store.files().compactMap { file in SnapshotStore.problem(in: file, log: log).map { "snapshot \(file): \($0)" } }
        let intake = IntakeFile(directory: directory)
        if let problem = intake.problem() { problems.append("intake counters \(intake.path): \(problem)") }
        // A read-only log has nothing to flush, but a failure to release it is still reported.
        do { try log.close() } catch { throw .log(error) }
        return problems
    }
}

/// Writes a snapshot file piece by piece: into a temporary file beside the target, hashing every
/// byte with SHA-256 as it goes; ``finish(to:)`` appends the hash, syncs, renames the file over the
/// target and syncs the directory. A writer that fails removes its temporary file (``abandon()``).
final class SnapshotFileWriter {
    /// Bytes gathered before one `write(2)`.
    static let bufferBytes = 4 << 20
    let temporary: String
    private var fd: Int32
    private var buffer: [UInt8] = []
    private var hasher = SHA256()

    init(temporaryFor target: String) throws {
        temporary = target + ".tmp"
        fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SnapshotError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.bufferBytes)
    }

    /// Adds `bytes` to the file and to its hash.
    func write(_ bytes: [UInt8]) throws {
        hasher.update(data: bytes)
        if buffer.count + bytes.count > Self.bufferBytes { try flush() }
        if bytes.count >= Self.bufferBytes { try writeOut(bytes) } else { buffer.append(contentsOf: bytes) }
    }

    /// Appends the SHA-256 of everything written, makes the file durable and puts it in place.
    func finish(to target: String) throws {
        buffer.append(contentsOf: hasher.finalize())
        try flush()
        guard fsync(fd) == 0 else { throw SnapshotError("cannot sync \(temporary): \(String(cString: strerror(errno)))") }
        let closed = close(fd)
        fd = -1
        guard closed == 0 else { throw SnapshotError("cannot close \(temporary): \(String(cString: strerror(errno)))") }
        try SnapshotStore.moveIntoPlace(temporary, target)
    }

    /// Gives up: closes and removes the temporary file (the previous snapshot stays in place).
    /// The close's result is not checked: the file is being thrown away.
    func abandon() {
        if fd >= 0 { _ = close(fd) }
        fd = -1
        unlink(temporary)
    }

    private func flush() throws {
        try writeOut(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeOut(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw SnapshotError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
                done += n
            }
        }
    }

    deinit { if fd >= 0 { abandon() } }
}
