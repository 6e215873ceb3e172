import Foundation
@testable import CreditFacts
@testable import CreditLedger
@testable import LedgerStorage

/// The files of a real log with small limits: two sealed segments and an active one, so every
/// structure (header, blocks, seal, manifest, index, checkpoint) exists.
struct LogSeeds {
    var structures: [(String, [UInt8])] = []
    var blocks: [(String, [UInt8])] = []
    var segments: [(String, [UInt8])] = []

    static func make() throws -> LogSeeds {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = LogConfiguration()
        configuration.recordBytesMax = 512
        configuration.blockRawBytesMax = 1024
        configuration.recordsPerAppendMax = 8
        configuration.appendBytesMax = 2048
        configuration.segmentBytesMax = configuration.segmentBytesRequired + 512
        configuration.clock = LogSeeds.fixedClock
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        for batch in 0..<24 {
            let entries = (0..<(1 + batch % 8)).map { i in
                LogEntry(payload: Array("batch \(batch) record \(i) ".utf8) + [UInt8](repeating: UInt8(i), count: 40 * i))
            }
            _ = try log.append(entries)
        }
        try log.close()
        var seeds = LogSeeds()
        let names = directory.names()
        let segmentNames = names.filter { $0.hasSuffix(LogFiles.segmentSuffix) }
        guard let first = segmentNames.first, let bytes = directory.read(directory.path + "/" + first) else {
            throw SnapshotError("the seed log wrote no segment")
        }
        guard let seal = try? Seal.decode(Array(bytes.suffix(Seal.size))).get() else { throw SnapshotError("the seed log sealed no segment") }
        let unsealed = Array(bytes.prefix(Int(seal.dataEnd)))
        // The unsealed form with a checkpoint acknowledging all of it: an active segment as a writer leaves it.
        let checkpoint = Checkpoint(segmentFirstPosition: .zero, acknowledgedLength: seal.dataEnd, nextPosition: seal.nextPosition)
        // Without a checkpoint a log holding data is refused (acknowledged records cannot be told from
        // a torn tail), so most seeds carry one.
        seeds.segments = [
            ("sealed", [0] + bytes), ("sealed-with-checkpoint", [0x40] + bytes + checkpoint.encoded()),
            ("active-with-checkpoint", [0x40] + unsealed + checkpoint.encoded()),
            ("active-stamped-with-checkpoint", [0xC0] + unsealed + checkpoint.encoded()),
        ]
        seeds.structures.append(("seal", [0x02] + Array(bytes.suffix(Seal.size))))
        seeds.blocks = blockSeeds(unsealed)
        seeds.structures.append(("segment-header", [0x00] + Array(bytes.prefix(SegmentHeader.size))))
        seeds.structures.append(("block-header", [0x01] + Array(bytes[SegmentHeader.size..<SegmentHeader.size + BlockHeader.size])))
        for (name, mode) in [(LogFiles.checkpoint, UInt8(0x03)), (LogFiles.manifest, 0x04)] {
            if let file = directory.read(directory.path + "/" + name) { seeds.structures.append((name, [mode] + file)) }
        }
        if let index = names.first(where: { $0.hasSuffix(LogFiles.indexSuffix) }), let file = directory.read(directory.path + "/" + index) {
            seeds.structures.append(("index", [0x05] + file))
        }
        return seeds
    }

    /// A clock stopped at 2024-01-01T00:00:00Z: the log then stamps each record one microsecond
    /// after the previous, so the seeds are the same bytes on every run.
    static let fixedClock: @Sendable () -> RecordedTime = { RecordedTime(microsecondsSinceEpoch: 1_704_067_200_000_000) }

    /// Each block of an unsealed segment on its own (header and stored payload).
    static func blockSeeds(_ segment: [UInt8]) -> [(String, [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        var offset = SegmentHeader.size
        while segment.count - offset >= BlockHeader.size, seeds.count < 6 {
            guard let header = segment.withUnsafeBytes({ try? BlockHeader.decode($0, at: offset).get() }) else { break }
            let end = offset + BlockHeader.size + Int(header.storedLength)
            seeds.append(("block-\(seeds.count)-\(header.codec)", [0] + Array(segment[offset..<end])))
            offset = end
        }
        return seeds
    }
}

/// A small ledger of synthetic facts: its snapshot, each view's state, and intake counts.
struct LedgerSeeds {
    var snapshot: [(String, [UInt8])] = []
    var views: [(String, [UInt8])] = []
    var counts: [UInt8] = []

    static func make(_ lines: [String]) throws -> LedgerSeeds {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        var configuration = LedgerConfiguration()
        configuration.log.clock = LogSeeds.fixedClock
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
        var codec = FactJSONCodec()
        let facts = lines.compactMap { try? codec.decode($0) }
        // One append per fact, refused ones skipped: the seed ledger holds what the ledger admits.
        for fact in facts { _ = try? ledger.append([fact]) }
        var seeds = LedgerSeeds()
        let states = ledger.state.withLock { $0.views.views }.compactMap { $0 as? any SnapshotState }
        for (index, view) in states.enumerated() {
            seeds.views.append((type(of: view).name, [UInt8(index)] + FuzzTargets.encodeState(view)))
        }
        try ledger.snapshot()
        try ledger.close()
        let files = directory.names("/snapshots")
        guard let newest = files.last, let bytes = directory.read(directory.path + "/snapshots/" + newest) else {
            throw SnapshotError("the seed ledger wrote no snapshot")
        }
        seeds.snapshot = [("ledger-stamped", [0x80] + bytes), ("ledger-raw", [0] + bytes)]
        var counts = IntakeCounters.Counts()
        counts.duplicates = [SourceID(unchecked: "310114-SCJG"): 3, SourceID(unchecked: "310114-FY"): 1]
        counts.refusals = [SourceID(unchecked: "310114-SCJG"): ["badCheckCharacter": 2, "malformedJSON": 1]]
        seeds.counts = counts.encoded()
        return seeds
    }
}
