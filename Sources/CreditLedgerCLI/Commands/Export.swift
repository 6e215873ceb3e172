import ArgumentParser
import CreditFacts
import Foundation

/// `export`: interchange v1 lines with `recorded`, in log order.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every fact as interchange v1 with `recorded`, in log order (round-trips through `import --backfill`).")

    @OptionGroup var options: LedgerOptions

    @Option(help: "Output file (default: stdout).")
    var out: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let total = Int(try ledger.head.recordCount)
            let sink = try LineSink(path: out)
            let progress = Progress("export", total: total)
            var line: [UInt8] = []
            var written = 0
            try ledger.forEachFact { recorded in
                line.removeAll(keepingCapacity: true)
                FactJSONCodec.encode(recorded.fact, into: &line)
                line.append(UInt8(ascii: "\n"))
                try sink.write(line)
                written += 1
                if written % 65_536 == 0 { progress.update(written) }
            }
            try sink.close()
            progress.finish()
        }
    }
}
