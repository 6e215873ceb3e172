import CreditFacts
import Foundation
import LedgerStorage
import Testing
import Crypto
@testable import CreditLedger

/// Snapshot and counter files whose checksums are right but whose content no writer produces, as
/// the fuzz targets (Fuzz/, docs/fuzzing.md) found them: a checksum guards against accidents, not
/// against a crafted file, so each must be refused with a ``SnapshotError`` (and the views rebuilt
/// from the log), never trap.
@Suite struct SnapshotDecodingTests {
    /// The `snapshot` target: a view's state length of 2^63 trapped converting it to Int.
    @Test func viewStateLengthPastIntMaxIsRefusedNotATrap() throws {
        let directory = NSTemporaryDirectory() + "snapshot-decoding-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = try FileLog.open(directory: directory + "/log")
        defer { try? log.close() }
        var e = CanonicalEncoder()
        e.write(UInt64(0))
        e.write(UInt32(32))
        e.write(bytes: ChainHash.genesis.bytes)
        e.write(UInt32(1))
        e.write(LedgerIndex.name)
        e.write(LedgerIndex.codeVersion)
        e.write(UInt64(1) << 63)
        // The file's own SHA-256 is right, so only the length can refuse it.
        var bytes = SnapshotStore.magic + e.bytes
        bytes += Array(SHA256.hash(data: bytes))
        let store = SnapshotStore(directory: directory + "/snapshots", kept: 2)
        try FileManager.default.createDirectory(atPath: store.directory, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: store.path(.zero)))
        #expect(throws: SnapshotError.self) { try store.load(store.path(.zero), matching: [LedgerIndex.self], log: log) }
    }

    /// A fact reference is split at its last `/` (a source may hold one, an id may not); one with
    /// nothing before or after it is refused, never read as an empty source or id.
    @Test func factReferencesSplitAtTheLastSlashAndEmptyPartsAreRefused() throws {
        for (text, source, id) in [("310114-SCJG/F1", "310114-SCJG", "F1"), ("a/b/c", "a/b", "c"), ("市场/事实", "市场", "事实")] {
            var e = CanonicalEncoder()
            e.write(text)
            var d = CanonicalDecoder(e.bytes)
            #expect(try d.readFactRef() == FactRef(source: SourceID(unchecked: source), id: FactID(unchecked: id)))
        }
        for text in ["F1", "/F1", "310114-SCJG/", ""] {
            var e = CanonicalEncoder()
            e.write(text)
            var d = CanonicalDecoder(e.bytes)
            #expect(throws: SnapshotError("bad fact reference \(text)")) { try d.readFactRef() }
        }
    }

    /// The `view-state` target: the ledger index's key table size of 2^63 trapped converting it to Int.
    @Test func ledgerIndexTableSizePastIntMaxIsRefusedNotATrap() {
        var e = CanonicalEncoder()
        e.write(UInt64(1) << 63)
        var d = CanonicalDecoder(e.bytes)
        #expect(throws: SnapshotError.self) { try LedgerIndex(decodingState: &d) }
    }

    /// The `view-state` target: one subject's reference number written twice trapped in
    /// `Dictionary(uniqueKeysWithValues:)`.
    @Test func ledgerIndexReferenceRepeatedIsRefusedNotATrap() {
        var e = CanonicalEncoder()
        e.write(UInt64(0))
        e.writeVarints([])
        e.write(["91310109MACHK7GN2R"]) { e, subject in e.write(subject); e.write(UInt32(0)) }
        e.writeVarints([])
        e.write([UInt32(0)]) { e, place in
            e.write(place)
            e.write([0, 1]) { e, _ in e.write(ReferenceKey.Kind.decision.rawValue); e.write("沪嘉市监罚〔2020〕1号"); e.write(UInt32(18_263)) }
        }
        var d = CanonicalDecoder(e.bytes)
        #expect(throws: SnapshotError.self) { try LedgerIndex(decodingState: &d) }
    }

    /// The ledger index's state (version 3) with the keys, references and positions given, as
    /// its encoder lays them out.
    static func indexState(keys: [(high: UInt64, low: UInt64, content: UInt64)], gaps: [UInt64], keyCount: UInt64? = nil,
                           subjects: [(String, UInt32)] = [], positionGaps: [UInt64] = []) -> [UInt8] {
        var e = CanonicalEncoder()
        e.write(keyCount ?? UInt64(keys.count))
        e.writeVarints(gaps)
        for key in keys { e.write(key.high); e.write(key.low); e.write(key.content) }
        e.write(subjects) { e, subject in e.write(subject.0); e.write(subject.1) }
        e.writeVarints(positionGaps)
        e.write([String]()) { _, _ in }
        return e.bytes
    }

    /// Keys, positions and their varints as only damage or a crafted file makes them: each is a
    /// ``SnapshotError`` naming what is wrong, never a trap or a table that answers wrongly.
    @Test func ledgerIndexDamageIsRefusedNotATrap() throws {
        let a = (high: UInt64(1), low: UInt64(2), content: UInt64(3))
        let b = (high: UInt64(4), low: UInt64(5), content: UInt64(6))
        func refusal(_ bytes: [UInt8]) -> String? {
            var d = CanonicalDecoder(bytes)
            do { _ = try LedgerIndex(decodingState: &d); return nil } catch { return error.reason }
        }
        // Intact: two keys at positions 0 and 3, one subject's two positions 0 and 3.
        var d = CanonicalDecoder(Self.indexState(keys: [a, b], gaps: [0, 2], subjects: [("91310109MACHK7GN2R", 2)], positionGaps: [0, 2]))
        let index = try LedgerIndex(decodingState: &d)
        #expect(index.keys[FactKey(high: 4, low: 5)] == KeyedFact(position: 3, content: 6))
        #expect(index.positions[try SubjectCode("91310109MACHK7GN2R")] == [Position(0), Position(3)])
        #expect(refusal(Self.indexState(keys: [a, a], gaps: [0, 0])) == "an idempotency key repeated")
        #expect(refusal(Self.indexState(keys: [a], gaps: [0], keyCount: 1 << 40)) == "bad key count 1099511627776")
        #expect(refusal(Self.indexState(keys: [a, b], gaps: [0])) != nil)                       // a varint short
        #expect(refusal(Self.indexState(keys: [a], gaps: [0, 0])) != nil)                       // a varint too many
        #expect(refusal(Self.indexState(keys: [a], gaps: [UInt64.max])) == "key position out of range")
        #expect(refusal(Self.indexState(keys: [], gaps: [], subjects: [("91310109MACHK7GN2R", UInt32.max)], positionGaps: [0]))
            == "4294967295 positions exceed the remaining bytes")
        #expect(refusal(Self.indexState(keys: [], gaps: [], subjects: [("91310109MACHK7GN2R", 1), ("91310109MACHK7GN2R", 1)],
                                        positionGaps: [0, 0])) == "subject 91310109MACHK7GN2R repeated or out of order")
        // A varint of eleven bytes, or of ten whose last carries more than the 64th bit.
        var long = CanonicalEncoder()
        long.write(UInt64(1))
        long.write(UInt64(10))
        long.write(bytes: [UInt8](repeating: 0xFF, count: 9) + [0x02])
        #expect(refusal(long.bytes + [UInt8](repeating: 0, count: 24)) == "varint over 64 bits at byte 25")
    }

    /// Varints round-trip every width, from 0 to 2^64 − 1, and their byte count is checked.
    @Test func varintsRoundTripEveryWidth() throws {
        let values: [UInt64] = [0, 1, 127, 128, 255, 16_383, 16_384, 1 << 35, UInt64.max >> 1, UInt64.max]
        var e = CanonicalEncoder()
        e.writeVarints(values)
        #expect(e.bytes.count == 8 + [1, 1, 1, 2, 2, 2, 3, 6, 9, 10].reduce(0, +))
        var d = CanonicalDecoder(e.bytes)
        var read: [UInt64] = []
        try d.readVarints(count: values.count) { read.append($0) }
        #expect(read == values)
        #expect(d.isAtEnd)
        var short = CanonicalDecoder(e.bytes)
        #expect(throws: SnapshotError.self) { try short.readVarints(count: values.count + 1) { _ in } }
    }

    /// The `view-state` target: one source's reporting lag written twice with counts summing past
    /// UInt32.max overflowed the data-quality view's counter.
    @Test func dataQualityLagRepeatedIsRefusedNotAnOverflow() {
        var e = CanonicalEncoder()
        e.write(UInt32(1))
        e.write("310114-SCJG")
        e.write([UInt32.max, UInt32.max]) { e, count in e.write(Int64(5)); e.write(count) }
        e.write([String]()) { _, _ in }
        e.write([String]()) { _, _ in }
        var d = CanonicalDecoder(e.bytes)
        #expect(throws: SnapshotError.self) { try DataQuality(decodingState: &d) }
    }

    /// The `intake-counts` target: one source's refusal kind written twice with counts summing past
    /// Int.max overflowed while merging the repeats.
    @Test func intakeCountsWithARepeatedKindAreRefusedNotAnOverflow() {
        var e = CanonicalEncoder()
        e.write([String]()) { _, _ in }
        e.write(["310114-SCJG"]) { e, source in
            e.write(source)
            e.write([Int.max, Int.max]) { e, count in e.write("malformedJSON"); e.write(count) }
        }
        #expect(throws: SnapshotError.self) { try IntakeCounters.Counts(decoding: e.bytes) }
    }
}
