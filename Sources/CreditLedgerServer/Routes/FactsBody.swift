import CreditDocuments
import CreditFacts

/// The facts of one `POST /v1/facts` body, interchange v1 as JSON Lines (one fact a line) or as a
/// JSON array of facts. Every element that is not a fact is kept as a refusal with its index
/// (0-based, in the body's order), field and reason, so that the whole request can be refused
/// listing all of them.
struct FactsBody {
    /// The body's shape, from its content type.
    enum Shape {
        case jsonLines, jsonArray

        /// The shape a `Content-Type` names; nil for any other type (415).
        init?(contentType: String?) {
            let type = contentType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            switch type {
            case "application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines": self = .jsonLines
            case "application/json": self = .jsonArray
            default: return nil
            }
        }
    }

    /// One element of the body that could not be read as a fact.
    struct Unreadable {
        var index: Int
        var field: String
        var reason: String
        /// The refusal's kind (a ``FactError/Kind``), as the intake counters count it.
        var kind: String
        /// The source the element names, when that much of it can be read (``RefusedLineSource``).
        var source: SourceID?
    }

    var facts: [Fact] = []
    var unreadable: [Unreadable] = []

    /// Reads `bytes` as `shape`, refusing with 413 past `maxFacts` elements and with 400 a body
    /// that is not JSON of that shape at all.
    init(_ bytes: [UInt8], shape: Shape, maxFacts: Int) throws(ServerError) {
        switch shape {
        case .jsonLines: try readLines(bytes, maxFacts: maxFacts)
        case .jsonArray: try readArray(bytes, maxFacts: maxFacts)
        }
        guard facts.count + unreadable.count > 0 else { throw ServerError(.badRequest, "the body holds no fact") }
    }

    private mutating func readLines(_ bytes: [UInt8], maxFacts: Int) throws(ServerError) {
        var reader = JSONLinesReader()
        var count = 0
        var tooMany = false
        // Events rather than results: a refused line's bytes tell the source it names.
        func take(_ event: LineEvent) {
            let refused: (FactError, UnsafeBufferPointer<UInt8>)
            switch event {
            case .line(.fact(let fact, let line, _), _):
                count += 1
                guard count <= maxFacts else { tooMany = true; return }
                accept(fact, index: line - 1)
                return
            case .line(.refused(let error), let raw): refused = (error, raw)
            case .overlong(let error, let raw): refused = (error, raw)
            case .overlongMore, .overlongEnd: return
            }
            count += 1
            guard count <= maxFacts else { tooMany = true; return }
            let (error, raw) = refused
            unreadable.append(Unreadable(index: error.line - 1, field: error.field, reason: error.reason, kind: error.kind.rawValue,
                                         source: RefusedLineSource.source(in: raw)))
        }
        bytes.withUnsafeBufferPointer { reader.feed(events: $0, take) }
        reader.finish(events: take)
        if tooMany { throw Self.tooMany(count, maxFacts) }
    }

    private mutating func readArray(_ bytes: [UInt8], maxFacts: Int) throws(ServerError) {
        let elements = try Self.arrayElements(bytes)
        if elements.count > maxFacts { throw Self.tooMany(elements.count, maxFacts) }
        var codec = FactJSONCodec()
        for (index, range) in elements.enumerated() {
            do {
                accept(try codec.decode(String(decoding: bytes[range], as: UTF8.self), lineNumber: index + 1), index: index)
            } catch {
                unreadable.append(Unreadable(index: index, field: error.field, reason: error.reason, kind: error.kind.rawValue,
                                             source: bytes[range].withUnsafeBufferPointer { RefusedLineSource.source(in: $0) }))
            }
        }
    }

    /// The body index of each fact in ``facts``.
    var indices: [Int] = []

    /// Keeps a decoded fact, unless it brings its own `recorded` time: over HTTP the ledger
    /// records the time (history migration keeps its times through `import --backfill`).
    private mutating func accept(_ fact: Fact, index: Int) {
        guard fact.recorded == nil else {
            unreadable.append(Unreadable(index: index, field: "recorded",
                                         reason: "set by the ledger when it records the fact; only `credit-ledger import --backfill` keeps it",
                                         kind: FactError.Kind.invalidValue.rawValue, source: fact.source))
            return
        }
        facts.append(fact)
        indices.append(index)
    }

    private static func tooMany(_ count: Int, _ limit: Int) -> ServerError {
        ServerError(.contentTooLarge, "\(count) facts in one request; the limit is \(limit) facts per request")
    }

    /// The byte ranges of the top-level elements of a JSON array, found by tracking strings and
    /// nesting (each element is then decoded by the interchange codec, which checks it fully).
    static func arrayElements(_ bytes: [UInt8]) throws(ServerError) -> [Range<Int>] {
        func malformed(_ at: Int, _ what: String) -> ServerError {
            ServerError(.badRequest, "malformed JSON at byte \(at): \(what) (expected an array of interchange v1 facts)")
        }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        var i = 0
        while i < bytes.count && isSpace(bytes[i]) { i += 1 }
        guard i < bytes.count, bytes[i] == UInt8(ascii: "[") else { throw malformed(i, "not an array") }
        i += 1
        var elements: [Range<Int>] = []
        var depth = 0, start: Int?, inString = false, escaped = false
        while i < bytes.count {
            let byte = bytes[i]
            if inString {
                if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
            } else if byte == UInt8(ascii: "\"") {
                inString = true
                if start == nil { start = i }
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
                if start == nil { start = i }
            } else if (byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]")) && depth > 0 {
                depth -= 1
            } else if depth == 0 && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "]")) {
                guard let first = start else {
                    guard byte == UInt8(ascii: "]") && elements.isEmpty else { throw malformed(i, "an empty element") }
                    guard Self.rest(bytes, after: i + 1) else { throw malformed(i + 1, "text after the array") }
                    return []
                }
                var end = i
                while end > first && isSpace(bytes[end - 1]) { end -= 1 }
                elements.append(first..<end)
                start = nil
                if byte == UInt8(ascii: "]") {
                    guard Self.rest(bytes, after: i + 1) else { throw malformed(i + 1, "text after the array") }
                    return elements
                }
            } else if !isSpace(byte) && start == nil {
                start = i
            }
            i += 1
        }
        throw malformed(bytes.count, inString ? "an unterminated string" : "the array is not closed")
    }

    /// Whether only white space follows `index`.
    private static func rest(_ bytes: [UInt8], after index: Int) -> Bool {
        bytes[min(index, bytes.count)...].allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    }
}
