import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// `import FILE… [--skip-invalid --rejects FILE] [--backfill]`: validate and append.
struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate and append interchange v1 files. All-or-nothing per file unless --skip-invalid.",
        discussion: """
            By default a file with any bad line appends nothing, and every bad line is listed as FILE:LINE: field: reason \
            (exit 1). With --skip-invalid --rejects FILE the good lines are appended and every refused line is written to \
            the rejects file with its reason, so nothing is lost. --backfill keeps the `recorded` times in the file \
            (history migration); otherwise the ledger records each fact now.
            """)

    @OptionGroup var options: LedgerOptions

    @Argument(help: "Interchange v1 files (JSON Lines).")
    var files: [String]

    @Flag(name: .customLong("skip-invalid"), help: "Append the good lines; write refused ones to --rejects.")
    var skipInvalid = false

    @Option(help: "Where refused lines go with --skip-invalid (JSON Lines: file, line, field, reason, input).")
    var rejects: String?

    @Flag(help: "Honour `recorded` in the files (not earlier than the ledger's last recorded time).")
    var backfill = false

    @Option(name: .customLong("segment-bytes"),
            help: "Seal a segment file and start the next one at this size (default 256 MiB; at least what one maximal append needs).")
    var segmentBytes: Int?

    @Option(name: .customLong("hash"),
            help: "The hash function of a new ledger's chain, Merkle tree and digests: sha256 (default) or sm3 (GB/T 32905). Recorded in the log; an existing ledger keeps its own, and naming another is refused.")
    var hash: String?

    func validate() throws {
        if let hash, LogHashAlgorithm(rawValue: hash) == nil { throw ValidationError("--hash \(hash): sha256 or sm3") }
        if let segmentBytes {
            var log = LedgerConfiguration().log
            log.segmentBytesMax = segmentBytes
            do { try log.validate() } catch { throw ValidationError("--segment-bytes \(segmentBytes): \(error)") }
        }
        if skipInvalid && rejects == nil { throw ValidationError("--skip-invalid needs --rejects FILE, so that nothing is lost") }
        if rejects != nil && !skipInvalid { throw ValidationError("--rejects is only used with --skip-invalid") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let sources = files.map(FactSource.file)
            // Checked before anything is read or created: a rejects file never truncates an input.
            let sink = try rejects.map { path in try RejectsFile(path: path, inputs: sources) }
            let start = DispatchTime.now().uptimeNanoseconds
            // The rejects file is closed (flushed and synced) whether or not the import failed.
            let imported = Result { try importAll(sources, into: try options.open(creating: true, segmentBytes: segmentBytes, hash: hash.flatMap(LogHashAlgorithm.init(rawValue:))), rejects: sink) }
            let closed = Result { try sink?.close() }
            let total = try imported.get()
            try closed.get()
            let seconds = secondsSince(start)
            let rate = Int(Double(total.appended + total.duplicates) / max(seconds, 1e-9))
            if options.json {
                print(JSON.object([
                    ("appended", .integer(total.appended)), ("duplicates", .integer(total.duplicates)),
                    ("refused", .integer(total.refusedCount)), ("seconds", .number(seconds)), ("factsPerSecond", .integer(rate)),
                ]).text)
            } else {
                print("appended=\(total.appended) duplicates=\(total.duplicates)" + (skipInvalid ? " refused=\(total.refusedCount)" : ""))
                printError(String(format: "imported in %.2f s (%d facts/s)", seconds, rate))
            }
        }
    }

    /// Imports each file in turn; stops at the first file of an all-or-nothing import that has a
    /// bad line, listing every bad line of it.
    private func importAll(_ sources: [FactSource], into ledger: Ledger, rejects: RejectsFile?) throws -> ImportSummary {
        var total = ImportSummary()
        for source in sources {
            var options = ImportOptions(mode: skipInvalid ? .skipRefused : .allOrNothing)
            options.backfill = backfill
            let progress = Progress("import \(source.name == "-" ? "stdin" : URL(fileURLWithPath: source.name).lastPathComponent)", unit: "lines")
            // One count over both phases: lines read and checked, then (all or nothing) the checked
            // facts appended to the ledger at once; the phase is named on the line.
            options.progress = { step in
                progress.update(step.lines, fraction: step.committed ? 1 : step.fraction,
                                phase: step.committed ? "appended to the ledger" : "reading and checking")
            }
            let summary = try ledger.importFacts(from: source, options: options, rejects: rejects)
            progress.finish()
            for field in summary.unknownFields {
                printError("credit-ledger: warning: \(source.name): unknown field \(field.name) (line \(field.firstLine), \(field.lines) line(s)) kept verbatim without effect, as INTERCHANGE v1 says")
            }
            total.appended += summary.appended
            total.duplicates += summary.duplicates
            total.refusedCount += summary.refusedCount
            if !skipInvalid && summary.refusedCount > 0 {
                for line in summary.refused { printError("\(source.name):\(line)") }
                throw CLIFailure(.refused, "\(source.name): \(summary.refusedCount) bad line(s); nothing of this file was appended")
            }
        }
        return total
    }
}
