import Foundation
import Testing
@testable import LedgerStorage
import LogTestSupport

/// The file log keeps its Merkle tree as it appends: the same tree as one built from its
/// records, derived (rebuilt when deleted or damaged, and said so), checked by `verify`, and
/// the source of proofs that verify on their own.
@Suite struct LogTreeTests {
    let directory = TemporaryDirectory()

    /// The tree of `log`'s records, built in memory from their frames.
    func referenceTree(_ log: FileLog) throws -> InMemoryMerkleTree {
        var tree = InMemoryMerkleTree(algorithm: .sha256)
        let hasher = TreeHasher(.sha256)
        for record in try log.allRecords() {
            record.payload.withUnsafeBytes {
                tree.append(leafHash: hasher.leaf(position: record.position, recordedTime: record.recordedTime, payload: $0))
            }
        }
        return tree
    }

    @Test func theMaintainedTreeEqualsTheTreeOfTheRecordsAfterAppendsSessionsAndReopening() throws {
        var log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        for count in [1, 63, 64, 65, 130, 7] { try log.appendSample(count, length: 40) }
        let session = try log.beginAppend()
        for _ in 0..<5 { try session.write((0..<70).map { LogEntry(payload: Array("session \($0)".utf8)) }) }
        _ = try session.commit()
        let aborted = try log.beginAppend()
        try aborted.write([LogEntry(payload: [1, 2, 3])])
        aborted.abort()
        let reference = try referenceTree(log)
        #expect(try log.treeHead().root == reference.root())
        #expect(try log.treeHead(size: 100).root == reference.root(size: 100))
        try log.close()
        log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        #expect(log.derivedDamage.isEmpty)
        #expect(try log.treeHead().root == reference.root())
        try log.appendSample(3)
        #expect(try log.treeHead().root == (try referenceTree(log)).root())
        #expect(try log.verify().derivedDamage.isEmpty)
        try log.close()
    }

    @Test func proofsFromTheLogVerifyAgainstItsTreeHeads() throws {
        let log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        for _ in 0..<6 { try log.appendSample(150, length: 30) }
        let sizes: [UInt64] = [1, 63, 64, 65, 128, 500, 900]
        for size in sizes {
            let head = try log.treeHead(size: size)
            for position in Set([0, size / 2, size - 1]) {
                let proof = try log.inclusionProof(position: Position(position), treeSize: size)
                #expect(throws: Never.self) { try proof.verify(against: head) }
                #expect(proof.record == (try log.record(at: Position(position))))
            }
            for old in sizes where old <= size {
                let proof = try log.consistencyProof(from: old, to: size)
                #expect(throws: Never.self) { try proof.verify(old: try log.treeHead(size: old), new: head) }
            }
        }
        #expect(throws: LogError.treeSizeOutOfRange(requested: 901, size: 900)) { try log.treeHead(size: 901) }
        try log.close()
    }

    @Test func aDeletedTreeFileIsRebuiltFromTheRecordsAndSaidSo() throws {
        var log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendSample(200)
        let root = try log.treeHead().root
        try log.close()
        try FileManager.default.removeItem(atPath: directory.file("MERKLE"))
        log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        #expect(log.derivedDamage.map(\.reason).contains { $0.contains("missing") && $0.contains("rebuilt") })
        #expect(try log.treeHead().root == root)
        #expect(FileManager.default.fileExists(atPath: directory.file("MERKLE")))
        #expect(try log.verify().derivedDamage.isEmpty)
        try log.close()
    }

    @Test func aDamagedTreeFileIsRebuiltAndAReaderNeverWritesIt() throws {
        var log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendSample(150)
        try log.appendSample(150)
        let root = try log.treeHead().root
        try log.close()
        try Tamper.flipBit(directory.file("MERKLE"), at: Int64(TreeFile.headerSize + 2 * TreeFile.entrySize + 5))
        let damaged = try Tamper.read(directory.file("MERKLE"))

        let reader = try FileLog.open(directory: directory.path, configuration: smallConfiguration(), readOnly: true)
        #expect(try reader.treeHead().root == root)
        #expect(reader.derivedDamage.contains { $0.reason.contains("chunk 2 fails its CRC") })
        #expect(try Tamper.read(directory.file("MERKLE")) == damaged)
        try reader.close()

        log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        #expect(log.derivedDamage.contains { $0.position == Position(128) })
        #expect(try log.treeHead().root == root)
        #expect(try log.verify().derivedDamage.isEmpty)
        try log.close()
    }

    @Test func verifyNamesATreeFileCraftedWithValidChecksums() throws {
        var log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        try log.appendSample(150)
        try log.appendSample(150)
        try log.close()
        // Chunk 1 replaced by another hash, its entry CRC recomputed.
        let forged = TreeFile.entries([TreeHash(bytes: [UInt8](repeating: 7, count: 32))], first: 1)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: directory.file("MERKLE")))
        try handle.seek(toOffset: UInt64(TreeFile.offset(ofChunk: 1)))
        try handle.write(contentsOf: Data(forged))
        try handle.close()
        let report = try FileLog.verify(directory: directory.path, configuration: smallConfiguration())
        #expect(report.isIntact)
        #expect(report.derivedDamage.contains { $0.reason.contains("chunk 1 (records 64..<128)") && $0.reason.contains("the records give") })
        log = try FileLog.open(directory: directory.path, configuration: smallConfiguration())
        #expect(try log.verify().derivedDamage.contains { $0.reason.contains("chunk 1") })
        try log.close()
    }

    @Test func aRewrittenHistoryWithAValidChainFailsTheConsistencyProofFromAnOldTreeHead() throws {
        let original = try FileLog.open(directory: directory.file("a"), configuration: smallConfiguration())
        let rewritten = try FileLog.open(directory: directory.file("b"), configuration: smallConfiguration())
        let times = (0..<200).map { RecordedTime(microsecondsSinceEpoch: 1_000_000 + Int64($0)) }
        try original.append((0..<200).map { LogEntry(payload: Array("fact \($0)".utf8), recordedTime: times[$0]) })
        try rewritten.append((0..<200).map { LogEntry(payload: Array(($0 == 70 ? "forged" : "fact \($0)").utf8), recordedTime: times[$0]) })
        try rewritten.append([LogEntry(payload: Array("later".utf8))])
        #expect(try rewritten.verify().isIntact)     // its own chain is valid
        let audited = try original.treeHead(size: 150)
        let proof = try rewritten.consistencyProof(from: 150)
        #expect(throws: ProofRefusal.self) { try proof.verify(old: audited, new: try rewritten.treeHead()) }
        try original.close()
        try rewritten.close()
    }

    @Test func aLogWithoutTheTreeMaintainedStillProvesFromItsRecords() throws {
        var configuration = smallConfiguration()
        configuration.maintainsMerkleTree = false
        let log = try FileLog.open(directory: directory.path, configuration: configuration)
        try log.appendSample(150)
        #expect(!FileManager.default.fileExists(atPath: directory.file("MERKLE")))
        let head = try log.treeHead()
        #expect(head.root == (try referenceTree(log)).root())
        try log.appendSample(10)
        let proof = try log.inclusionProof(position: Position(155))
        #expect(throws: Never.self) { try proof.verify(against: try log.treeHead()) }
        try log.close()
    }
}
