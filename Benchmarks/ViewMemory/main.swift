// view-memory LEDGER [--cores N]: how many bytes of heap each view of a ledger holds, per fact of
// the log. Each view is rebuilt alone from the log (read-only: nothing is written) and the heap in
// use is read from the allocator (glibc's mallinfo2: bytes handed out, chunk headers included)
// before the rebuild and while its result is held; the ledger's own index (idempotency keys,
// references, positions) is measured by opening the ledger read-only with no other view. The sum is
// compared with every view rebuilt together, and the process's peak resident memory is printed last.
// The figures for docs/performance.md come from this tool (release build).
import CreditLedger
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Bytes the allocator has handed out and not taken back (small chunks and mmapped ones).
func heapInUse() -> Int {
    malloc_trim(0)
    let info = mallinfo2()
    return Int(info.uordblks) + Int(info.hblkhd)
}

func peakResidentBytes() -> Int {
    var usage = rusage()
    getrusage(RUSAGE_SELF, &usage)
    return usage.ru_maxrss * 1024
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var cores = 1
if let flag = arguments.firstIndex(of: "--cores"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) {
    cores = value
    arguments.removeSubrange(flag...flag + 1)
}
guard arguments.count == 1 else { fail("usage: view-memory LEDGER [--cores N]") }
let directory = arguments[0]

/// The heap a value built by `body` holds, and the value's fact count.
func held(_ body: () throws -> UInt64) rethrows -> (bytes: Int, facts: UInt64) {
    let before = heapInUse()
    var facts: UInt64 = 0
    var bytes = 0
    try withExtendedLifetime(()) {
        facts = try body()
        bytes = heapInUse() - before
    }
    return (bytes, facts)
}

var rows: [(name: String, bytes: Int)] = []
var facts: UInt64 = 0
do {
    for type in LedgerConfiguration().views {
        var configuration = LedgerConfiguration()
        configuration.views = [type]
        var kept: ViewSet?
        let measured = try held {
            let rebuilt = try Ledger.rebuild(directory: directory, configuration: configuration, cores: cores)
            kept = rebuilt.views
            return rebuilt.facts
        }
        withExtendedLifetime(kept) {}
        kept = nil
        facts = measured.facts
        rows.append((type.name, measured.bytes))
    }
    var indexOnly = LedgerConfiguration()
    indexOnly.views = []
    var ledger: Ledger?
    let index = try held {
        ledger = try Ledger.open(directory: directory, configuration: indexOnly, access: .readOnly)
        return try ledger!.head.recordCount
    }
    try ledger?.close()
    ledger = nil
    rows.append(("ledger.index (open, read-only, no snapshot)", index.bytes))
    var together: ViewSet?
    let all = try held {
        let rebuilt = try Ledger.rebuild(directory: directory, cores: cores)
        together = rebuilt.views
        return rebuilt.facts
    }
    withExtendedLifetime(together) {}
    together = nil
    guard facts > 0 else { fail("\(directory): the log holds no facts") }
    let total = rows.reduce(0) { $0 + $1.bytes }
    print("\(facts) facts in \(directory); views rebuilt on \(cores) core(s)")
    print("")
    print("| view | heap held (MiB) | bytes per fact | share |")
    print("|---|---:|---:|---:|")
    for row in rows {
        print("| \(row.name) | \(String(format: "%.1f", Double(row.bytes) / 1_048_576)) | "
            + "\(String(format: "%.0f", Double(row.bytes) / Double(facts))) | \(String(format: "%.0f", 100 * Double(row.bytes) / Double(total)))% |")
    }
    print("| sum | \(String(format: "%.1f", Double(total) / 1_048_576)) | \(String(format: "%.0f", Double(total) / Double(facts))) | |")
    print("| every view rebuilt together (no index) | \(String(format: "%.1f", Double(all.bytes) / 1_048_576)) | "
        + "\(String(format: "%.0f", Double(all.bytes) / Double(facts))) | |")
    print("")
    print("peak resident memory of this process: \(peakResidentBytes() / 1_048_576) MiB")
} catch {
    fail("view-memory: \(error)")
}
