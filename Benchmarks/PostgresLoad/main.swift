// postgres-log-load: appends to a PostgreSQL log as one writer process and reports its rate and
// append latencies, then how fast it reads the whole log back, as one JSON line. Run two at once
// on the same location to measure concurrent writers (docs/postgres.md, "Figures"):
//
//   postgres-log-load URL APPENDS RECORDS-PER-APPEND [PAYLOAD-BYTES | LEDGER-DIR]
//
// With a ledger directory, the payloads are that ledger's facts (its binary records), taken in
// order and cycled: real facts compress as real facts do, where one repeated payload would not.
import Foundation
import LedgerPostgres
import LedgerStorage

let arguments = CommandLine.arguments
guard arguments.count >= 4, let appends = Int(arguments[2]), let perAppend = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: postgres-log-load URL APPENDS RECORDS-PER-APPEND [PAYLOAD-BYTES]\n".utf8))
    exit(64)
}
let payloads: [[UInt8]]
if arguments.count > 4, Int(arguments[4]) == nil {
    do {
        let source = try FileLog.open(directory: arguments[4] + "/log", readOnly: true)
        payloads = try source.records(from: .zero, limit: 200_000).map(\.payload)
        try source.close()
    } catch {
        FileHandle.standardError.write(Data("postgres-log-load: reading \(arguments[4]): \(error)\n".utf8))
        exit(2)
    }
} else {
    let payloadBytes = arguments.count > 4 ? Int(arguments[4]) ?? 200 : 200
    payloads = [Array(String(repeating: "{\"type\":\"penalty.decided\",\"subject\":\"91310114MA1G\",\"amount\":5000}", count: payloadBytes / 60 + 1).utf8.prefix(payloadBytes))]
}
guard !payloads.isEmpty else {
    FileHandle.standardError.write(Data("postgres-log-load: no payloads\n".utf8))
    exit(64)
}

do {
    let log = try await PostgresLog.open(try PostgresLocation(url: arguments[1]))
    var latencies: [Double] = []
    latencies.reserveCapacity(appends)
    let start = DispatchTime.now().uptimeNanoseconds
    var next = 0
    for _ in 0..<appends {
        var entries: [LogEntry] = []
        entries.reserveCapacity(perAppend)
        for _ in 0..<perAppend {
            entries.append(LogEntry(payload: payloads[next]))
            next = (next + 1) % payloads.count
        }
        let began = DispatchTime.now().uptimeNanoseconds
        try await log.append(entries)
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    // Then the whole log read back (every block's CRCs and the hash chain checked, every record
    // handed over), as a ledger's replay reads it: everything any writer appended so far.
    let head = try await log.refresh()
    let readStart = DispatchTime.now().uptimeNanoseconds
    var read = 0
    try await log.forEach(from: .zero, to: head.nextPosition) { _ in read += 1 }
    let readSeconds = Double(DispatchTime.now().uptimeNanoseconds - readStart) / 1e9
    try await log.close()
    latencies.sort()
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print(#"{"appends":\#(appends),"records":\#(appends * perAppend),"seconds":\#(seconds),"#
          + #""recordsPerSecond":\#(Double(appends * perAppend) / seconds),"p50Milliseconds":\#(percentile(0.5)),"#
          + #""p99Milliseconds":\#(percentile(0.99)),"recordsRead":\#(read),"readRecordsPerSecond":\#(Double(read) / readSeconds)}"#)
} catch {
    FileHandle.standardError.write(Data("postgres-log-load: \(error)\n".utf8))
    exit(2)
}
