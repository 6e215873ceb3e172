import ArgumentParser
import CreditDocuments
import CreditLedger
import Foundation

/// `replay`: rebuild every view from the log alone and report the rate.
struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rebuild every view from the log alone (no snapshot); print facts=N seconds=S facts/s=R digest=HEX.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var time: TimeOptions

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let start = DispatchTime.now().uptimeNanoseconds
            let progress = Progress("replay", total: Int(try ledger.head.recordCount))
            let rebuilt = try ledger.rebuild { progress.update(Int($0)) }
            progress.finish()
            let seconds = secondsSince(start)
            let date = try time.date()
            let digest = Ledger.digest(of: rebuilt.views, asOf: date, context: ledger.context, algorithm: ledger.hashAlgorithm)
            guard digest == (try ledger.digest(asOf: date)) else {
                throw CLIFailure(.damaged, "the replayed views' digest \(digest) differs from the live views'")
            }
            let rate = Int(Double(rebuilt.facts) / max(seconds, 1e-9))
            if options.json {
                print(JSON.object([("facts", .integer(Int(rebuilt.facts))), ("seconds", .number(seconds)),
                                   ("factsPerSecond", .integer(rate)), ("digest", .string(digest))]).text)
            } else {
                print("facts=\(rebuilt.facts) seconds=\(String(format: "%.3f", seconds)) facts/s=\(rate) digest=\(digest)")
            }
        }
    }
}
