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
        e.write(UInt64(16))
        e.write(bytes: [UInt8](repeating: 0, count: 16 * MemoryLayout<FactKeyTable.Slot>.stride))
        e.write(["91310109MACHK7GN2R"]) { e, subject in
            e.write(subject)
            e.write([0, 1]) { e, _ in e.write(ReferenceKey.Kind.decision.rawValue); e.write("沪嘉市监罚〔2020〕1号"); e.write(date("2020-01-02")) }
        }
        e.write([String]()) { _, _ in }
        var d = CanonicalDecoder(e.bytes)
        #expect(throws: SnapshotError.self) { try LedgerIndex(decodingState: &d) }
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
