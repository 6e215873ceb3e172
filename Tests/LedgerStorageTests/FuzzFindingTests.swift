import Testing
@testable import LedgerStorage

/// Inputs the fuzz targets (Fuzz/, docs/fuzzing.md) found crashing a decoder, kept as bytes: each
/// must now be refused like any other damaged file, never trap.
@Suite struct FuzzFindingTests {
    /// A saved block index whose checksum is right but whose one block claims offset 2^63 (the
    /// `storage-structures` target): reading it trapped converting the offset to Int64.
    @Test func savedIndexWithAnOffsetNoFileCanHaveIsRefusedNotATrap() {
        var bytes: [UInt8] = [
            0x43, 0x4C, 0x49, 0x58, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // CLIX, v1, 1 block
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80,  // offset 2^63
            0x10, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,  // stored length 16, 1 record
            0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // first position 0
            0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,  // times
        ]
        let crc = CRC32C.checksum(bytes)
        withUnsafeBytes(of: crc.littleEndian) { bytes.append(contentsOf: $0) }
        #expect(SegmentIndexFile.decode(bytes) == nil)
    }
}
