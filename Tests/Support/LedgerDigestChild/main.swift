// Child process of the determinism tests: opens a ledger (from its snapshot, if any) and prints
// its digest as of a date, so a test can compare digests computed by separate processes.
import CreditFacts
import CreditLedger
import Foundation

let arguments = CommandLine.arguments
do {
    let ledger = try Ledger.open(directory: arguments[1])
    print(try ledger.digest(asOf: try LegalDate(parsing: arguments[2])))
    try ledger.close()
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
