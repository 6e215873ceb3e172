// postgres-log-load: appends to a PostgreSQL log as one writer process and reports its rate and
// append latencies as one JSON line. Run two at once on the same location to measure concurrent
// writers (docs/postgres.md, "Figures"):
//
//   postgres-log-load URL APPENDS RECORDS-PER-APPEND [PAYLOAD-BYTES]
import Foundation
import LedgerPostgres
import LedgerStorage

let arguments = CommandLine.arguments
guard arguments.count >= 4, let appends = Int(arguments[2]), let perAppend = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: postgres-log-load URL APPENDS RECORDS-PER-APPEND [PAYLOAD-BYTES]\n".utf8))
    exit(64)
}
let payloadBytes = arguments.count > 4 ? Int(arguments[4]) ?? 200 : 200
let payload = Array(String(repeating: "{\"type\":\"penalty.decided\",\"subject\":\"91310114MA1G\",\"amount\":5000}", count: payloadBytes / 60 + 1).utf8.prefix(payloadBytes))

do {
    let log = try await PostgresLog.open(try PostgresLocation(url: arguments[1]))
    var latencies: [Double] = []
    latencies.reserveCapacity(appends)
    let start = DispatchTime.now().uptimeNanoseconds
    for _ in 0..<appends {
        let began = DispatchTime.now().uptimeNanoseconds
        try await log.append([LogEntry](repeating: LogEntry(payload: payload), count: perAppend))
        latencies.append(Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    try await log.close()
    latencies.sort()
    func percentile(_ p: Double) -> Double { latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
    print(#"{"appends":\#(appends),"records":\#(appends * perAppend),"seconds":\#(seconds),"#
          + #""recordsPerSecond":\#(Double(appends * perAppend) / seconds),"p50Milliseconds":\#(percentile(0.5)),"#
          + #""p99Milliseconds":\#(percentile(0.99))}"#)
} catch {
    FileHandle.standardError.write(Data("postgres-log-load: \(error)\n".utf8))
    exit(2)
}
