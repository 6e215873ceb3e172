import ArgumentParser
import CreditDocuments
import CreditFacts
import CreditLedger
import Foundation

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

    func validate() throws {
        if skipInvalid && rejects == nil { throw ValidationError("--skip-invalid needs --rejects FILE, so that nothing is lost") }
        if rejects != nil && !skipInvalid { throw ValidationError("--rejects is only used with --skip-invalid") }
    }

    func run() throws {
        try CreditLedgerCommand.run {
            let ledger = try options.open(creating: true)
            defer { try? ledger.close() }
            var total = ImportSummary()
            var rejected: [(file: String, line: Int, field: String, reason: String)] = []
            let start = DispatchTime.now().uptimeNanoseconds
            for file in files {
                let (summary, bad) = try importFile(file, into: ledger)
                total.appended += summary.appended
                total.duplicates += summary.duplicates
                rejected += bad
                if !skipInvalid && !bad.isEmpty {
                    for item in bad { printError("\(item.file):\(item.line): \(item.field.isEmpty ? "" : item.field + ": ")\(item.reason)") }
                    printError("credit-ledger: \(file): \(bad.count) bad line(s); nothing of this file was appended")
                    throw ExitCode(ExitStatus.refused.rawValue)
                }
            }
            if let rejects { try writeRejects(rejected, to: rejects) }
            let seconds = secondsSince(start)
            let rate = Int(Double(total.appended + total.duplicates) / max(seconds, 1e-9))
            if options.json {
                print(JSON.object([
                    ("appended", .integer(total.appended)), ("duplicates", .integer(total.duplicates)),
                    ("refused", .integer(rejected.count)), ("seconds", .number(seconds)), ("factsPerSecond", .integer(rate)),
                ]).text)
            } else {
                print("appended=\(total.appended) duplicates=\(total.duplicates)" + (skipInvalid ? " refused=\(rejected.count)" : ""))
                printError(String(format: "imported in %.2f s (%d facts/s)", seconds, rate))
            }
        }
    }

    /// Imports one file; returns the summary and every bad line (unreadable or refused).
    private func importFile(_ file: String, into ledger: Ledger) throws
        -> (ImportSummary, [(file: String, line: Int, field: String, reason: String)])
    {
        guard FileManager.default.fileExists(atPath: file) else { throw CLIFailure(.refused, "\(file): no such file") }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        var unreadable: [FactError] = []
        var pass = 0
        let progress = Progress("import \(URL(fileURLWithPath: file).lastPathComponent)", unit: "lines")
        let summary = try ledger.importFacts(
            mode: skipInvalid ? .skipRefused : .allOrNothing, proceed: { unreadable.isEmpty }
        ) { emit in
            pass += 1
            try readLines(file, size: size, progress: progress, pass: pass) { result in
                switch result {
                case .fact(var fact, let line, _):
                    if !backfill { fact.recorded = nil }
                    try emit(fact, line)
                case .refused(let error):
                    if pass == 1 { unreadable.append(error) }
                }
            }
        }
        progress.finish()
        let bad = unreadable.map { (file, $0.line, $0.field, $0.reason) }
            + summary.refused.map { (file, $0.index, $0.field, $0.reason) }
        return (summary, bad.sorted { $0.1 < $1.1 })
    }

    /// Streams the file through the JSON Lines reader in 1 MiB chunks, reporting progress by bytes.
    private func readLines(_ file: String, size: Int, progress: Progress, pass: Int, _ body: (LineResult) throws -> Void) throws {
        guard let handle = FileHandle(forReadingAtPath: file) else { throw CLIFailure(.refused, "\(file): cannot be read") }
        defer { try? handle.close() }
        var reader = JSONLinesReader()
        var read = 0
        var lines = 0
        let passes = skipInvalid ? 1.0 : 2.0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            read += chunk.count
            try chunk.withUnsafeBytes { raw in
                try reader.feed(raw.bindMemory(to: UInt8.self)) { result in
                    lines += 1
                    try body(result)
                }
            }
            let fraction = (Double(pass - 1) + Double(read) / Double(max(size, 1))) / passes
            progress.update(lines, fraction: fraction)
        }
        try reader.finish(body)
    }

    /// Writes every refused line, verbatim, with its reason.
    private func writeRejects(_ rejected: [(file: String, line: Int, field: String, reason: String)], to path: String) throws {
        let sink = try LineSink(path: path)
        let byFile = Dictionary(grouping: rejected, by: \.file)
        for file in files {
            guard let items = byFile[file], !items.isEmpty else { continue }
            let wanted = Dictionary(items.map { ($0.line, $0) }, uniquingKeysWith: { first, _ in first })
            var number = 0
            let text = try String(contentsOfFile: file, encoding: .utf8)
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                number += 1
                guard let item = wanted[number] else { continue }
                let entry = JSON.object([
                    ("file", .string(file)), ("line", .integer(number)), ("field", .string(item.field)),
                    ("reason", .string(item.reason)), ("input", .string(String(line))),
                ])
                try sink.write(Array((entry.text + "\n").utf8))
            }
        }
        try sink.close()
    }
}
