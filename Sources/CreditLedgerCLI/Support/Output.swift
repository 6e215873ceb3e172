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

/// Progress on a terminal: rate and ETA on one rewritten stderr line; silent when stdout is not a
/// terminal (CLI.md), so scripts and CI logs stay clean.
final class Progress: Sendable {
    private let label: String
    private let total: Int?
    private let unit: String
    private let start = DispatchTime.now().uptimeNanoseconds
    /// When the line was last redrawn: updates come from replay's worker threads.
    private let last = Mutex<UInt64>(0)
    private let enabled = isatty(1) != 0 && isatty(2) != 0

    init(_ label: String, total: Int? = nil, unit: String = "facts") {
        self.label = label
        self.total = total
        self.unit = unit
    }

    /// Reports `done` units, and optionally how much of the whole is done (for the ETA when the
    /// total is in other units, e.g. bytes of a file read), rate-limited to ten redraws a second.
    func update(_ done: Int, fraction known: Double? = nil) {
        guard enabled else { return }
        last.withLock { last in
            let now = DispatchTime.now().uptimeNanoseconds
            guard now - last > 100_000_000 else { return }
            last = now
            draw(done, fraction: known, at: now)
        }
    }

    /// Rewrites the line.
    private func draw(_ done: Int, fraction known: Double?, at now: UInt64) {
        let seconds = Double(now - start) / 1e9
        let rate = Double(done) / max(seconds, 1e-9)
        var line = "\r\(label): \(done.formatted()) \(unit)  \(Int(rate).formatted())/s"
        if let fraction = known ?? total.map({ min(1, Double(done) / Double(max($0, 1))) }) {
            let eta = fraction > 0 ? seconds * (1 - fraction) / fraction : 0
            line += String(format: "  %3.0f%%  ETA %.0fs", fraction * 100, eta)
        }
        FileHandle.standardError.write(Data((line + "   ").utf8))
    }

    /// Clears the progress line.
    func finish() {
        guard enabled else { return }
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
