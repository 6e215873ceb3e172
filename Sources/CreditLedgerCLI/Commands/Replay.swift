import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerPostgres
import LedgerStorage

/// `replay`: rebuild every view from the log alone and report the rate.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every view from the log alone (no snapshot); print facts=N seconds=S facts/s=R digest=HEX.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    func run() throws {
        try CreditLedgerCommand.run {
            // The views are rebuilt from the log and their digest taken before the ledger is
            // opened, so the rebuilt set is released before the live one is loaded: never two
            // sets of views in memory at once.
            // A missing ledger is refused by `open`, with its message, before anything is read.
            // On PostgreSQL the rebuild reads the log alone (no state directory); a missing log is
            // refused when it is opened.
            let onPostgres = PostgresLocation.isURL(options.ledger)
            guard onPostgres || FileManager.default.fileExists(atPath: options.ledger + "/log") else { _ = try options.open(); return }
            let configuration = try LedgerOptions.configuration(calendar: options.calendarPath)
            let context: ViewContext
            do { context = try configuration.context ?? ViewContext.national() } catch { throw CLIFailure(.damaged, "rules: \(error)") }
            let date = try time.date()
            let start = DispatchTime.now().uptimeNanoseconds
            let (facts, digest, lastRecorded) = try rebuiltDigest(configuration, context: context, asOf: date)
            let seconds = secondsSince(start)
            let ledger = try options.open()
            // The live views as known when the rebuild read the log: the same facts, even if a
            // writer appended since.
            guard digest == (try ledger.digest(asOf: date, knownAt: lastRecorded)) else {
                throw CLIFailure(.damaged, "the replayed views' digest \(digest) differs from the live views'")
            }
            let rate = Int(Double(facts) / max(seconds, 1e-9))
            if options.json {
                print(JSON.object([("facts", .integer(Int(facts))), ("seconds", .number(seconds)),
                                   ("factsPerSecond", .integer(rate)), ("digest", .string(digest))]).text)
            } else {
                print("facts=\(facts) seconds=\(String(format: "%.3f", seconds)) facts/s=\(rate) digest=\(digest)")
            }
        }
    }

    /// Rebuilds every view from the log alone and returns the facts replayed and the digest; the
    /// views are released on return.
    private func rebuiltDigest(_ configuration: LedgerConfiguration, context: ViewContext, asOf date: LegalDate) throws
        -> (facts: UInt64, digest: String, lastRecorded: RecordedTime?)
    {
        var progress: Progress?
        // Closed when the command ends (OpenLedgers).
        let postgresLog = PostgresLocation.isURL(options.ledger) ? try ProofFiles.openLog(options.ledger) : nil
        let rebuilt: (views: ViewSet, facts: UInt64, lastRecorded: RecordedTime?, algorithm: LogHashAlgorithm)
        do {
            let report = { (replayed: UInt64, total: UInt64) in
                if progress == nil { progress = Progress("replay", total: Int(total)) }
                progress?.update(Int(replayed))
            }
            if let postgresLog {
                rebuilt = try Ledger.rebuild(log: postgresLog, configuration: configuration, progress: report)
            } else {
                rebuilt = try Ledger.rebuild(directory: options.ledger, configuration: configuration, progress: report)
            }
        } catch { throw CLIFailure(error) }
        progress?.finish()
        return (rebuilt.facts, Ledger.digest(of: rebuilt.views, asOf: date, context: context, algorithm: rebuilt.algorithm), rebuilt.lastRecorded)
    }
}
