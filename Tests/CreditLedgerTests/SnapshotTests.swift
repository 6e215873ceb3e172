import CreditFacts
import Foundation
import LedgerStorage
import Testing
@testable import CreditLedger

/// A view that counts facts per subject; two versions under one name model a code change.
protocol CountingView: Projector, SnapshotState, DigestContent {
    /// How much each fact adds (the "code change" between versions).
    static var step: Int { get }
    var counts: [SubjectCode: Int] { get set }
}

extension CountingView {
    static var factTypes: FactTypeSet { .all }
    mutating func apply(_ fact: RecordedFact) { counts[fact.fact.subject, default: 0] += Self.step }
    func encodeState(into encoder: inout CanonicalEncoder) {
        encoder.write(counts.sorted { $0.key < $1.key }) { e, pair in e.write(pair.key.description); e.write(pair.value) }
    }
    init(decodingState d: inout CanonicalDecoder) throws(SnapshotError) {
        self.init()
        for (key, value) in try d.readArray({ (d) throws(SnapshotError) in (try d.readSubject(), try d.readInt()) }) {
            counts[key] = value
        }
    }
    func encodeDigest(asOf date: LegalDate, context: ViewContext, into encoder: inout CanonicalEncoder) {
        encodeState(into: &encoder)
    }
}

struct FactCounter: CountingView {
    static let name = "counter"
    static let codeVersion = 1
    static let step = 1
    var counts: [SubjectCode: Int] = [:]
    init() {}
}

/// The same view after a code change that doubles every count.
struct FactCounterV2: CountingView {
    static let name = "counter"
    static let codeVersion = 2
    static let step = 2
    var counts: [SubjectCode: Int] = [:]
    init() {}
}

@Suite struct SnapshotTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()

    func config(_ views: [any Projector.Type] = [SubjectRegistry.self, FactCounter.self], every: Int = 1_000_000) -> LedgerConfiguration {
        var configuration = configuration(clock: clock)
        configuration.views = views
        configuration.snapshotEveryFacts = every
        return configuration
    }

    func appendCompanies(_ ledger: Ledger, _ range: Range<Int>) throws {
        for n in range {
            try ledger.append([
                Facts.registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01"),
                Facts.role("assigned", Codes.enterprise(n), person: Codes.person(n), on: "2021-01-01"),
                Facts.penalty(Codes.enterprise(n), decision: "D-\(n)", on: "2022-05-01"),
            ])
        }
    }

    func snapshotFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory.path + "/snapshots")) ?? []).filter { $0.hasSuffix(".snapshot") }.sorted()
    }

    @Test func closingWritesASnapshotAndReopeningFromItGivesTheSameDigestAsAFullReplay() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<40)
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.close()
        #expect(snapshotFiles() == ["00000000000000000120.snapshot"])

        let reopened = try Ledger.open(directory: directory.path, configuration: config())
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest)
        #expect(Ledger.digest(of: try reopened.rebuild().views, asOf: date("2023-01-01"), context: ledgerContext) == digest)
        // The restored index still knows every key: a resent fact is a duplicate.
        let resent = try reopened.append([Facts.penalty(Codes.enterprise(3), decision: "D-3", on: "2022-05-01")])
        #expect(resent == [.duplicate(of: Position(11))])
    }

    @Test func aCrashBetweenAppendAndSnapshotReplaysTheTailAfterTheSnapshot() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config(every: 30))
        try appendCompanies(ledger, 0..<12)          // 36 facts: a snapshot after the 10th append (30 facts)
        ledger.snapshotQueue.sync {}                  // periodic snapshots are written in the background
        #expect(snapshotFiles() == ["00000000000000000030.snapshot"])
        #expect(ledger.lastSnapshotError == nil, "\(String(reflecting: ledger.lastSnapshotError))")
        try appendCompanies(ledger, 12..<15)
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.log.close()                        // the process dies: no snapshot at close

        let reopened = try Ledger.open(directory: directory.path, configuration: config(every: 30))
        #expect(try reopened.head.recordCount == 45)
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest)
        #expect(try reopened.withView(FactCounter.self) { $0.counts.values.reduce(0, +) } == 45)
    }

    @Test func aSnapshotOfAnOlderViewVersionIsDiscardedAndTheViewRebuilt() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<5)
        try ledger.close()
        #expect(snapshotFiles().count == 1)

        let upgraded = try Ledger.open(directory: directory.path, configuration: config([SubjectRegistry.self, FactCounterV2.self]))
        #expect(try upgraded.withView(FactCounterV2.self) { $0.counts.values.reduce(0, +) } == 30, "rebuilt with the new code")
        #expect(snapshotFiles().isEmpty, "the stale snapshot is deleted")
    }

    @Test func aDamagedSnapshotIsDiscarded() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<5)
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.close()
        let file = directory.path + "/snapshots/" + snapshotFiles()[0]
        var bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        bytes[40] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: file))

        let reopened = try Ledger.open(directory: directory.path, configuration: config())
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest)
    }

    @Test func aSnapshotTheLogDoesNotReachIsKeptAsEvidenceAndNotUsed() throws {
        // A snapshot of a position beyond the log's head says the log may have lost records: it is
        // named in the warnings and never deleted, not at open and not when newer ones are pruned.
        let other = TemporaryDirectory()
        let longer = try Ledger.open(directory: other.path, configuration: config())
        try appendCompanies(longer, 0..<10)
        try longer.close()
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<2)
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.close()
        try FileManager.default.copyItem(atPath: other.path + "/snapshots/00000000000000000030.snapshot",
                                        toPath: directory.path + "/snapshots/00000000000000000030.snapshot")
        let reopened = try Ledger.open(directory: directory.path, configuration: config())
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest)
        #expect(reopened.warnings.contains { $0.contains("00000000000000000030.snapshot is of position 30, beyond the log's 6 records") })
        try appendCompanies(reopened, 2..<3)
        try reopened.close()
        #expect(snapshotFiles().contains("00000000000000000030.snapshot"), "kept")
    }

    @Test func aSnapshotEditedWithItsChecksumRecomputedIsRefusedMovedAsideAndRebuilt() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<5)
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.close()
        let file = directory.path + "/snapshots/" + snapshotFiles()[0]
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        // The states are LZ4-compressed: one byte of the registry's stored state is changed.
        bytes[bytes.count / 2] ^= 0x01
        let crc = bytes.dropLast(4).withContiguousStorageIfAvailable { CRC32C.of(UnsafeRawBufferPointer($0)) } ?? 0
        bytes.replaceSubrange((bytes.count - 4)..., with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let reopened = try Ledger.open(directory: directory.path, configuration: config())
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest, "rebuilt from the log, not taken from the edit")
        #expect(reopened.warnings.contains { $0.contains("is damaged (its SHA-256 does not match its content)") })
        #expect(FileManager.default.fileExists(atPath: file + ".damaged"))
    }

    @Test func aSnapshotOfTheUncompressedFormatIsNotReadAndTheViewsAreRebuilt() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<5)
        let digest = try ledger.digest(asOf: date("2023-01-01"))
        try ledger.close()
        let file = directory.path + "/snapshots/" + snapshotFiles()[0]
        var bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        bytes.replaceSubrange(0..<8, with: Array("CLSNAP02".utf8))
        try Data(bytes).write(to: URL(fileURLWithPath: file))

        let store = SnapshotStore(directory: directory.path + "/snapshots", kept: 1)
        let log = try FileLog.open(directory: directory.path + "/log", readOnly: true)
        defer { try? log.close() }
        #expect(throws: SnapshotProblem.self) { try store.load(file, matching: [LedgerIndex.self, SubjectRegistry.self, FactCounter.self], log: log) }
        let reopened = try Ledger.open(directory: directory.path, configuration: config())
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest, "rebuilt from the log")
        try appendCompanies(reopened, 5..<6)
        try reopened.close()
        #expect(snapshotFiles() == ["00000000000000000018.snapshot"], "the old format is pruned by the next snapshot")
    }

    /// A reader beside a writer lists the snapshots, then the writer writes a newer one and
    /// prunes the one the reader picked: the reader lists again and opens the newer one, without
    /// a warning, instead of falling back to an older snapshot or a replay of the whole log.
    @Test func aSnapshotPrunedWhileAReaderOpensItIsFollowedToTheNewerOne() throws {
        let first = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(first, 0..<5)
        try first.close()
        let pruned = directory.path + "/snapshots/" + snapshotFiles()[0]
        let second = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(second, 5..<7)
        try second.close()
        #expect(snapshotFiles() == ["00000000000000000021.snapshot"], "the older snapshot is pruned")

        let store = SnapshotStore(directory: directory.path + "/snapshots", kept: 1)
        let log = try FileLog.open(directory: directory.path + "/log", readOnly: true)
        defer { try? log.close() }
        let types: [any Projector.Type] = [LedgerIndex.self, SubjectRegistry.self, FactCounter.self]
        // The listing the reader made before the writer's second snapshot.
        var listings = 0
        let stale = { () -> [String] in
            listings += 1
            return listings == 1 ? [pruned] : store.files()
        }
        let (loaded, warnings) = store.loadNewest(matching: types, log: log, writable: false, listing: stale)
        #expect(loaded?.position == Position(21))
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(listings == 2)

        // Listed again and again stale: after its relistings it says so and does not guess.
        let (none, said) = store.loadNewest(matching: types, log: log, writable: false, listing: { [pruned] }, relists: 2)
        #expect(none == nil)
        #expect(said == ["snapshot \(pruned) was removed while it was being opened; not used"])
    }

    @Test func theSnapshotKeepsEachViewsStateCompressedInChunks() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(ledger, 0..<300)
        try ledger.close()
        let file = directory.path + "/snapshots/" + snapshotFiles()[0]
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: file)))
        #expect(Array(bytes[0..<8]) == Array("CLSNAP03".utf8))
        // Walk the sections: each view's raw length against the bytes it takes in the file.
        var d = CanonicalDecoder(Array(bytes[8..<(bytes.count - 32)]))
        _ = try d.readUInt64()
        _ = try d.readBytes(Int(try d.readUInt32()))
        var raw = 0, stored = 0
        for _ in 0..<Int(try d.readUInt32()) {
            _ = try d.readString()
            _ = try d.readInt()
            raw += Int(try d.readUInt64())
            _ = try d.readUInt32()
            let length = Int(try d.readUInt64())
            stored += length
            _ = try d.skip(length)
        }
        #expect(d.isAtEnd)
        #expect(stored * 2 < raw, "\(stored) stored bytes for \(raw) raw")
    }

    @Test func byDefaultOnlyTheNewestSnapshotIsKept() throws {
        let ledger = try Ledger.open(directory: directory.path, configuration: config(every: 30))
        try appendCompanies(ledger, 0..<25)           // 75 facts: snapshots after 30 and 60
        ledger.snapshotQueue.sync {}
        try ledger.close()
        #expect(snapshotFiles() == ["00000000000000000075.snapshot"])
    }

    @Test func aSnapshotOfAnotherHistoryIsNotUsed() throws {
        // Two ledgers with different facts: a snapshot copied from one to the other is refused
        // because the chain hash at its position differs.
        let other = TemporaryDirectory()
        let first = try Ledger.open(directory: directory.path, configuration: config())
        try appendCompanies(first, 0..<5)
        try first.close()
        let second = try Ledger.open(directory: other.path, configuration: config())
        try appendCompanies(second, 100..<105)
        let digest = try second.digest(asOf: date("2023-01-01"))
        try second.log.close()
        try FileManager.default.createDirectory(atPath: other.path + "/snapshots", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory.path + "/snapshots/" + snapshotFiles()[0],
                                        toPath: other.path + "/snapshots/" + snapshotFiles()[0])
        let reopened = try Ledger.open(directory: other.path, configuration: config())
        #expect(try reopened.digest(asOf: date("2023-01-01")) == digest)
    }
}

@Suite struct ReplayTests {
    let directory = TemporaryDirectory()
    let clock = SteppingClock()

    @Test func theIdempotencyIndexWritesTheSameSnapshotBytesHoweverItWasBuilt() throws {
        var configuration = configuration(clock: clock)
        configuration.views = [SubjectRegistry.self]
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
        for n in 0..<200 {
            try ledger.append([
                Facts.registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01"),
                Facts.penalty(Codes.enterprise(n), decision: "D-\(n)", on: "2022-05-01"),
            ])
        }
        func bytes(_ index: LedgerIndex) -> [UInt8] {
            var encoder = CanonicalEncoder()
            index.encodeState(into: &encoder)
            return encoder.bytes
        }
        let live = try bytes(ledger.withView(LedgerIndex.self) { $0 })
        for cores in [1, 2, 4] {
            let rebuilt = try ledger.rebuild(cores: cores, includingIndex: true)
            let same = try bytes(#require(rebuilt.views.view(LedgerIndex.self))) == live
            #expect(same, "rebuilt on \(cores) cores")
        }
    }

    @Test func aRebuildFromTheDirectoryGivesTheLiveDigestAndWritesNothing() throws {
        var configuration = configuration(clock: clock)
        configuration.views = [SubjectRegistry.self, PenaltyPublicity.self]
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
        for n in 0..<100 {
            try ledger.append([
                Facts.registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01"),
                Facts.penalty(Codes.enterprise(n), decision: "D-\(n)", on: "2022-05-01"),
            ])
        }
        let live = try ledger.digest(asOf: date("2023-01-01"))
        let last = try ledger.head.lastRecordedTime
        func listing() -> [String] { (FileManager.default.subpaths(atPath: directory.path) ?? []).sorted() }
        let before = listing()
        var reported: [(UInt64, UInt64)] = []
        let rebuilt = try Ledger.rebuild(directory: directory.path, configuration: configuration, cores: 2) { reported.append(($0, $1)) }
        #expect(rebuilt.facts == 200)
        #expect(rebuilt.lastRecorded == last)
        #expect(rebuilt.views.view(LedgerIndex.self) == nil, "the views alone, not the ledger's index")
        #expect(Ledger.digest(of: rebuilt.views, asOf: date("2023-01-01"), context: ledgerContext) == live)
        #expect(reported.last.map { $0 == (200, 200) } == true)
        #expect(listing() == before, "nothing written")
        #expect(throws: LedgerError.self) { try Ledger.rebuild(directory: directory.path + "/missing", configuration: configuration) }
    }

    @Test func aParallelRebuildGivesTheSameViewsAsASequentialOne() throws {
        var configuration = configuration(clock: clock)
        configuration.views = [SubjectRegistry.self]
        let ledger = try Ledger.open(directory: directory.path, configuration: configuration)
        for n in 0..<300 {
            try ledger.append([
                Facts.registered(Codes.enterprise(n), name: "企业\(n)", on: "2021-01-01"),
                Facts.role("assigned", Codes.enterprise(n), person: Codes.person(n % 40), on: "2021-0\(1 + n % 9)-01"),
                Facts.penalty(Codes.enterprise(n), decision: "D-\(n)", on: "2022-05-01"),
            ])
        }
        let live = try ledger.digest(asOf: date("2023-01-01"))
        let sequential = try ledger.rebuild(cores: 1, includingIndex: true)
        let parallel = try ledger.rebuild(cores: 2, includingIndex: true)
        let four = try ledger.rebuild(cores: 4)
        for rebuilt in [sequential, parallel, four] {
            #expect(rebuilt.facts == 900)
            #expect(Ledger.digest(of: rebuilt.views, asOf: date("2023-01-01"), context: ledgerContext) == live)
        }
        // The idempotency index survives a parallel rebuild too.
        let index = try #require(parallel.views.view(LedgerIndex.self))
        #expect(index.keys.count == 900)
        #expect(index.positions.values.reduce(0) { $0 + $1.count } == 900)
        let person = try CitizenIdentityNumber(Codes.person(3))
        let organisations = parallel.views.view(SubjectRegistry.self)!.roles(of: person, on: date("2023-01-01")).map(\.organisation)
        #expect(try organisations == ledger.withView(SubjectRegistry.self) { $0.roles(of: person, on: date("2023-01-01")).map(\.organisation) })
    }
}
