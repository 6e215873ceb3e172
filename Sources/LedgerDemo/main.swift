// `make demo`: writes a log of a million realistic records, reopens it, verifies it and scans it,
// printing what each step cost. Later issues turn this into the district demo.
import Foundation
import LedgerStorage

let arguments = CommandLine.arguments
let directory = arguments.count > 1 ? arguments[1] : "demo/log"
let recordCount = arguments.count > 2 ? Int(arguments[2]) ?? 1_000_000 : 1_000_000
let batchSize = 10_000
/// `--reuse`: keep an existing log and only reopen, verify and scan it.
let reuse = arguments.contains("--reuse") && FileManager.default.fileExists(atPath: directory)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func rate(_ count: Int, _ seconds: Double) -> String {
    String(format: "%.2f M/s", Double(count) / seconds / 1e6)
}

/// A record shaped like a stored credit fact (~200 bytes): a subject code, a source, dates,
/// a decision number in Chinese and a few enumerations, as the binary fact codec will lay them out.
func sampleRecord(_ index: Int) -> [UInt8] {
    let subject = String(format: "91310114%09d%@", index % 300_000, "X")
    let decision = "沪市监嘉处〔2023〕\(index % 9973)号"
    let fields = ["foodSafety", "workSafety", "environment", "tax", "construction"]
    let text = "\(subject)|310114-SCJG|JD-SCJG-2023-\(index)|2023-06-\(10 + index % 18)|\(decision)|"
        + "\(fields[index % fields.count])|fine|\(1000 * (index % 97))|ordinary|general|《食品安全法》第一百二十四条"
    return Array(text.utf8)
}

if !reuse { try? FileManager.default.removeItem(atPath: directory) }
print(reuse ? "Reusing the log in \(directory)…" : "Writing \(recordCount) records to \(directory) in durable appends of \(batchSize)…")
var rawBytes = 0
var log = try FileLog.open(directory: directory)
let writeSeconds = try seconds {
    var written = 0
    while written < recordCount && !reuse {
        let count = min(batchSize, recordCount - written)
        let batch = (written..<written + count).map { LogEntry(payload: sampleRecord($0)) }
        rawBytes += batch.reduce(0) { $0 + $1.payload.count }
        try log.append(batch)
        written += count
        if isatty(1) != 0 { print("\r  \(written)/\(recordCount)", terminator: ""); fflush(nil) }
    }
    if isatty(1) != 0 { print("") }
}
let head = try log.head
let writtenCount = Int(head.recordCount)
try log.close()
let storedBytes = try FileManager.default.contentsOfDirectory(atPath: directory)
    .filter { $0.hasSuffix(".segment") }
    .reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: directory + "/" + $1)[.size] as? Int) ?? 0) }
if !reuse {
    print("  append: \(rate(recordCount, writeSeconds)) (\(String(format: "%.2f", writeSeconds)) s), "
        + "\(rawBytes / recordCount) payload bytes/record, \(storedBytes / recordCount) stored bytes/record")
}

var reopenSeconds = 0.0
reopenSeconds = try seconds { log = try FileLog.open(directory: directory) }
print("  reopen: \(String(format: "%.3f", reopenSeconds)) s, head \(try log.head)")

var report: VerificationReport!
let verifySeconds = try seconds { report = try log.verify() }
print("  verify: \(report!) in \(String(format: "%.2f", verifySeconds)) s, "
    + String(format: "%.2f GB/s of raw records", Double(report.rawBytes) / verifySeconds / 1e9))
guard report.isIntact, report.chainHash == head.chainHash else { fatalError("verification failed: \(report!)") }

var scanned = 0
var payloadBytes = 0
let scanSeconds = try seconds {
    try log.forEach(from: .zero) { record in
        scanned += 1
        payloadBytes &+= record.payload.count
    }
}
print("  scan:   \(scanned) records (\(payloadBytes / 1_000_000) MB of payload), \(rate(scanned, scanSeconds)) with CRC check and decompression")
try log.close()
