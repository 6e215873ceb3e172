// An auditor's script: verify every checksum and the hash chain, then replay the views to a point
// in time — as of a date, as known at an instant — and print what the ledger showed then, with
// the digest to compare against the one the district published.
//
//   swift run ledger-auditor LEDGER_DIR 2024-06-30 2024-07-01T00:00:00+08:00
// Run it on a stopped ledger or a copy: opening takes the writer's lock.
import CreditFacts
import CreditLedger
import Foundation
import LedgerStorage

let arguments = CommandLine.arguments
guard arguments.count >= 3, let asOf = try? LegalDate(parsing: arguments[2]) else {
    FileHandle.standardError.write(Data("usage: ledger-auditor LEDGER_DIR AS_OF_DATE [KNOWN_AT_RFC3339]\n".utf8))
    exit(64)
}
let directory = arguments[1]

do {
    let report = try FileLog.verify(directory: directory + "/log")
    guard report.isIntact else {
        FileHandle.standardError.write(Data("damaged: \(report)\n".utf8))
        exit(2)
    }
    print("chain: \(report)")
    let knownAt = try arguments.count > 3 ? Timestamp(parsing: arguments[3]).recordedTime : nil
    let ledger = try Ledger.open(directory: directory)
    defer { try? ledger.close() }
    print("as of \(asOf), known at \(arguments.count > 3 ? arguments[3] : "now"):")
    print("  digest \(try ledger.digest(asOf: asOf, knownAt: knownAt))")
    let grades = try ledger.gradeDistribution(asOf: asOf, knownAt: knownAt)
    print("  grades " + grades.rows.map { "\($0.level.rawValue)=\($0.count)" }.joined(separator: " "))
    let coverage = try ledger.penetrationCoverage(asOf: asOf, knownAt: knownAt)
    print("  penetration \(coverage.linked)/\(coverage.records) dishonesty records linked to persons")
} catch {
    FileHandle.standardError.write(Data("ledger-auditor: \(error)\n".utf8))
    exit(1)
}
