import Foundation
@testable import CreditLedger
@testable import LedgerStorage

extension FuzzTargets {
    /// The views a ledger keeps by default, in snapshot order (the ledger's own index first).
    static let viewTypes: [any Projector.Type] = [LedgerIndex.self] + LedgerConfiguration().views
    /// Those of them that keep a snapshot state (all of them, today).
    static let stateTypes: [any SnapshotState.Type] = viewTypes.compactMap { $0 as? any SnapshotState.Type }

    /// An empty log, opened read-only once per process: the history every fuzzed snapshot claims.
    /// Its directory goes at once: the only question asked of it, the chain hash at position 0, is
    /// answered without a file.
    static let emptyLog: FileLog = {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        do { return try FileLog.open(directory: directory.path, readOnly: true) } catch { fatalError("cannot open an empty log: \(error)") }
    }()

    /// A whole snapshot file loaded by the ledger's snapshot store against an empty log. Mode bit
    /// 0x80 makes the magic, the claimed position and chain hash (the empty log's) and the CRC-32C
    /// right first, so the fuzzer reaches the view decoders. Property: a snapshot that loads writes
    /// back to a file that loads and writes back to the same bytes.
    static let snapshot = FuzzTarget(name: "snapshot", summary: "SnapshotStore.load: envelope, checksum, history, every view's state") {
        (data) throws(FuzzFinding) in
        let input = ModedInput(data)
        var bytes = [UInt8](input.payload)
        if input.mode & 0x80 != 0 { SnapshotFixups.stamp(&bytes) }
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = SnapshotStore(directory: directory.path, kept: 8)
        let file = directory.path + "/fuzzed.snapshot"
        directory.write(bytes, to: file)
        guard let loaded = try? store.load(file, matching: viewTypes, log: emptyLog) else { return }
        let written = Self.rewrite(loaded, store: store)
        let back: (views: ViewSet, position: Position)
        do { back = try store.load(store.path(loaded.position), matching: viewTypes, log: emptyLog) } catch {
            throw FuzzFinding("snapshot", "a snapshot written from a loaded one is refused: \(error)")
        }
        guard Self.rewrite(back, store: store) == written else {
            throw FuzzFinding("snapshot", "writing a loaded snapshot is not a fixed point")
        }
    }

    /// Writes `loaded` as the store's snapshot at its position and returns the file's bytes.
    private static func rewrite(_ loaded: (views: ViewSet, position: Position), store: SnapshotStore) -> [UInt8] {
        do {
            try store.write(loaded.views, position: loaded.position, chainHash: .genesis)
            return try SnapshotStore.readWhole(store.path(loaded.position))
        } catch {
            fatalError("cannot write a snapshot in a temporary directory: \(error)")
        }
    }

    /// One view's state decoded from arbitrary bytes (the mode byte picks the view). Property: a
    /// state that decodes to the end re-encodes to a state whose encoding is a fixed point.
    static let viewState = FuzzTarget(name: "view-state", summary: "Projector.init(decodingState:) of every default view") {
        (data) throws(FuzzFinding) in
        let input = ModedInput(data)
        let type = stateTypes[Int(input.mode) % stateTypes.count]
        var decoder = CanonicalDecoder([UInt8](input.payload))
        guard let view = try? type.init(decodingState: &decoder), decoder.isAtEnd else { return }
        let encoded = encodeState(view)
        var again = CanonicalDecoder(encoded)
        let back: any SnapshotState
        do { back = try type.init(decodingState: &again) } catch {
            throw FuzzFinding("view-state", "\(type.name): re-encoded state is refused: \(error)")
        }
        guard again.isAtEnd, encodeState(back) == encoded else {
            throw FuzzFinding("view-state", "\(type.name): state encoding is not a fixed point")
        }
    }

    /// The intake counters file (duplicates and refusals by source). Property: counts that decode
    /// re-encode to counts that decode to the same value.
    static let intakeCounts = FuzzTarget(name: "intake-counts", summary: "IntakeCounters.Counts(decoding:)") {
        (data) throws(FuzzFinding) in
        guard let counts = try? IntakeCounters.Counts(decoding: [UInt8](data)) else { return }
        guard (try? IntakeCounters.Counts(decoding: counts.encoded())) == counts else {
            throw FuzzFinding("intake-counts", "counts do not survive re-encoding")
        }
    }

    static func encodeState(_ view: any SnapshotState) -> [UInt8] {
        var encoder = CanonicalEncoder()
        view.encodeState(into: &encoder)
        return encoder.bytes
    }
}

/// Rewrites a fuzzed snapshot's envelope the way the writer would for the empty log.
enum SnapshotFixups {
    /// Magic, position 0, a 32-byte chain hash equal to the genesis hash, and the CRC-32C.
    static func stamp(_ bytes: inout [UInt8]) {
        let magic = SnapshotStore.magic
        let prefix = magic.count + 8 + 4 + 32
        guard bytes.count >= prefix + 4 else { return }
        bytes.replaceSubrange(0..<magic.count, with: magic)
        bytes.replaceSubrange(magic.count..<magic.count + 8, with: [UInt8](repeating: 0, count: 8))
        bytes.replaceSubrange(magic.count + 8..<magic.count + 12, with: [32, 0, 0, 0])
        bytes.replaceSubrange(magic.count + 12..<prefix, with: ChainHash.genesis.bytes)
        let crc = bytes.withUnsafeBytes { CRC32C.of(UnsafeRawBufferPointer(rebasing: $0[0..<bytes.count - 4])) }
        withUnsafeBytes(of: crc.littleEndian) { bytes.replaceSubrange(bytes.count - 4..<bytes.count, with: $0) }
    }
}
