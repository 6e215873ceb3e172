// view-memory LEDGER [--cores N] [--build PRESET] [--replay-only]: how many bytes of heap each view of a ledger holds, per fact of
// the log. Each view is rebuilt alone from the log (read-only: nothing is written) and the heap in
// use is read from the allocator (glibc's mallinfo2: bytes handed out, chunk headers included)
// before the rebuild and while its result is held; the ledger's own index (idempotency keys,
// references, positions) is measured by opening the ledger read-only with no other view. The sum is
// compared with every view rebuilt together, and the process's peak resident memory is printed last.
// With --build PRESET and no ledger at LEDGER, the ledger is first built from that CreditSynth preset
// (seed 1) by appends of 10,000 facts, as a service would, and the appends' rate is printed.
// --replay-only rebuilds every view together once and prints the time and heap (for a profiler).
// The steps of a growth table, one per process (run each under `/usr/bin/time -v` for its peak
// memory), with the library calls the command line makes:
//   view-memory --generate PRESET FILE     the preset's stream (seed 1), as `credit-ledger generate`
//   view-memory LEDGER --import FILE       an all-or-nothing import and close, as `credit-ledger import`
//   view-memory LEDGER --open-query DATE   open (from the snapshot), the digest as of DATE, and one
//                                          subject's document as of DATE (101 subjects; now and as
//                                          known at the log's middle fact), as `credit-ledger subject`
//   view-memory LEDGER --write-snapshot    open as the writer and close, which writes a snapshot when
//                                          the newest one is behind the log (or missing)
// The figures for docs/performance.md come from this tool (release build).
import CreditFacts
import CreditLedger
import CreditSynth
import Foundation
import CHeapStats

/// Bytes the allocator has handed out and not taken back (glibc's mallinfo2, after malloc_trim).
func heapInUse() -> Int { Int(heap_stats_in_use()) }

func peakResidentBytes() -> Int { Int(heap_stats_peak_resident()) }

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(1)
}

var arguments = Array(CommandLine.arguments.dropFirst())

func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

/// Takes `--flag VALUE` out of the arguments.
@MainActor func option(_ flag: String) -> String? {
    guard let index = arguments.firstIndex(of: flag), index + 1 < arguments.count else { return nil }
    defer { arguments.removeSubrange(index...index + 1) }
    return arguments[index + 1]
}

if arguments.first == "--generate", arguments.count == 3 {
    guard let config = SynthConfig.preset(arguments[1]) else { fail("no preset \(arguments[1])") }
    let start = DispatchTime.now().uptimeNanoseconds
    do {
        let generator = try DistrictGenerator(config: config)
        guard FileManager.default.createFile(atPath: arguments[2], contents: nil) else { fail("cannot create \(arguments[2])") }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: arguments[2]))
        var buffer: [UInt8] = []
        var lines = 0
        _ = try generator.generate { item in
            switch item {
            case .fact(let fact), .duplicate(let fact): FactJSONCodec.encode(fact, into: &buffer)
            case .invalid(let text, _): buffer.append(contentsOf: text.utf8)
            }
            buffer.append(UInt8(ascii: "\n"))
            lines += 1
            if buffer.count >= 1 << 20 {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: buffer)
        try handle.close()
        let elapsed = seconds(since: start)
        print("generated \(lines) lines in \(String(format: "%.1f", elapsed)) s (\(Int(Double(lines) / elapsed)) lines/s)")
    } catch {
        fail("view-memory: \(error)")
    }
    exit(0)
}
var cores = 1
if let flag = arguments.firstIndex(of: "--cores"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) {
    cores = value
    arguments.removeSubrange(flag...flag + 1)
}
var preset: String?
if let flag = arguments.firstIndex(of: "--build"), flag + 1 < arguments.count {
    preset = arguments[flag + 1]
    arguments.removeSubrange(flag...flag + 1)
}
let importFile = option("--import")
let openQuery = option("--open-query")
let writeSnapshot = arguments.contains("--write-snapshot")
arguments.removeAll { $0 == "--write-snapshot" }
let replayOnly = arguments.contains("--replay-only")
arguments.removeAll { $0 == "--replay-only" }
guard arguments.count == 1 else { fail("usage: view-memory LEDGER [--cores N] [--build PRESET] [--replay-only]") }
let directory = arguments[0]

if let preset, !FileManager.default.fileExists(atPath: directory) {
    guard let config = SynthConfig.preset(preset) else { fail("no preset \(preset)") }
    do {
        var facts: [Fact] = []
        _ = try DistrictGenerator(config: config).generate { line in if case .fact(let fact) = line { facts.append(fact) } }
        let ledger = try Ledger.open(directory: directory)
        let start = DispatchTime.now().uptimeNanoseconds
        for first in stride(from: 0, to: facts.count, by: 10_000) {
            try ledger.append(Array(facts[first..<min(first + 10_000, facts.count)]))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try ledger.close()
        print("built \(directory): \(facts.count) facts appended in 10,000-fact calls in "
            + "\(String(format: "%.1f", seconds)) s (\(Int(Double(facts.count) / seconds)) facts/s)")
    } catch {
        fail("view-memory: cannot build \(directory): \(error)")
    }
}

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

if let importFile {
    do {
        let start = DispatchTime.now().uptimeNanoseconds
        let ledger = try Ledger.open(directory: directory)
        let summary = try ledger.importFacts(from: .file(importFile), options: ImportOptions(mode: .allOrNothing))
        let imported = seconds(since: start)
        try ledger.close()
        let total = seconds(since: start)
        guard summary.refusedCount == 0 else { fail("\(importFile): \(summary.refusedCount) line(s) refused, e.g. \(summary.refused.prefix(3))") }
        print("imported \(summary.appended) facts (\(summary.duplicates) duplicates) in \(String(format: "%.1f", imported)) s, "
            + "closed (snapshot written) at \(String(format: "%.1f", total)) s: \(Int(Double(summary.appended + summary.duplicates) / total)) facts/s; "
            + "peak RSS \(peakResidentBytes() / 1_048_576) MiB")
    } catch {
        fail("view-memory: \(error)")
    }
    exit(0)
}

if let openQuery {
    guard let date = try? LegalDate(parsing: openQuery) else { fail("--open-query \(openQuery): not a date") }
    do {
        let start = DispatchTime.now().uptimeNanoseconds
        let ledger = try Ledger.open(directory: directory, access: .readOnly)
        let opened = seconds(since: start)
        let asked = DispatchTime.now().uptimeNanoseconds
        let digest = try ledger.digest(asOf: date)
        let queried = seconds(since: asked)
        // One subject's whole document (what `credit-ledger subject` prints before rendering), now
        // and as known at the recorded time of the log's middle fact, for the subjects of 101
        // facts evenly spaced through the log (the same ones on every run of the same log).
        let count = try ledger.head.recordCount
        let midpoint = try ledger.fact(at: .init(count / 2)).recorded
        var subjects: [SubjectCode] = []
        for step in 0...100 { subjects.append(try ledger.fact(at: .init(min(count - 1, count / 100 * UInt64(step)))).fact.subject) }
        func timings(past: Bool) throws -> String {
            var micros: [Double] = []
            for subject in subjects {
                let begun = DispatchTime.now().uptimeNanoseconds
                _ = try ledger.subjectDocument(of: subject, asOf: date, knownAt: past ? midpoint : nil)
                micros.append(Double(DispatchTime.now().uptimeNanoseconds - begun) / 1e3)
            }
            micros.sort()
            return String(format: "p50 %.0f µs, max %.0f µs", micros[micros.count / 2], micros.last!)
        }
        let now = try timings(past: false)
        let past = try timings(past: true)
        try ledger.close()
        for warning in ledger.warnings { print("warning: \(warning)") }
        print("opened in \(String(format: "%.2f", opened)) s; digest as of \(openQuery) "
            + "in \(String(format: "%.2f", queried)) s: \(digest)")
        print("middle fact recorded \(midpoint)")
        print("one subject's document as of \(openQuery) (\(subjects.count) subjects): now \(now); "
            + "known at the middle fact's time \(past); peak RSS \(peakResidentBytes() / 1_048_576) MiB")
    } catch {
        fail("view-memory: \(error)")
    }
    exit(0)
}

if writeSnapshot {
    do {
        let start = DispatchTime.now().uptimeNanoseconds
        let ledger = try Ledger.open(directory: directory)
        let opened = seconds(since: start)
        try ledger.close()
        print("opened as the writer in \(String(format: "%.2f", opened)) s and closed at \(String(format: "%.2f", seconds(since: start))) s; "
            + "peak RSS \(peakResidentBytes() / 1_048_576) MiB")
    } catch {
        fail("view-memory: \(error)")
    }
    exit(0)
}

if replayOnly {
    do {
        let start = DispatchTime.now().uptimeNanoseconds
        var kept: ViewSet?
        let all = try held {
            let rebuilt = try Ledger.rebuild(directory: directory, cores: cores)
            kept = rebuilt.views
            return rebuilt.facts
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        withExtendedLifetime(kept) {}
        print("replayed \(all.facts) facts into every view on \(cores) core(s) in \(String(format: "%.2f", seconds)) s "
            + "(\(Int(Double(all.facts) / seconds)) facts/s); heap held \(all.bytes / 1_048_576) MiB "
            + "(\(all.bytes / Int(max(all.facts, 1))) bytes per fact); peak RSS \(peakResidentBytes() / 1_048_576) MiB")
    } catch {
        fail("view-memory: \(error)")
    }
    exit(0)
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
    // What opening any ledger holds besides the index (rules, calendar, the log's state): measured
    // on an empty ledger and taken off.
    let empty = NSTemporaryDirectory() + "view-memory-empty-\(getpid())"
    try Ledger.open(directory: empty).close()
    defer { try? FileManager.default.removeItem(atPath: empty) }
    let overhead = try held {
        ledger = try Ledger.open(directory: empty, configuration: indexOnly, access: .readOnly)
        return 0
    }
    try ledger?.close()
    ledger = nil
    rows.append(("ledger.index (open read-only without snapshot, less an empty ledger's \(overhead.bytes / 1024) KiB)",
                 index.bytes - overhead.bytes))
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
