import Foundation
import PropertyBased
import Testing
@testable import CreditFacts

/// The binary encoding: one canonical byte sequence per fact, versioned, upcast from version 0.
@Suite struct BinaryFactCodecTests {
    @Test func everyFixtureFactSurvivesBinaryUnchanged() throws {
        for line in try fixtureLines("every-type.jsonl") {
            let fact = try decodeLine(line)
            let bytes = BinaryFactCodec.encode(fact)
            #expect(bytes.first == BinaryFactCodec.currentVersion)
            #expect(try BinaryFactCodec.decode(bytes) == fact)
        }
    }

    @Test func frozenVersion0RecordUpcastsToTodaysModel() throws {
        let v0 = [UInt8](try fixture("penalty-v0.bin"))
        #expect(v0.first == 0)
        let fact = try BinaryFactCodec.decode(v0)
        #expect(fact == (try decodeLine(specExampleLine)))
        #expect(fact.reported?.offsetMinutes == 480)
        #expect(FactJSONCodec.encode(fact) == specExampleLine)
        // Re-encoding writes today's version; the v0 bytes are never produced again.
        #expect(BinaryFactCodec.encode(fact).first == 1)
    }

    /// The records of a frozen binary fixture: each is preceded by its length (varint).
    func frozenRecords(_ name: String) throws -> [[UInt8]] {
        let bytes = [UInt8](try fixture(name))
        var records: [[UInt8]] = [], index = 0
        while index < bytes.count {
            var length = 0, shift = 0
            while bytes[index] & 0x80 != 0 { length |= Int(bytes[index] & 0x7F) << shift; shift += 7; index += 1 }
            length |= Int(bytes[index]) << shift
            index += 1
            records.append(Array(bytes[index..<(index + length)]))
            index += length
        }
        return records
    }

    @Test func storedVersion1RecordsOfEveryTypeDecodeAndAreWrittenTheSameToday() throws {
        let lines = try fixtureLines("every-type.jsonl")
        let records = try frozenRecords("every-type-v1.bin")
        #expect(records.count == lines.count)
        #expect(Set(try lines.map { try decodeLine($0).type }) == Set(FactType.allCases))
        for (line, record) in zip(lines, records) {
            let fact = try decodeLine(line)
            #expect(try BinaryFactCodec.decode(record) == fact, "\(fact.type)")
            #expect(BinaryFactCodec.encode(fact) == record, "\(fact.type)")
        }
    }

    @Test func storedVersion0RecordsOfEveryTypeUpcastToTodaysModel() throws {
        let lines = try fixtureLines("every-type.jsonl")
        let records = try frozenRecords("every-type-v0.bin")
        // Types added after version 1 (repair.accepted, objection.accepted) never had version-0 records.
        #expect(records.count == lines.count - 2)
        for (line, record) in zip(lines, records) {
            // Version 0 kept whole UTC seconds read as China Standard Time, and no unknown fields.
            var expected = try decodeLine(line)
            expected.extras = ExtraFields()
            expected.bodyExtras = ExtraFields()
            expected.reported = expected.reported.map { Timestamp(secondsSinceEpoch: $0.secondsSinceEpoch, offsetMinutes: 480)! }
            expected.recorded = expected.recorded.map { Timestamp(secondsSinceEpoch: $0.secondsSinceEpoch, offsetMinutes: 480)! }
            #expect(record.first == 0)
            #expect(try BinaryFactCodec.decode(record) == expected, "\(expected.type)")
        }
    }

    @Test func extrasInAnyOrderGiveTheSameBytes() throws {
        let a = try decodeLine(specExample(replacing: #""source""#, with: #""b":2,"a":1,"source""#))
        let b = try decodeLine(specExample(replacing: #""source""#, with: #""a":1,"b":2,"source""#))
        #expect(BinaryFactCodec.encode(a) == BinaryFactCodec.encode(b))
    }

    @Test func penaltyKindOrderDoesNotChangeTheBytes() throws {
        let a = try decodeLine(specExample(replacing: #"["fine"]"#, with: #"["fine","warning"]"#))
        let b = try decodeLine(specExample(replacing: #"["fine"]"#, with: #"["warning","fine"]"#))
        #expect(BinaryFactCodec.encode(a) == BinaryFactCodec.encode(b))
    }

    /// Expects `bytes` to be refused as corrupt with `reason`.
    func expectCorrupt(_ bytes: [UInt8], _ field: String, _ reason: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(throws: FactError(line: 0, kind: .corruptRecord, field: field, reason: reason), sourceLocation: sourceLocation) {
            try BinaryFactCodec.decode(bytes)
        }
    }

    @Test func corruptRecordsAreRefusedWithWhereAndWhy() throws {
        let good = BinaryFactCodec.encode(try decodeLine(specExampleLine))
        expectCorrupt([], "", "record truncated at byte 0")
        expectCorrupt([9] + good.dropFirst(), "", "unknown schema version 9 at byte 1")
        expectCorrupt([1, 200] + good.dropFirst(2), "", "unknown fact type 200 at byte 2")
        expectCorrupt(Array(good.dropLast()), "", "record truncated at byte \(good.count - 1)")
        expectCorrupt(good + [0], "", "trailing bytes at byte \(good.count)")
    }

    @Test func nonShortestVarintIsRefusedSoEncodingsStayUnique() throws {
        // Length of the id written as 0x93 0x00 instead of 0x13.
        let good = BinaryFactCodec.encode(try decodeLine(specExampleLine))
        #expect(good[2] == 19)
        let padded = Array(good[0..<2]) + [0x93, 0x00] + good[3...]
        expectCorrupt(padded, "id", "varint not in shortest form at byte 4")
    }

    @Test func corruptSubjectCodeIsRefused() throws {
        var bytes = BinaryFactCodec.encode(try decodeLine(specExampleLine))
        let at = 2 + 1 + 19 + 1 + 11 + 1 + 17
        #expect(bytes[at] == UInt8(ascii: "6"))
        bytes[at] = UInt8(ascii: "7")
        expectCorrupt(bytes, "subject", "bad subject code (check character should be 6, is 7) at byte \(at + 1)")
    }

    @Test func jsonToBinaryToJsonIsTheIdentityForGeneratedFacts() async {
        await propertyCheck(count: 500, input: generatedFacts) { fact in
            let line = FactJSONCodec.encode(fact)
            var codec = FactJSONCodec()
            let read = try codec.decode(line)
            #expect(read == fact)
            let decoded = try BinaryFactCodec.decode(BinaryFactCodec.encode(read))
            #expect(decoded == fact)
            #expect(FactJSONCodec.encode(decoded) == line)
        }
    }
}

/// Inputs the `binary-fact` fuzz target (Fuzz/, docs/fuzzing.md) found, kept as bytes.
@Suite struct BinaryFactCodecFuzzFindingTests {
    /// A role record whose person's identity number ends in a lower-case `x`: it decoded to the same
    /// fact as the record with `X`, so one fact had two encodings (and two digests).
    @Test func identityNumberWithLowerCaseCheckCharacterIsRefusedAsASecondEncoding() throws {
        let record: [UInt8] = [
            0x01, 0x02, 0x0E, 0x52, 0x4F, 0x4C, 0x45, 0x2D, 0x32, 0x30, 0x31, 0x39, 0x2D, 0x30, 0x30, 0x30,
            0x31, 0x0B, 0x33, 0x31, 0x30, 0x31, 0x31, 0x34, 0x2D, 0x53, 0x43, 0x4A, 0x47, 0x00, 0x39, 0x31,
            0x33, 0x31, 0x30, 0x31, 0x30, 0x39, 0x4D, 0x41, 0x43, 0x48, 0x4B, 0x37, 0x47, 0x4E, 0x32, 0x52,
            0xC8, 0x98, 0x02, 0x00, 0x00, 0x33, 0x31, 0x30, 0x31, 0x31, 0x34, 0x31, 0x39, 0x38, 0x30, 0x30,
            0x33, 0x31, 0x35, 0x31, 0x32, 0x32, 0x78, 0x00, 0x00, 0x00,
        ]
        #expect(throws: FactError.self) { try BinaryFactCodec.decode(record) }
        var upper = record
        upper[70] = 0x58  // "X": the canonical record of the same fact is still read
        let fact = try BinaryFactCodec.decode(upper)
        #expect(BinaryFactCodec.encode(fact) == upper)
    }
}
