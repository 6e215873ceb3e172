import Foundation
import CreditFacts
import CreditLedger
import LedgerStorage

/// The audit log's answers (`credit-ledger audit --json`, `GET /v1/audit`), and what an answer
/// discloses, for its audit entry.
public enum AuditDocuments {
    /// `{"subject","from","to","count","entries":[…]}`: the records in the order they were recorded.
    public static func document(_ records: [AuditRecord], filter: AuditFilter) -> JSON {
        .object([
            ("subject", .optional(filter.subject)), ("from", .optional(filter.from?.description)),
            ("to", .optional(filter.to?.description)), ("count", .integer(records.count)),
            ("entries", .array(records.map(json))),
        ])
    }

    /// One record: position, recorded (RFC 3339, China Standard Time) and the entry's fields.
    public static func json(_ record: AuditRecord) -> JSON {
        let entry = record.entry
        return .object([
            ("position", .integer(Int(record.position.rawValue))),
            ("recorded", .string(chinaStandardTime(record.recorded))),
            ("principal", .string(entry.principal)), ("role", .string(entry.role)), ("purpose", .optional(entry.purpose)),
            ("channel", .string(entry.channel)), ("command", .string(entry.command)), ("subject", .optional(entry.subject)),
            ("scene", .optional(entry.scene)), ("asOf", .optional(entry.asOf)), ("knownAt", .optional(entry.knownAt)),
            ("answered", .integer(entry.answered)), ("subjects", .array(entry.subjects.map(JSON.string))),
            ("remote", .optional(entry.remote)), ("delivery", entry.delivery.map(json) ?? .null),
        ])
    }

    /// What a stream or export delivered: `{"event","from","next","reason","subscription"}`.
    static func json(_ delivery: FactDelivery) -> JSON {
        .object([
            ("event", .string(delivery.event)), ("from", .integer(Int(delivery.from))),
            ("next", delivery.next.map { .integer(Int($0)) } ?? .null), ("reason", .optional(delivery.reason)),
            ("subscription", .optional(delivery.subscription)),
        ])
    }

    /// One line per record, for a terminal.
    public static func text(_ records: [AuditRecord]) -> String {
        var lines = ["\(records.count) audit entr\(records.count == 1 ? "y" : "ies")"]
        for record in records {
            let entry = record.entry
            var line = "\(chinaStandardTime(record.recorded))  \(entry.principal) (\(entry.role), \(entry.channel))  \(entry.command)"
            if let subject = entry.subject { line += " \(subject)" }
            if let scene = entry.scene { line += " scene=\(scene)" }
            if let delivery = entry.delivery {
                line += " \(delivery.event)" + (delivery.subscription.map { " subscription=\($0)" } ?? "")
                    + " positions \(delivery.from)..<" + (delivery.next.map { "\($0)" } ?? "") + (delivery.reason.map { " (\($0))" } ?? "")
            }
            if let remote = entry.remote { line += " from \(remote)" }
            line += "  purpose: \(entry.purpose ?? "-")  answered \(entry.answered)"
            if entry.subjects.count > 1 || (entry.subjects.first.map { $0 != entry.subject } ?? false) {
                line += "  naming \(entry.subjects.count) subject(s)"
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// The instant in China Standard Time.
    static func chinaStandardTime(_ time: RecordedTime) -> String {
        let micros = time.microsecondsSinceEpoch
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let stamp = Timestamp(secondsSinceEpoch: seconds, nanoseconds: UInt32(micros - seconds * 1_000_000) * 1000,
                              offsetMinutes: Timestamp.chinaStandardTimeOffsetMinutes)
        return stamp?.description ?? time.description
    }

    /// How many records an answer held: the elements of every list in it, counted at every depth
    /// (a subject document's roles, a report's records, a draw's subjects).
    public static func answeredCount(_ document: JSON) -> Int {
        switch document {
        case .array(let values): return values.count + values.reduce(0) { $0 + answeredCount($1) }
        case .object(let pairs): return pairs.reduce(0) { $0 + answeredCount($1.1) }
        default: return 0
        }
    }

    /// ``answeredCount(_:)`` of an answer printed as JSON text (the command line's `--json`); nil
    /// when the text is not one JSON document (a text answer).
    public static func answeredCount(jsonText text: String) -> Int? {
        guard let value = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) else { return nil }
        func count(_ value: Any) -> Int {
            if let array = value as? [Any] { return array.count + array.reduce(0) { $0 + count($1) } }
            if let object = value as? [String: Any] { return object.values.reduce(0) { $0 + count($1) } }
            return 0
        }
        return count(value)
    }

    /// Every valid subject code (unified social credit code or citizen identity number) an answer
    /// names in any of its strings, sorted and without repeats: whose information it disclosed.
    public static func subjectsNamed(in document: JSON) -> [String] {
        var found: Set<String> = []
        collect(document, into: &found)
        return found.sorted()
    }

    /// ``subjectsNamed(in:)`` for an answer as text (a text report, a page).
    public static func subjectsNamed(inText text: String) -> [String] {
        var found: Set<String> = []
        collect(text, into: &found)
        return found.sorted()
    }

    /// The codes in `text`: its tokens of 18 characters that are valid subject codes, a token
    /// being a run of characters that are ASCII letters or digits. Read as UTF-8 bytes, which is
    /// the same as reading characters except next to a non-ASCII character: a combining mark
    /// after an ASCII letter, or a prepended mark before one, makes one character of both, which
    /// ends a token. So a run of 18 to 20 ASCII letters and digits touching a non-ASCII byte is
    /// read again by characters (``collectByCharacter(_:into:)``); the answers' texts rarely
    /// have one, and scanning every string by characters was most of an audit entry's cost.
    private static func collect(_ text: String, into found: inout Set<String>) {
        var text = text
        var codes: [String] = []
        let byBytes = text.withUTF8 { bytes -> Bool in
            func isAlphanumeric(_ byte: UInt8) -> Bool {
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                    || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            }
            var start = 0
            for end in 0...bytes.count {
                if end < bytes.count && isAlphanumeric(bytes[end]) { continue }
                defer { start = end + 1 }
                let length = end - start
                guard (18...20).contains(length) else { continue }
                if (start > 0 && bytes[start - 1] >= 0x80) || (end < bytes.count && bytes[end] >= 0x80) { return false }
                if length == 18, let code = try? SubjectCode(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)) {
                    codes.append(code.description)
                }
            }
            return true
        }
        guard byBytes else { return collectByCharacter(text, into: &found) }
        found.formUnion(codes)
    }

    /// ``collect(_:into:)`` by characters (grapheme clusters).
    static func collectByCharacter(_ text: String, into found: inout Set<String>) {
        for token in text.split(whereSeparator: { !($0.isASCII && ($0.isLetter || $0.isNumber)) }) where token.count == 18 {
            if let code = try? SubjectCode(String(token)) { found.insert(code.description) }
        }
    }

    private static func collect(_ value: JSON, into found: inout Set<String>) {
        switch value {
        case .string(let text): collect(text, into: &found)
        case .array(let values): for element in values { collect(element, into: &found) }
        case .object(let pairs): for (_, element) in pairs { collect(element, into: &found) }
        default: break
        }
    }
}
