import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage
import Synchronization

/// Exit codes of CLI.md: 1 refused input or failed check, 2 corruption or unusable ledger, 3 the
/// subject asked about is not registered in this ledger (the document is printed all the same),
/// 64 usage.
enum ExitStatus: Int32 {
    case refused = 1
    case damaged = 2
    case notInLedger = 3
    case usage = 64
}

/// A failure to report on stderr with its exit status.
struct CLIFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    var message: String
    var description: String { message }

    /// The exit status a ledger error calls for.
    init(_ error: any Error) {
        message = "\(error)"
        switch error {
        case LedgerError.refused: status = .refused
        case LedgerError.log(.damaged), LedgerError.undecodable: status = .damaged
        case LedgerError.log(.locked): status = .damaged
        case LedgerError.unsupported: status = .refused
        case let failure as CLIFailure: self = failure
        case ImportError.input, ImportError.rejects: status = .refused
        case ImportError.rejectsIsInput: status = .usage
        case ImportError.interrupted(let cause?, nil, _, _): status = CLIFailure(cause).status
        case ImportError.interrupted(_, let cause?, _, _): status = CLIFailure(cause).status
        default: status = .damaged
        }
    }

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }
}

/// Writes to stderr.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Progress of a long command on stderr (docs/cli.md, "Progress"). On a terminal (stdout and
/// stderr both): rate, ETA and the phase on one rewritten line, ten redraws a second at most. Off a
/// terminal (a log, CI, a pipe): one plain line every `CREDIT_LEDGER_PROGRESS_SECONDS` seconds
/// (default 10; 0 writes every update), so a long import in a log still shows it is moving; a
/// command shorter than that writes nothing. One counter runs over every phase: a phase change
/// renames the line, it never restarts the count.
final class Progress: Sendable {
    private let label: String
    private let total: Int?
    private let unit: String
    private let start = DispatchTime.now().uptimeNanoseconds
    /// When a line was last written, and the phase: updates come from replay's worker threads.
    private let state = Mutex<(last: UInt64, phase: String?)>((0, nil))
    private let onTerminal = isatty(1) != 0 && isatty(2) != 0
    /// Nanoseconds between lines.
    private let interval: UInt64

    init(_ label: String, total: Int? = nil, unit: String = "facts") {
        self.label = label
        self.total = total
        self.unit = unit
        if onTerminal {
            interval = 100_000_000
        } else {
            let seconds = ProcessInfo.processInfo.environment["CREDIT_LEDGER_PROGRESS_SECONDS"].flatMap(Double.init) ?? 10
            interval = UInt64(max(0, seconds) * 1e9)
        }
    }

    /// Reports `done` units, and optionally how much of the whole is done (for the ETA when the
    /// total is in other units, e.g. bytes of a file read), in `phase` when given (it stays until
    /// another is given); a new phase is written at once.
    func update(_ done: Int, fraction known: Double? = nil, phase: String? = nil) {
        state.withLock { state in
            let now = DispatchTime.now().uptimeNanoseconds
            let newPhase = phase != nil && phase != state.phase
            if let phase { state.phase = phase }
            // Off a terminal the first line waits a whole interval from the start (a short command
            // writes nothing), and a new phase shows at once only once a line was written.
            let due = now - max(state.last, onTerminal ? 0 : start) >= interval
            guard due || newPhase && (onTerminal || state.last != 0) else { return }
            state.last = now
            write(done, fraction: known, phase: state.phase, at: now)
        }
    }

    /// Writes the line: rewritten in place on a terminal, a new line otherwise.
    private func write(_ done: Int, fraction known: Double?, phase: String?, at now: UInt64) {
        let seconds = Double(now - start) / 1e9
        let rate = Double(done) / max(seconds, 1e-9)
        var line = "\(label)\(phase.map { " (\($0))" } ?? ""): \(Self.grouped(done)) \(unit)  \(Self.grouped(Int(rate)))/s"
        if let fraction = known ?? total.map({ min(1, Double(done) / Double(max($0, 1))) }) {
            let eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0
            line += String(format: "  %3.0f%%  ETA %.0fs", fraction * 100, eta)
        }
        FileHandle.standardError.write(Data((onTerminal ? "\r" + line + "   " : line + "\n").utf8))
    }

    /// `value` with thousands separators, by hand: Foundation's `formatted()` loads ICU's data, which
    /// a memory-limited import (and any locale of the machine) must not depend on.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = value < 0 ? "-" : ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(digit)
        }
        return out
    }

    /// Clears the progress line on a terminal.
    func finish() {
        guard onTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

/// Seconds since `start` (from `DispatchTime.now().uptimeNanoseconds`).
func secondsSince(_ start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

/// Ends a query about `subject` with exit status 3 when the ledger holds no fact about it, after
/// its document was printed: a script must not take an empty record for a clean one.
func requireInLedger(_ subject: SubjectCode, _ inLedger: Bool) throws {
    guard inLedger else { throw CLIFailure(.notInLedger, NotInLedger.notice(subject)) }
}
