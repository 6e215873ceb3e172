import ArgumentParser
import CreditFacts
import CreditLedger
import Foundation

/// `export`: interchange v1 lines with `recorded`, in log order. On a ledger with a query audit
/// log the export is recorded before its first line is written (``CLIAudit/recordBeforeStreaming(answered:delivery:)``).
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every fact as interchange v1 with `recorded`, in log order (round-trips through `import --backfill`).")

    @OptionGroup var options: LedgerOptions

    @Option(help: "Output file (default: stdout).")
    var out: String?

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open()
            let end = try ledger.head.nextPosition
            let total = Int(end.rawValue)
            let sink = try LineSink(path: out)
            // On an audited ledger the export is recorded before its first fact is written, with
            // what it is about to write: the facts at positions 0..<end (a writer appending
            // meanwhile adds nothing to it).
            try CLIAudit.recordBeforeStreaming(answered: total, delivery: FactDelivery(event: "export", from: 0, next: end.rawValue))
            let progress = Progress("export", total: total)
            var line: [UInt8] = []
            var written = 0
            try ledger.forEachFact(upTo: end) { recorded in
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
