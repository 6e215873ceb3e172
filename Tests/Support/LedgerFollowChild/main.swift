// Child process of the following tests: a writer appending in batches, or a reader following it.
//
//   LedgerFollowChild write LEDGER FILE BATCH
//       appends FILE's facts (interchange v1 lines, each with `recorded`) in appends of BATCH facts,
//       a few milliseconds apart, with segments small enough to be sealed and started several times
//       and a snapshot written half-way; prints "appended=N segments=S".
//   LedgerFollowChild follow|catchup LEDGER AS_OF COUNT
//       opens the ledger read-only and follows it (`follow`: Ledger.follow every 5 ms; `catchup`:
//       Ledger.catchUp() in a loop) until its views reach COUNT facts; prints one line
//       "POSITION DIGEST" for each position it saw, the digest as of AS_OF taken at that position.
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

/// A configuration whose segments hold a few dozen appends, so the writer seals segments while readers follow.
func smallSegments() -> LedgerConfiguration {
    var configuration = LedgerConfiguration()
    configuration.log.recordsPerAppendMax = 20
    configuration.log.appendBytesMax = 8 << 10
    configuration.log.segmentBytesMax = configuration.log.segmentBytesRequired
    return configuration
}

func write(_ directory: String, _ file: String, batch: Int) throws {
    let text = try String(contentsOfFile: file, encoding: .utf8)
    var codec = FactJSONCodec()
    let facts = try text.split(separator: "\n").map { try codec.decode(String($0)) }
    let ledger = try Ledger.open(directory: directory, configuration: smallSegments())
    var written = 0
    while written < facts.count {
        let next = min(written + batch, facts.count)
        try ledger.append(Array(facts[written..<next]))
        written = next
        if written / batch == facts.count / batch / 2 { try ledger.snapshot() }
        usleep(3_000)
    }
    let segments = try FileManager.default.contentsOfDirectory(atPath: directory + "/log").filter { $0.hasSuffix(".segment") }.count
    try ledger.close()
    print("appended=\(written) segments=\(segments)")
}

func follow(_ directory: String, asOf: LegalDate, count: UInt64, onDemand: Bool) throws {
    let ledger = try Ledger.open(directory: directory, access: .readOnly)
    let follower = onDemand ? nil : ledger.follow(every: .milliseconds(5))
    let deadline = Date().addingTimeInterval(120)
    var last: Position?
    while last?.rawValue != count {
        guard Date() < deadline else { throw CocoaError(.fileReadUnknown, userInfo: ["reason": "timed out at \(last.map { "\($0)" } ?? "-")"]) }
        if onDemand { try ledger.catchUp() }
        // The views and their position change together; a digest between two equal readings of
        // the position belongs to that position.
        let before = try ledger.viewsPosition
        let digest = try ledger.digest(asOf: asOf)
        guard try ledger.viewsPosition == before else { continue }
        if before != last {
            print("\(before) \(digest)")
            last = before
        }
        if let error = follower?.lastError { FileHandle.standardError.write(Data("catch-up failed (retried): \(error)\n".utf8)) }
        usleep(1_000)
    }
    follower?.stop()
    try ledger.close()
}

let arguments = CommandLine.arguments
do {
    switch arguments[1] {
    case "write": try write(arguments[2], arguments[3], batch: Int(arguments[4])!)
    default:
        try follow(arguments[2], asOf: try LegalDate(parsing: arguments[3]), count: UInt64(arguments[4])!, onDemand: arguments[1] == "catchup")
    }
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
