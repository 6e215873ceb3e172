/// The compact, canonical binary form of a fact, for storage and hashing.
///
/// One fact has exactly one encoding (shortest varints, sets in a fixed order, extras sorted), so
/// a digest of the bytes identifies the fact. Layout of schema version 1:
///
/// ```
/// u8 version (1) · u8 type (FactType code) · id · source · subject (u8 kind + 18 ASCII)
/// · effective (zig-zag days since 1970-01-01) · reported? · recorded? (u8 presence, then zig-zag
/// seconds, varint nanoseconds, zig-zag offset minutes) · body fields in canonical order (optional
/// ones behind a presence byte) · envelope extras · body extras (varint count, then name and JSON)
/// ```
///
/// Version 0 (the draft layout, see `Tests/CreditFactsTests/Fixtures/README.md`) had timestamps as
/// whole UTC seconds only and no extras; ``decode(_:)-([UInt8])`` upcasts it to today's model.
public enum BinaryFactCodec {
    /// The schema version written today.
    public static let currentVersion: UInt8 = 1
    /// Versions ``decode(_:)-([UInt8])`` can read.
    public static let readableVersions: ClosedRange<UInt8> = 0...1
    /// Largest JSON text of one unknown field.
    static let maxExtraBytes = 65_536
    /// Most unknown fields per object (the JSON reader accepts no more members than this).
    static let maxExtras = JSONScanner.maxMembers

    /// Appends the record for `fact` to `bytes`.
    public static func encode(_ fact: Fact, into bytes: inout [UInt8]) {
        // Moved in and out by swapping so that the buffer is never shared (sharing forces a copy).
        var w = BinaryFieldWriter(w: BinaryWriter())
        swap(&w.w.bytes, &bytes)
        w.w.byte(currentVersion)
        w.w.byte(fact.type.code)
        w.field("id", fact.id)
        w.field("source", fact.source)
        w.field("subject", fact.subject)
        w.field("effective", fact.effective)
        w.optionalField("reported", fact.reported)
        w.optionalField("recorded", fact.recorded)
        fact.body.write(to: &w)
        w.extras(fact.extras)
        w.extras(fact.bodyExtras)
        swap(&w.w.bytes, &bytes)
    }

    /// The record for `fact`.
    public static func encode(_ fact: Fact) -> [UInt8] {
        var bytes: [UInt8] = []
        encode(fact, into: &bytes)
        return bytes
    }

    /// Decodes one record of any readable version into today's model.
    /// - Throws: ``FactError`` (line 0) of kind `corruptRecord`, or a validation error.
    public static func decode(_ record: [UInt8]) throws(FactError) -> Fact {
        try record.withUnsafeBufferPointer { (b) throws(FactError) in try decode(b) }
    }

    /// Decodes one record from raw bytes.
    @inline(__always)
    public static func decode(_ record: UnsafeBufferPointer<UInt8>) throws(FactError) -> Fact {
        do throws(FactProblem) { return try decodeRecord(record) } catch { throw FactError(line: 0, error) }
    }

    /// Reads the envelope, the body and the extras, then checks the cross-field rules. Inlined so that
    /// the fact is built in the caller's frame instead of being copied out through each layer.
    @inline(__always)
    private static func decodeRecord(_ record: UnsafeBufferPointer<UInt8>) throws(FactProblem) -> Fact {
        var r = BinaryFieldReader(r: BinaryReader(record))
        let version = try r.r.byte()
        guard readableVersions.contains(version) else { throw r.r.corrupt("unknown schema version \(version)") }
        r.r.version = version
        let typeCode = try r.r.byte()
        guard let type = FactType.table.word(code: typeCode) else { throw r.r.corrupt("unknown fact type \(typeCode)") }
        let id: FactID = try r.field("id"), source: SourceID = try r.field("source")
        let subject: SubjectCode = try r.field("subject"), effective: LegalDate = try r.field("effective")
        let reported: Timestamp? = try r.optionalField("reported"), recorded: Timestamp? = try r.optionalField("recorded")
        let body = try FactBody.read(type, from: &r)
        let extras = version >= 1 ? try r.extras() : ExtraFields()
        let bodyExtras = version >= 1 ? try r.extras() : ExtraFields()
        guard r.r.isAtEnd else { throw r.r.corrupt("trailing bytes") }
        let fact = Fact(source: source, id: id, subject: subject, effective: effective, reported: reported,
                        recorded: recorded, body: body, extras: extras, bodyExtras: bodyExtras)
        if let problem = fact.validationProblem() { throw problem }
        return fact
    }
}

/// Reads fields in record order; keys serve only to name the field in errors.
struct BinaryFieldReader: FieldReader {
    var r: BinaryReader

    mutating func field<T: FieldValue>(_ key: StaticString) throws(FactProblem) -> T {
        do throws(FactProblem) { return try T.fromBinary(&r) } catch { throw error.nested(in: key.description) }
    }

    mutating func optionalField<T: FieldValue>(_ key: StaticString) throws(FactProblem) -> T? {
        switch try r.byte() {
        case 0: return nil
        case 1: return try field(key)
        default: throw r.corrupt("presence byte not 0 or 1").nested(in: key.description)
        }
    }

    /// Reads an extras section, which must be sorted and free of repeats (canonical form).
    mutating func extras() throws(FactProblem) -> ExtraFields {
        let n = try r.count(max: BinaryFactCodec.maxExtras)
        guard n > 0 else { return ExtraFields() }
        var fields: [ExtraFields.Field] = []
        fields.reserveCapacity(n)
        for _ in 0..<n {
            let name = try r.string(max: BinaryFactCodec.maxExtraBytes)
            let json = try r.string(max: BinaryFactCodec.maxExtraBytes)
            if let last = fields.last, !last.name.utf8.lexicographicallyPrecedes(name.utf8) {
                throw r.corrupt("extras not in canonical order")
            }
            fields.append(ExtraFields.Field(name: name, json: json))
        }
        return ExtraFields(sorted: fields)
    }
}

/// Writes fields in record order.
struct BinaryFieldWriter: FieldWriter {
    var w: BinaryWriter

    mutating func field<T: FieldValue>(_ key: StaticString, _ value: T) { value.writeBinary(to: &w) }

    mutating func optionalField<T: FieldValue>(_ key: StaticString, _ value: T?) {
        guard let value else { w.byte(0); return }
        w.byte(1)
        value.writeBinary(to: &w)
    }

    /// Writes an extras section.
    mutating func extras(_ extras: ExtraFields) {
        w.varint(UInt64(extras.fields.count))
        for f in extras.fields {
            w.string(f.name)
            w.string(f.json)
        }
    }
}
