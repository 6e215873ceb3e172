import CreditFacts
import Foundation
import LedgerStorage

/// One query as the audit log keeps it: who asked, in which role, why, what, about which instants,
/// and how much the answer held. When it was asked is the log record's recorded time.
///
/// The encoding is JSON with sorted keys, so the same entry is always the same bytes (and so the
/// same chain hash).
public struct AuditEntry: Codable, Sendable, Hashable {
    /// The principal (the server's principal name, or the operating-system user of a CLI query).
    public var principal: String
    /// The role the principal acted in (`cli` for the command line).
    public var role: String
    /// The purpose named (查询事由); nil for questions that need none (digest, head).
    public var purpose: String?
    /// How the question came: `http` or `cli`.
    public var channel: String
    /// What was asked: the route (`GET /v1/subjects/{code}`) or the command (`subject`).
    public var command: String
    /// The subject asked about, if the question names one.
    public var subject: String?
    /// The scene of a measures question.
    public var scene: String?
    /// The valid-time date asked about (YYYY-MM-DD).
    public var asOf: String?
    /// The transaction-time instant asked about (RFC 3339), as the answer states it.
    public var knownAt: String?
    /// How many records the answer held (the elements of its lists).
    public var answered: Int
    /// Every subject the answer named (unified social credit codes and citizen identity numbers),
    /// sorted: what makes "who looked at my record" answerable for people named in others' records.
    public var subjects: [String]
    /// Where the question came from: the client's address for `http` (nil on entries recorded
    /// before it was kept, and for the command line).
    public var remote: String?
    /// For an event stream or an export: which facts it delivered, by log position.
    public var delivery: FactDelivery?

    /// Creates an entry.
    public init(principal: String, role: String, purpose: String?, channel: String, command: String,
                subject: String? = nil, scene: String? = nil, asOf: String? = nil, knownAt: String? = nil,
                answered: Int = 0, subjects: [String] = [], remote: String? = nil, delivery: FactDelivery? = nil) {
        self.principal = principal
        self.role = role
        self.purpose = purpose
        self.channel = channel
        self.command = command
        self.subject = subject
        self.scene = scene
        self.asOf = asOf
        self.knownAt = knownAt
        self.answered = answered
        self.subjects = subjects
        self.remote = remote
        self.delivery = delivery
    }

    /// Whether the entry concerns `subject`: asked about it, or named it in the answer.
    public func concerns(_ subject: String) -> Bool { self.subject == subject || subjects.contains(subject) }

    /// The canonical bytes: `JSONEncoder`'s with sorted keys and unescaped slashes, absent
    /// members left out. Written by hand (``CanonicalWriter``) when no string needs an escape —
    /// every entry of a subject query; `JSONEncoder` was a tenth of the audit log's writer's
    /// time under load — and by `JSONEncoder` itself otherwise. A test holds the two to the
    /// same bytes.
    func encoded() -> [UInt8] {
        var writer = CanonicalWriter()
        writer.write(self)
        return writer.needsEscape ? encodedByFoundation() : writer.bytes
    }

    /// The canonical bytes as `JSONEncoder` writes them.
    func encodedByFoundation() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings, integers and arrays of strings cannot fail.
        return Array(try! encoder.encode(self))
    }
}

/// Writes an ``AuditEntry`` as `JSONEncoder` does with sorted keys and unescaped slashes — its
/// members in the order of their names' bytes, absent optionals left out — as long as no string
/// needs an escape (a quote, a backslash, a control character): then ``needsEscape`` is set and
/// the bytes are not to be used.
struct CanonicalWriter {
    private(set) var bytes: [UInt8] = []
    private(set) var needsEscape = false
    private var first = true

    init() { bytes.reserveCapacity(512) }

    mutating func write(_ entry: AuditEntry) {
        bytes.reserveCapacity(256 + entry.subjects.count * 21)
        open()
        member("answered") { $0.integer(entry.answered) }
        member("asOf", entry.asOf)
        member("channel", entry.channel)
        member("command", entry.command)
        if let delivery = entry.delivery { member("delivery") { $0.write(delivery) } }
        member("knownAt", entry.knownAt)
        member("principal", entry.principal)
        member("purpose", entry.purpose)
        member("remote", entry.remote)
        member("role", entry.role)
        member("scene", entry.scene)
        member("subject", entry.subject)
        member("subjects") { writer in
            writer.bytes.append(UInt8(ascii: "["))
            for (index, subject) in entry.subjects.enumerated() {
                if index > 0 { writer.bytes.append(UInt8(ascii: ",")) }
                writer.string(subject)
            }
            writer.bytes.append(UInt8(ascii: "]"))
        }
        close()
    }

    private mutating func write(_ delivery: FactDelivery) {
        open()
        member("event", delivery.event)
        member("from") { $0.integer(delivery.from) }
        if let next = delivery.next { member("next") { $0.integer(next) } }
        member("reason", delivery.reason)
        member("subscription", delivery.subscription)
        close()
    }

    private mutating func open() {
        bytes.append(UInt8(ascii: "{"))
        first = true
    }

    private mutating func close() {
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    private mutating func member(_ name: String, _ value: String?) {
        guard let value else { return }
        member(name) { $0.string(value) }
    }

    private mutating func member(_ name: String, _ value: (inout CanonicalWriter) -> Void) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        string(name)
        bytes.append(UInt8(ascii: ":"))
        value(&self)
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 where byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 {
            needsEscape = true
            break
        }
        bytes.append(contentsOf: text.utf8)
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func integer(_ value: some BinaryInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }
}

/// The facts an event stream or an export handed out, by log position: an auditor reads the
/// positions `from..<next` of the log to see what was disclosed (the facts passing the stream's
/// filter; the entry's `answered` counts those sent). A stream has two entries: `opened`, recorded
/// before its first event, and `closed`, when it ends, with the range and the reason. An export
/// has one, recorded before its first fact, with the range it is about to write.
public struct FactDelivery: Codable, Sendable, Hashable {
    /// `opened` or `closed` (an event stream), or `export`.
    public var event: String
    /// The first log position read.
    public var from: UInt64
    /// The position after the last one read (where a stream resumes); nil when a stream opens.
    public var next: UInt64?
    /// Why a stream ended (`closed` only).
    public var reason: String?
    /// The named subscription a stream serves.
    public var subscription: String?

    /// Creates a delivery.
    public init(event: String, from: UInt64, next: UInt64? = nil, reason: String? = nil, subscription: String? = nil) {
        self.event = event
        self.from = from
        self.next = next
        self.reason = reason
        self.subscription = subscription
    }
}

/// An audit entry where the log holds it.
public struct AuditRecord: Sendable, Hashable {
    /// Its position in the audit log.
    public var position: Position
    /// When it was recorded (the moment the answer was released).
    public var recorded: RecordedTime
    /// The entry.
    public var entry: AuditEntry
}

/// Which audit records to read: about one subject, and between two dates (China Standard Time,
/// both days included).
public struct AuditFilter: Sendable, Hashable {
    /// Only entries concerning this subject (asked about, or named in the answer).
    public var subject: String?
    /// The first day included.
    public var from: LegalDate?
    /// The last day included.
    public var to: LegalDate?

    /// Creates a filter; nil parts select everything.
    public init(subject: String? = nil, from: LegalDate? = nil, to: LegalDate? = nil) {
        self.subject = subject
        self.from = from
        self.to = to
    }

    /// Whether `record` passes.
    public func admits(_ record: AuditRecord) -> Bool {
        let day = Timestamp(record.recorded).chinaStandardDate
        if let from, day < from { return false }
        if let to, day > to { return false }
        if let subject, !record.entry.concerns(subject) { return false }
        return true
    }
}

/// Why the audit log could not record or be read. A query whose entry cannot be recorded is
/// refused: recording is part of answering.
public enum QueryAuditError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The entry could not be made durable (disk full, I/O error, the log closed or damaged).
    case cannotRecord(directory: String, reason: String)
    /// Another process holds the audit log's writer lock (a running `credit-ledger serve`).
    case held(directory: String, holder: String)
    /// The audit log cannot be opened or read: damaged, or a record that is not an entry.
    case damaged(directory: String, reason: String)
    /// The ledger has no audit log.
    case missing(directory: String)

    public var description: String {
        switch self {
        case let .cannotRecord(directory, reason):
            return "the query cannot be recorded in the audit log \(directory), so it is not answered: \(reason)"
        case let .held(directory, holder):
            return "the audit log \(directory) is held by another process (\(holder)), usually `credit-ledger serve`: ask the server, which records the query, or stop it first"
        case let .damaged(directory, reason):
            return "the audit log \(directory) is damaged, so no query is answered: \(reason)"
        case let .missing(directory):
            return "no audit log at \(directory) (it is created by `credit-ledger serve`)"
        }
    }
}
