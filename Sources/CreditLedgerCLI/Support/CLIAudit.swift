import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage
import Synchronization

/// How the command line's queries are audited. A ledger with a query audit log (`LEDGER/audit/`,
/// created by `credit-ledger serve`) records every query the command line answers from it, as the
/// server does: the query must name its purpose (`--purpose`), the principal is the operating-system
/// user, and the answer (stdout and any file a command writes) is held back until its entry is
/// durable in the audit log. If it cannot be recorded — the audit log is damaged, the disk is full,
/// or a running server holds the audit log's writer lock — nothing is answered and the command
/// fails naming why (exit 2). A query is never answered unrecorded: one writer per audit log keeps
/// it one hash chain, and while the server runs, it is the place to ask.
enum CLIAudit {
    /// What waits for the audit entry to be recorded.
    private enum Output {
        case stdout(String)
        case file(path: String, bytes: Data)
        /// A binary file (a PDF printed from a page that was masked when rendered), written as it is.
        case binary(path: String, bytes: Data)
    }

    private struct Pending {
        var ledger: String
        var purpose: String
        var output: [Output] = []
    }

    private static let pending = Mutex<Pending?>(nil)

    /// Starts auditing this run's query on `ledger`, if it has an audit log: `purpose` is required.
    /// Commands that only read the audit log or the files (`audit`, `verify`) do not come here.
    static func begin(ledger: String, purpose: String?) throws {
        guard QueryAuditLog.exists(ledgerDirectory: ledger) else { return }
        guard let purpose = purpose?.trimmingCharacters(in: .whitespaces), !purpose.isEmpty else {
            throw CLIFailure(.usage, "the ledger at \(ledger) keeps a query audit log: name the query's purpose (查询事由) with --purpose")
        }
        Self.pending.withLock { $0 = Pending(ledger: ledger, purpose: purpose) }
    }

    /// Prints `text` (identity numbers masked as this run shows them), or holds it back until the
    /// query is recorded.
    static func write(_ text: String) {
        let held = pending.withLock { pending -> Bool in
            guard pending != nil else { return false }
            pending!.output.append(.stdout(text))
            return true
        }
        if !held { FileHandle.standardOutput.write(Data(IdentityOutput.apply(text).utf8)) }
    }

    /// Writes a file a command produces (a page, a report), or holds it back until the query is recorded.
    static func write(file path: String, _ text: String) throws {
        let held = pending.withLock { pending -> Bool in
            guard pending != nil else { return false }
            pending!.output.append(.file(path: path, bytes: Data(text.utf8)))
            return true
        }
        if !held { try writeFile(path, Data(IdentityOutput.apply(text).utf8)) }
    }

    /// Writes a binary file a command produces (a PDF), or holds it back until the query is recorded.
    static func write(file path: String, binary bytes: Data) throws {
        let held = pending.withLock { pending -> Bool in
            guard pending != nil else { return false }
            pending!.output.append(.binary(path: path, bytes: bytes))
            return true
        }
        if !held { try writeFile(path, bytes) }
    }

    private static func writeFile(_ path: String, _ bytes: Data) throws {
        do { try bytes.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIFailure(.refused, "cannot write \(path): \((error as NSError).localizedDescription)")
        }
    }

    /// Records the query and then releases its answer; if it cannot be recorded the answer is
    /// dropped and the failure thrown. Nothing to do when the run was not audited, or when it
    /// failed before answering anything (`bodyFailed` and no output).
    static func finish(bodyFailed: Bool) throws {
        guard let run = pending.withLock({ pending in defer { pending = nil }; return pending }) else { return }
        if bodyFailed && run.output.isEmpty { return }
        try record(entry(for: run), ledger: run.ledger)
        for output in run.output {
            switch output {
            case .stdout(let text): FileHandle.standardOutput.write(Data(IdentityOutput.apply(text).utf8))
            case .file(let path, let bytes): try writeFile(path, Data(IdentityOutput.apply(String(decoding: bytes, as: UTF8.self)).utf8))
            case .binary(let path, let bytes): try writeFile(path, bytes)
            }
        }
    }

    /// Records this run's query at once, before any of its answer is written, for a command that
    /// streams its answer instead of printing it at the end (`export`): the entry says what the
    /// answer is about to hold — `answered` records, the log positions of `delivery`. If it cannot
    /// be recorded nothing may be written and the failure is thrown (exit 2). Nothing to do when
    /// the run is not audited.
    static func recordBeforeStreaming(answered: Int, delivery: FactDelivery) throws {
        guard let run = pending.withLock({ pending in defer { pending = nil }; return pending }) else { return }
        var entry = entry(for: run)
        entry.asOf = nil
        entry.knownAt = nil
        entry.answered = answered
        entry.delivery = delivery
        try record(entry, ledger: run.ledger)
    }

    /// Appends `entry` to the audit log of `ledger` durably, closing it after; exit 2 when it cannot.
    private static func record(_ entry: AuditEntry, ledger: String) throws {
        do {
            let audit = try QueryAuditLog.open(ledgerDirectory: ledger)
            let recorded = Result { try audit.record([entry]) }
            try audit.close()  // a failure to close is an error too, never swallowed
            _ = try recorded.get()
        } catch { throw CLIFailure(.damaged, "\(error)") }
    }

    /// The audit entry of this run: the command and what its arguments name, and what its answer held.
    private static func entry(for run: Pending) -> AuditEntry {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func value(_ option: String) -> String? {
            guard let index = arguments.firstIndex(of: option), index + 1 < arguments.count else { return nil }
            return arguments[index + 1]
        }
        let text = run.output.map { output -> String in
            switch output {
            case .stdout(let text): return text
            case .file(_, let bytes): return String(decoding: bytes, as: UTF8.self)
            case .binary: return ""  // a PDF: its page was counted nowhere else, and holds no text to read here
            }
        }.joined()
        let subject = arguments.dropFirst().first { (try? SubjectCode($0)) != nil }
        let answered = AuditDocuments.answeredCount(jsonText: text) ?? text.split(separator: "\n").count
        var subjects = AuditDocuments.subjectsNamed(inText: text)
        if let subject, !subjects.contains(subject) { subjects = (subjects + [subject]).sorted() }
        return AuditEntry(
            principal: operatingSystemUser(), role: "cli", purpose: run.purpose, channel: "cli", command: arguments.first ?? "",
            subject: subject, scene: value("--scene"),
            asOf: value("--as-of") ?? Timestamp(RecordedTime.now()).chinaStandardDate.description,
            knownAt: value("--known-at") ?? Timestamp(RecordedTime.now()).description, answered: answered, subjects: subjects)
    }

    /// `name (uid N)` of the effective user.
    private static func operatingSystemUser() -> String {
        let uid = geteuid()
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return "uid \(uid)" }
        return "\(String(cString: name)) (uid \(uid))"
    }
}
