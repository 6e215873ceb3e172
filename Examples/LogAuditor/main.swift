// An auditor's first look at a ledger's log, from another process, without the writer lock:
// verify every checksum and the hash chain, print the head hash to compare with the one the
// district published, and count what the log knew at a given instant.
//
//   swift run log-auditor demo/log 2023-09-30T23:59:59+08:00
import Foundation
import LedgerStorage

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: log-auditor LOG_DIRECTORY [RFC3339_INSTANT]\n".utf8))
    exit(64)
}
let directory = arguments[1]

do {
    let report = try FileLog.verify(directory: directory)
    guard report.isIntact else {
        FileHandle.standardError.write(Data("\(report)\n".utf8))
        exit(2)
    }
    print(report)   // ok records=N head=HEX
    if arguments.count >= 3 {
        guard let instant = ISO8601DateFormatter().date(from: arguments[2]) else {
            FileHandle.standardError.write(Data("not an RFC 3339 instant: \(arguments[2])\n".utf8))
            exit(64)
        }
        let log = try FileLog.open(directory: directory, readOnly: true)
        let known = try log.endPosition(recordedThrough: RecordedTime(instant))
        print("known at \(arguments[2]): \(known) records")
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(2)
}
