import Testing
@testable import LedgerStorage
import LogTestSupport

/// A segment's block list keeps every block in order across its chunks, compares by its blocks,
/// and a copy held by a reader does not change when the writer appends or rolls back.
@Suite struct BlockListTests {
    func block(_ n: Int) -> BlockRef {
        BlockRef(offset: Int64(64 + n * 100), storedLength: 80, recordCount: 1, firstPosition: Position(UInt64(n)),
                 firstRecordedTime: Int64(n), lastRecordedTime: Int64(n))
    }

    @Test func blocksAreKeptInOrderAcrossChunks() {
        let count = BlockList.chunkSize * 3 + 17
        var list = BlockList()
        for n in 0..<count { list.append(block(n)) }
        #expect(list.count == count)
        #expect(list.map(\.firstPosition.rawValue) == (0..<count).map(UInt64.init))
        #expect(list[BlockList.chunkSize - 1] == block(BlockList.chunkSize - 1))
        #expect(list[BlockList.chunkSize] == block(BlockList.chunkSize))
        #expect(list.last == block(count - 1))
        #expect(BlockList((0..<count).map(block)) == list)
        #expect(BlockList((0..<count - 1).map(block)) != list)
    }

    @Test func aCopyIsUnchangedByAppendsAndRollBacks() {
        var writer = BlockList((0..<(BlockList.chunkSize + 5)).map(block))
        let reader = writer
        for n in (BlockList.chunkSize + 5)..<(BlockList.chunkSize * 2 + 3) { writer.append(block(n)) }
        #expect(reader.count == BlockList.chunkSize + 5)
        #expect(reader.last == block(BlockList.chunkSize + 4))
        writer.removeAll { $0.firstPosition.rawValue >= 10 }
        #expect(writer == BlockList((0..<10).map(block)))
        #expect(reader == BlockList((0..<(BlockList.chunkSize + 5)).map(block)))
        let empty: BlockList = []
        #expect(empty.isEmpty && empty.last == nil)
    }
}
