#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads and writes one fact as one line of INTERCHANGE v1 JSON.
///
/// Reading validates every field and every cross-field rule and keeps unknown fields verbatim.
/// Writing is canonical: envelope keys in the order `id, type, subject, source, effective, reported,
/// recorded, body`, body keys in the order of INTERCHANGE.md, then unknown fields sorted by key; no
/// whitespace. So a line read and written back is byte-identical whenever it was canonical already.
public struct FactJSONCodec: Sendable {
    /// Scratch storage reused between lines so that decoding allocates only the fact's own strings.
    private var topMembers: [JSONScanner.Member] = []
    private var bodyMembers: [JSONScanner.Member] = []

    /// Creates a codec. One codec per thread: it keeps scratch buffers.
    public init() {
        topMembers.reserveCapacity(JSONScanner.maxMembers)
        bodyMembers.reserveCapacity(JSONScanner.maxMembers)
    }

    /// Decodes one line of text (without its newline).
    /// - Throws: ``FactError`` with `lineNumber`, the field and the reason.
    public mutating func decode(_ line: String, lineNumber: Int = 1) throws(FactError) -> Fact {
        try withUTF8(line) { (b) throws(FactError) in try decode(utf8: b, lineNumber: lineNumber) }
    }

    /// Decodes one line of UTF-8 bytes (without its newline).
    /// - Throws: ``FactError`` with `lineNumber`, the field and the reason.
    public mutating func decode(utf8 line: UnsafeBufferPointer<UInt8>, lineNumber: Int) throws(FactError) -> Fact {
        do throws(FactProblem) { return try decodeFact(line) } catch { throw FactError(line: lineNumber, error) }
    }

    /// Appends the canonical line for `fact` (without a newline) to `bytes`.
    public static func encode(_ fact: Fact, into bytes: inout [UInt8]) {
        // The buffer is moved (swapped) between writers, never shared: a second reference would make
        // the next append copy the whole buffer.
        var w = JSONFieldWriter(out: JSONOutput())
        swap(&w.out.bytes, &bytes)
        w.out.raw("{")
        w.field("id", fact.id)
        w.field("type", fact.type)
        w.field("subject", fact.subject)
        w.field("source", fact.source)
        w.field("effective", fact.effective)
        w.optionalField("reported", fact.reported)
        w.optionalField("recorded", fact.recorded)
        w.key("body")
        var bodyWriter = JSONFieldWriter(out: JSONOutput())
        swap(&bodyWriter.out, &w.out)
        bodyWriter.out.raw("{")
        fact.body.write(to: &bodyWriter)
        bodyWriter.extras(fact.bodyExtras)
        bodyWriter.out.raw("}")
        swap(&bodyWriter.out, &w.out)
        w.extras(fact.extras)
        w.out.raw("}")
        swap(&w.out.bytes, &bytes)
    }

    /// The canonical line for `fact`, without a newline.
    public static func encode(_ fact: Fact) -> String {
        var bytes: [UInt8] = []
        encode(fact, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Scans the envelope, then the body, then checks cross-field rules.
    private mutating func decodeFact(_ line: UnsafeBufferPointer<UInt8>) throws(FactProblem) -> Fact {
        guard isValidUTF8(line) else { throw FactProblem(kind: .malformedJSON, reason: "not valid UTF-8") }
        let scanner = JSONScanner(base: line)
        var i = 0
        scanner.skipWhitespace(&i)
        topMembers.removeAll(keepingCapacity: true)
        try scanner.scanObject(&i, into: &topMembers, depth: 0)
        scanner.skipWhitespace(&i)
        guard i == line.count else { throw JSONScanner.malformed("text after the object at byte \(i + 1)") }
        var top = JSONFieldReader(scanner: scanner, members: topMembers, prefix: "")
        try top.rejectDuplicates()
        let type: FactType
        do throws(FactProblem) { type = try top.field("type") } catch {
            throw error.kind == .unknownValue ? FactProblem(kind: .unknownType, field: "type", reason: error.reason) : error
        }
        var fact = Fact(source: try top.field("source"), id: try top.field("id"), subject: try top.field("subject"),
                        effective: try top.field("effective"), reported: try top.optionalField("reported"),
                        recorded: try top.optionalField("recorded"), body: .penaltyPerformed(PenaltyPerformance(decisionNo: DecisionNo(unchecked: "-"))))
        let body = try top.value(of: "body")
        guard body.lead == UInt8(ascii: "{") else { throw body.wrongType("an object").nested(in: "body") }
        (fact.body, fact.bodyExtras) = try decodeBody(type, body)
        fact.extras = top.unconsumed()
        if let problem = fact.validationProblem() { throw problem }
        return fact
    }

    /// Reads the body object of a fact of `type`.
    private mutating func decodeBody(_ type: FactType, _ body: JSONValue) throws(FactProblem) -> (FactBody, ExtraFields) {
        bodyMembers.removeAll(keepingCapacity: true)
        var i = body.start
        try body.scanner.scanObject(&i, into: &bodyMembers, depth: 1)
        var reader = JSONFieldReader(scanner: body.scanner, members: bodyMembers, prefix: "body.")
        try reader.rejectDuplicates()
        let payload = try FactBody.read(type, from: &reader)
        return (payload, reader.unconsumed())
    }
}

/// Reads fields of one scanned object by key, remembering which were used so that the rest can be
/// kept as extras.
struct JSONFieldReader: FieldReader {
    let scanner: JSONScanner
    let members: [JSONScanner.Member]
    /// Prepended to keys in error paths (`body.`).
    let prefix: StaticString
    /// Bit i set when member i was read.
    var consumed: UInt64 = 0

    /// The error path of `key`.
    func path(_ key: StaticString) -> String { prefix.description + key.description }

    /// Index of the member named `key`.
    func find(_ key: StaticString) -> Int? {
        members.indices.first { scanner.keyEquals(members[$0], key) }
    }

    /// The value of a required member, marking it read.
    mutating func value(of key: StaticString) throws(FactProblem) -> JSONValue {
        guard let k = find(key) else { throw FactProblem(kind: .missingField, field: path(key), reason: "is required") }
        consumed |= 1 << UInt64(k)
        return JSONValue(scanner: scanner, start: members[k].valueStart, end: members[k].valueEnd)
    }

    mutating func field<T: FieldValue>(_ key: StaticString) throws(FactProblem) -> T {
        let v = try value(of: key)
        do throws(FactProblem) { return try T.fromJSON(v) } catch { throw error.nested(in: path(key)) }
    }

    mutating func optionalField<T: FieldValue>(_ key: StaticString) throws(FactProblem) -> T? {
        guard let k = find(key) else { return nil }
        consumed |= 1 << UInt64(k)
        let v = JSONValue(scanner: scanner, start: members[k].valueStart, end: members[k].valueEnd)
        // null is accepted as "absent" for optional fields: exporters commonly write it.
        if v.isNull { return nil }
        do throws(FactProblem) { return try T.fromJSON(v) } catch { throw error.nested(in: path(key)) }
    }

    /// Refuses an object that names a key twice (which value wins is undefined in JSON).
    func rejectDuplicates() throws(FactProblem) {
        for a in members.indices {
            for b in members.indices where b > a {
                let ma = members[a], mb = members[b]
                let length = ma.keyEnd - ma.keyStart
                let same: Bool
                if ma.keyHasEscape || mb.keyHasEscape {
                    same = scanner.key(ma) == scanner.key(mb)
                } else {
                    same = length == mb.keyEnd - mb.keyStart
                        && memcmp(scanner.base.baseAddress! + ma.keyStart, scanner.base.baseAddress! + mb.keyStart, length) == 0
                }
                if same {
                    throw FactProblem(kind: .duplicateField, field: prefix.description + scanner.key(ma), reason: "appears more than once")
                }
            }
        }
    }

    /// The members never read, as extras.
    func unconsumed() -> ExtraFields {
        guard consumed.nonzeroBitCount < members.count else { return ExtraFields() }
        var fields: [ExtraFields.Field] = []
        for (k, m) in members.enumerated() where consumed & (1 << UInt64(k)) == 0 {
            let v = JSONValue(scanner: scanner, start: m.valueStart, end: m.valueEnd)
            fields.append(ExtraFields.Field(name: scanner.key(m), json: v.minified))
        }
        return ExtraFields(fields)
    }
}

/// Writes `"key":value` pairs separated by commas.
struct JSONFieldWriter: FieldWriter {
    var out: JSONOutput
    var first = true

    /// Writes the key and colon, with a comma before all but the first.
    mutating func key(_ key: StaticString) {
        if first { first = false } else { out.raw(",") }
        out.raw("\"")
        out.raw(key)
        out.raw("\":")
    }

    mutating func field<T: FieldValue>(_ key: StaticString, _ value: T) {
        self.key(key)
        value.writeJSON(to: &out)
    }

    mutating func optionalField<T: FieldValue>(_ key: StaticString, _ value: T?) {
        guard let value else { return }
        field(key, value)
    }

    /// Writes unknown fields verbatim, in their (sorted) order.
    mutating func extras(_ extras: ExtraFields) {
        for f in extras.fields {
            if first { first = false } else { out.raw(",") }
            out.string(f.name)
            out.raw(":")
            out.bytes.append(contentsOf: f.json.utf8)
        }
    }
}
