import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage
import Synchronization

/// Exit codes of CLI.md: 1 refused input or failed check, 2 corruption or unusable ledger, 64 usage.
enum ExitStatus: Int32 {
    case refused = 1
    case damaged = 2
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

/// A JSON value written with keys in the order given (CLI.md: stable order), never a dictionary's.
indirect enum JSON {
    case string(String)
    case number(Double)
    case integer(Int)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    /// A string, or null when absent.
    static func optional(_ text: String?) -> JSON { text.map(JSON.string) ?? .null }

    /// The compact text.
    var text: String {
        var out = ""
        write(into: &out)
        return out
    }

    private func write(into out: inout String) {
        switch self {
        case .string(let value): out += Self.quote(value)
        case .number(let value): out += Self.format(value)
        case .integer(let value): out += String(value)
        case .bool(let value): out += value ? "true" : "false"
        case .null: out += "null"
        case .array(let values):
            out += "["
            for (index, value) in values.enumerated() {
                if index > 0 { out += "," }
                value.write(into: &out)
            }
            out += "]"
        case .object(let pairs):
            out += "{"
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out += "," }
                out += Self.quote(key) + ":"
                value.write(into: &out)
            }
            out += "}"
        }
    }

    /// Up to four decimals, no trailing zeros, no exponent: rates like 0.9833.
    private static func format(_ value: Double) -> String {
        let text = String(format: "%.4f", value)
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20: out += String(format: "\\u%04x", c.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
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
