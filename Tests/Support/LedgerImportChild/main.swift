// Child process of the import crash tests: imports a file into a ledger and, when told, kills
// itself with SIGKILL right after a given batch was written (or right after the commit), so a test
// can check what a real process death at that point leaves.
//
//   LedgerImportChild LEDGER FILE all|skip BATCH_SIZE KILL_AFTER_BATCH|commit|never [REJECTS]
//
// Prints "started" once the ledger is open (the parent may then kill it at any moment).
import CreditFacts
import CreditLedger
import Foundation

let arguments = CommandLine.arguments
let skipping = arguments[3] == "skip"
var options = ImportOptions(mode: skipping ? .skipRefused : .allOrNothing)
options.backfill = true
options.batchSize = Int(arguments[4])!
let killPoint = arguments[5]
options.progress = { progress in
    let due = killPoint == "commit" ? progress.committed : Int(killPoint) == progress.batchesWritten
    if due && killPoint != "never" { kill(getpid(), SIGKILL) }
}
do {
    let ledger = try Ledger.open(directory: arguments[1])
    FileHandle.standardOutput.write(Data("started\n".utf8))
    let rejects = skipping ? try RejectsFile(path: arguments[6], inputs: [.file(arguments[2])]) : nil
    let summary = try ledger.importFacts(from: .file(arguments[2]), options: options, rejects: rejects)
    try rejects?.close()
    try ledger.close()
    print("appended=\(summary.appended)")
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
