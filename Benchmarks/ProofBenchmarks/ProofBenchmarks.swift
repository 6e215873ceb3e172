// The figures of docs/proofs.md (package-benchmark): what the Merkle tree costs appends, how fast
// proofs come at 30 M records and how large they are, and how fast `verify` is with SHA-256 and
// with SM3. Not part of `make bench`'s quick pass: the proof benchmarks build a 30 M-record log
// first (71 s and 561 MB on disk on a loaded two-core machine; kept between runs). Run with
//   swift package --disable-sandbox benchmark --target ProofBenchmarks
// and, for a quick look, PROOF_BENCH_RECORDS=1000000 (the log is rebuilt when the count changes).
import Benchmark
import Foundation
import LedgerStorage

let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)
let megabytesPerSecond = BenchmarkMetric.custom("raw MB/s", polarity: .prefersLarger, useScalingFactor: false)
let proofBytes = BenchmarkMetric.custom("proof bytes", polarity: .prefersSmaller, useScalingFactor: false)
/// Appends with the tree per second over appends without it per second, in thousandths (1000 = no cost).
let treeRatioPerMille = BenchmarkMetric.custom("tree/no-tree ‰", polarity: .prefersLarger, useScalingFactor: false)
let treeRecordsPerSecond = BenchmarkMetric.custom("tree records/s", polarity: .prefersLarger, useScalingFactor: false)
let plainRecordsPerSecond = BenchmarkMetric.custom("no-tree records/s", polarity: .prefersLarger, useScalingFactor: false)

/// Raw megabytes per second of CPU time (all threads): on a shared machine the wall clock shows
/// the load, while this shows the work; twice it is what two idle cores would give a job that keeps
/// both busy, as `verify` does.
let megabytesPerCPUSecond = BenchmarkMetric.custom("raw MB/CPU-s", polarity: .prefersLarger, useScalingFactor: false)
/// The CPU time (all threads) of one operation, in microseconds.
let cpuMicroseconds = BenchmarkMetric.custom("CPU µs", polarity: .prefersSmaller, useScalingFactor: false)

/// The CPU time this process has used so far, all threads, in seconds (`CLOCK_PROCESS_CPUTIME_ID`).
func processCPUSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

/// The seconds `body` takes.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// State prepared by a benchmark's setup and used by its measured closure. Benchmarks run one at a
/// time, so plain shared state is safe here.
final class ProofFixture: @unchecked Sendable {
    static let shared = ProofFixture()
    var logs: [FileLog] = []
    var directories: [String] = []
    var batch: [LogEntry] = []

    /// A new empty log in a fresh temporary directory, removed by ``close()``.
    func fresh(_ name: String, _ configuration: LogConfiguration) throws -> FileLog {
        let directory = NSTemporaryDirectory() + "ledger-proof-bench-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        let log = try FileLog.open(directory: directory, configuration: configuration)
        logs.append(log)
        directories.append(directory)
        return log
    }

    /// A log of `count` realistic records (about 200 B each) hashed with `algorithm`.
    func realistic(_ name: String, count: Int, algorithm: LogHashAlgorithm) throws -> FileLog {
        var configuration = LogConfiguration()
        configuration.hashAlgorithm = algorithm
        let log = try fresh(name, configuration)
        var generator = RealisticRecords(seed: 42)
        for start in stride(from: 0, to: count, by: 10_000) {
            try log.append((start..<min(start + 10_000, count)).map { _ in LogEntry(payload: generator.next()) })
        }
        return log
    }

    /// The big log the proof benchmarks share: `PROOF_BENCH_RECORDS` (30 M by default) small raw
    /// records of 16 bytes, written through the durable append path in appends of 100,000. It is
    /// kept between runs and benchmarks (package-benchmark runs each benchmark in a process of its
    /// own) and rebuilt only when missing or of another size.
    func bigLog() throws -> FileLog {
        let count = UInt64(ProcessInfo.processInfo.environment["PROOF_BENCH_RECORDS"] ?? "") ?? 30_000_000
        let directory = ProcessInfo.processInfo.environment["PROOF_BENCH_DIR"]
            ?? NSTemporaryDirectory() + "ledger-proof-bench-\(count)"
        var log = try FileLog.open(directory: directory)
        if try log.head.recordCount != count {
            try log.close()
            try? FileManager.default.removeItem(atPath: directory)
            log = try FileLog.open(directory: directory)
            var entries = [LogEntry](repeating: LogEntry(payload: []), count: 100_000)
            var next: UInt64 = 0
            let elapsed = try seconds {
                while next < count {
                    let n = Int(min(100_000, count - next))
                    for index in 0..<n {
                        let value = next + UInt64(index)
                        entries[index] = LogEntry(payload: withUnsafeBytes(of: (value, value &* 0x9E37_79B9_7F4A_7C15)) { Array($0) })
                    }
                    try log.append(Array(entries[0..<n]))
                    next += UInt64(n)
                }
            }
            print("built \(count) records in \(directory) in \(Int(elapsed)) s: \(Int(Double(count) / elapsed)) records/s")
        }
        logs.append(log)
        return log
    }

    func close() {
        for log in logs { try? log.close() }
        for directory in directories { try? FileManager.default.removeItem(atPath: directory) }
        logs = []
        directories = []
    }
}

/// Records shaped like stored credit facts (~200 bytes), deterministic per seed: the same
/// generator as `StorageBenchmarks` (a subject from a pool of 300,000, a source, dates, a decision
/// number, a field, an amount, a legal basis in Chinese).
struct RealisticRecords {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func random(_ bound: UInt64) -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return (state >> 33) % bound
    }

    static let bases = ["《食品安全法》第一百二十四条", "《安全生产法》第九十九条", "《消防法》第六十条", "《税收征收管理法》第六十二条",
                        "《环境保护法》第五十九条", "《建筑法》第六十五条", "《道路运输条例》第六十八条", "《广告法》第五十五条"]
    static let fields = ["foodSafety", "workSafety", "fireSafety", "tax", "environment", "construction", "transport", "other"]

    mutating func next() -> [UInt8] {
        var out: [UInt8] = [1, UInt8(random(18))]
        func field(_ text: String, into out: inout [UInt8]) {
            let bytes = Array(text.utf8)
            out.append(UInt8(bytes.count))
            out.append(contentsOf: bytes)
        }
        field("9131011\(String(format: "%010llu", random(300_000)))X", into: &out)
        field("310114-\(["SCJG", "SWJ", "FY", "ZJW", "JTW"][Int(random(5))])\(random(8))", into: &out)
        field("JD-\(random(40))-2023-\(String(format: "%07llu", random(10_000_000)))", into: &out)
        let day = 19_000 + random(1_500)
        withUnsafeBytes(of: UInt32(day)) { out.append(contentsOf: $0) }
        withUnsafeBytes(of: UInt32(day + random(20))) { out.append(contentsOf: $0) }
        field("沪市监嘉处〔20\(19 + random(6))〕\(random(9_999))号", into: &out)
        out.append(UInt8(random(8)))
        field(Self.fields[Int(random(8))], into: &out)
        withUnsafeBytes(of: UInt64(random(500_000) * 100)) { out.append(contentsOf: $0) }
        field(Self.bases[Int(random(8))], into: &out)
        if random(3) == 0 { field("3101\(String(format: "%014llu", random(100_000_000_000_000)))", into: &out) }
        return out
    }
}

let benchmarks: @Sendable () -> Void = {
    let fixture = ProofFixture.shared

    // Appends with and without the tree, alternating within one run so both see the same load: each
    // iteration appends the same 10,000 records of 200 B to both logs, in turn first, and measures the
    // ratio of the two speeds. Its percentiles are the spread of the tree's cost.
    Benchmark(
        "Append durable 10,000 x 200 B, tree vs no tree, alternating",
        configuration: .init(
            metrics: [treeRatioPerMille, treeRecordsPerSecond, plainRecordsPerSecond], warmupIterations: 4,
            maxDuration: .seconds(30), maxIterations: 400,
            setup: {
                _ = try fixture.fresh("tree", LogConfiguration())
                var plain = LogConfiguration()
                plain.maintainsMerkleTree = false
                _ = try fixture.fresh("no-tree", plain)
                fixture.batch = (0..<10_000).map { index in
                    LogEntry(payload: (0..<200).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ (index &* 7)) })
                }
            },
            teardown: { fixture.close() })
    ) { benchmark in
        let tree = fixture.logs[0], plain = fixture.logs[1]
        var treeFirst = true
        for _ in benchmark.scaledIterations {
            var withTree = 0.0, without = 0.0
            if treeFirst {
                withTree = try seconds { try tree.append(fixture.batch) }
                without = try seconds { try plain.append(fixture.batch) }
            } else {
                without = try seconds { try plain.append(fixture.batch) }
                withTree = try seconds { try tree.append(fixture.batch) }
            }
            treeFirst.toggle()
            benchmark.measurement(treeRatioPerMille, Int(1000 * without / withTree))
            benchmark.measurement(treeRecordsPerSecond, Int(Double(fixture.batch.count) / withTree))
            benchmark.measurement(plainRecordsPerSecond, Int(Double(fixture.batch.count) / without))
        }
    }

    // One inclusion proof per iteration, of a record spread over the big log, at its whole size:
    // the wall clock's percentiles are the proof's p50 and p99.
    Benchmark(
        "Inclusion proof at 30M records",
        configuration: .init(
            metrics: [.wallClock, cpuMicroseconds, proofBytes], warmupIterations: 20, maxDuration: .seconds(20), maxIterations: 20_000,
            setup: { _ = try fixture.bigLog() }, teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.logs[0]
        let size = try log.head.recordCount
        var position: UInt64 = 12_345
        for _ in benchmark.scaledIterations {
            position = (position &* 6_364_136_223_846_793_005 &+ 1) % size
            let cpu = processCPUSeconds()
            let proof = try log.inclusionProof(position: Position(position))
            benchmark.measurement(cpuMicroseconds, Int((processCPUSeconds() - cpu) * 1e6))
            blackHole(proof)
            benchmark.measurement(proofBytes, proof.hashes.count * 32)
        }
    }

    // One consistency proof per iteration, from a size spread over the big log to its whole size.
    Benchmark(
        "Consistency proof at 30M records",
        configuration: .init(
            metrics: [.wallClock, cpuMicroseconds, proofBytes], warmupIterations: 20, maxDuration: .seconds(20), maxIterations: 20_000,
            setup: { _ = try fixture.bigLog() }, teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.logs[0]
        let size = try log.head.recordCount
        var old: UInt64 = 54_321
        for _ in benchmark.scaledIterations {
            old = (old &* 6_364_136_223_846_793_005 &+ 1) % size + 1
            let cpu = processCPUSeconds()
            let proof = try log.consistencyProof(from: old)
            benchmark.measurement(cpuMicroseconds, Int((processCPUSeconds() - cpu) * 1e6))
            blackHole(proof)
            benchmark.measurement(proofBytes, proof.hashes.count * 32)
        }
    }

    // A full `verify` (CRCs, the chain and the Merkle tree, on every core), and the chain alone (a
    // range check skips the tree), of 1 M realistic records hashed with each algorithm.
    for algorithm in LogHashAlgorithm.allCases {
        for whole in [true, false] {
            Benchmark(
                "Verify 1M realistic records, \(algorithm), \(whole ? "chain + tree" : "chain only")",
                configuration: .init(
                    metrics: [.wallClock, megabytesPerSecond, megabytesPerCPUSecond, recordsPerSecond], warmupIterations: 1,
                    maxDuration: .seconds(30), maxIterations: 20,
                    setup: { _ = try fixture.realistic("verify-\(algorithm)", count: 1_000_000, algorithm: algorithm) },
                    teardown: { fixture.close() })
            ) { benchmark in
                let log = fixture.logs[0]
                let end = try log.head.nextPosition
                for _ in benchmark.scaledIterations {
                    var report: VerificationReport?
                    let cpu = processCPUSeconds()
                    let elapsed = try seconds { report = whole ? try log.verify() : try log.verify(.zero..<end) }
                    let cpuSeconds = processCPUSeconds() - cpu
                    precondition(report!.isIntact && report!.records == 1_000_000)
                    benchmark.measurement(megabytesPerCPUSecond, Int(Double(report!.rawBytes) / cpuSeconds / 1e6))
                    benchmark.measurement(megabytesPerSecond, Int(Double(report!.rawBytes) / elapsed / 1e6))
                    benchmark.measurement(recordsPerSecond, Int(Double(report!.records) / elapsed))
                }
            }
        }
    }
}
