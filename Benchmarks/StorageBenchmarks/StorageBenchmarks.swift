// Storage benchmarks (package-benchmark). Run with `make bench` or
//   swift package --disable-sandbox benchmark --target StorageBenchmarks
// Figures, machine and conditions are in docs/storage.md#performance.
import Benchmark
import Foundation
import LedgerStorage

/// State prepared by a benchmark's setup and used by its measured closure. Benchmarks run one
/// at a time, so plain shared state is safe here.
final class Fixture: @unchecked Sendable {
    static let shared = Fixture()
    var directory = ""
    var log: FileLog?
    var batch: [LogEntry] = []

    func openFresh(_ name: String, configuration: LogConfiguration = LogConfiguration()) throws -> FileLog {
        close()
        directory = NSTemporaryDirectory() + "ledger-bench-\(name)-\(getpid())"
        try? FileManager.default.removeItem(atPath: directory)
        let log = try FileLog.open(directory: directory, configuration: configuration)
        self.log = log
        return log
    }

    func close() {
        try? log?.close()
        log = nil
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// A log of `count` realistic records, written in appends of 10,000.
    func filledLog(_ name: String, count: Int) throws -> FileLog {
        let log = try openFresh(name)
        var generator = RealisticRecords(seed: 42)
        for start in stride(from: 0, to: count, by: 10_000) {
            try log.append((start..<min(start + 10_000, count)).map { _ in LogEntry(payload: generator.next()) })
        }
        return log
    }
}

/// Records shaped like stored credit facts (~200 bytes): a subject code from a pool of 300,000,
/// one of 40 sources, dates, a decision number, a field, amounts and a legal basis in Chinese,
/// length-prefixed the way a compact binary fact codec lays them out. Deterministic per seed.
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
        var out: [UInt8] = [1, UInt8(random(18))]   // schema version, fact type
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

let recordsPerSecond = BenchmarkMetric.custom("records/s", polarity: .prefersLarger, useScalingFactor: false)
let megabytesPerSecond = BenchmarkMetric.custom("raw MB/s", polarity: .prefersLarger, useScalingFactor: false)
let storedBytesPerRecord = BenchmarkMetric.custom("stored B/record", polarity: .prefersSmaller, useScalingFactor: false)
let proofBytes = BenchmarkMetric.custom("proof bytes", polarity: .prefersSmaller, useScalingFactor: false)

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let benchmarks: @Sendable () -> Void = {
    let fixture = Fixture.shared
    let scanCount = 1_000_000

    Benchmark(
        "Append durable 10,000 x 200 B",
        configuration: .init(
            metrics: [.wallClock, recordsPerSecond, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(10),
            maxIterations: 300,
            setup: {
                _ = try fixture.openFresh("append")
                fixture.batch = (0..<10_000).map { index in
                    LogEntry(payload: (0..<200).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ (index &* 7)) })
                }
            },
            teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.log!
        for _ in benchmark.scaledIterations {
            let elapsed = try seconds { try log.append(fixture.batch) }
            benchmark.measurement(recordsPerSecond, Int(Double(fixture.batch.count) / elapsed))
        }
    }

    // The same appends without the Merkle tree maintained: the tree's cost is the difference.
    Benchmark(
        "Append durable 10,000 x 200 B, no Merkle tree",
        configuration: .init(
            metrics: [.wallClock, recordsPerSecond, .mallocCountTotal], warmupIterations: 3, maxDuration: .seconds(10),
            maxIterations: 300,
            setup: {
                var configuration = LogConfiguration()
                configuration.maintainsMerkleTree = false
                _ = try fixture.openFresh("append-no-tree", configuration: configuration)
                fixture.batch = (0..<10_000).map { index in
                    LogEntry(payload: (0..<200).map { UInt8(truncatingIfNeeded: ($0 &* 31) ^ (index &* 7)) })
                }
            },
            teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.log!
        for _ in benchmark.scaledIterations {
            let elapsed = try seconds { try log.append(fixture.batch) }
            benchmark.measurement(recordsPerSecond, Int(Double(fixture.batch.count) / elapsed))
        }
    }

    // The query audit log's pattern: one record per append, written without waiting for the disk
    // (`deferred`), into a segment that already holds 50,000 such appends (one block each). The cost
    // of an append must not grow with the blocks its segment holds.
    Benchmark(
        "Append 1 x 200 B deferred, after 50,000 such appends",
        configuration: .init(
            metrics: [.wallClock, recordsPerSecond], warmupIterations: 100, maxDuration: .seconds(10),
            maxIterations: 20_000,
            setup: {
                var configuration = LogConfiguration()
                configuration.durability = .deferred
                let log = try fixture.openFresh("append-one", configuration: configuration)
                fixture.batch = [LogEntry(payload: (0..<200).map { UInt8(truncatingIfNeeded: $0 &* 31) })]
                for _ in 0..<50_000 { try log.append(fixture.batch) }
            },
            teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.log!
        for _ in benchmark.scaledIterations {
            let elapsed = try seconds { try log.append(fixture.batch) }
            benchmark.measurement(recordsPerSecond, Int(1 / elapsed))
        }
    }

    // One inclusion proof per iteration (a record spread over the log), at the whole log's size.
    Benchmark(
        "Inclusion proof in a tree of 1M realistic records",
        configuration: .init(
            metrics: [.wallClock, proofBytes], warmupIterations: 10, maxDuration: .seconds(10), maxIterations: 20_000,
            setup: { _ = try fixture.filledLog("prove", count: scanCount) }, teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.log!
        var position: UInt64 = 12_345
        for _ in benchmark.scaledIterations {
            position = (position &* 6_364_136_223_846_793_005 &+ 1) % UInt64(scanCount)
            let proof = try log.inclusionProof(position: Position(position))
            benchmark.measurement(proofBytes, proof.hashes.count * 32)
        }
    }

    for algorithm in LogHashAlgorithm.allCases {
        Benchmark(
            "Hash 1 MiB with \(algorithm)",
            configuration: .init(metrics: [.wallClock, megabytesPerSecond], warmupIterations: 3, maxDuration: .seconds(5),
                                 maxIterations: 2_000)
        ) { benchmark in
            let buffer = [UInt8](repeating: 0x5a, count: 1 << 20)
            let hasher = TreeHasher(algorithm)
            for _ in benchmark.scaledIterations {
                let elapsed = seconds { blackHole(hasher.leaf(buffer)) }
                benchmark.measurement(megabytesPerSecond, Int(Double(buffer.count) / elapsed / 1e6))
            }
        }
    }

    Benchmark(
        "Scan 1M realistic records (CRC + LZ4)",
        configuration: .init(
            metrics: [.wallClock, recordsPerSecond, .mallocCountTotal], warmupIterations: 1, maxDuration: .seconds(10),
            maxIterations: 50,
            setup: { _ = try fixture.filledLog("scan", count: scanCount) }, teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.log!
        for _ in benchmark.scaledIterations {
            var count = 0
            var bytes = 0
            let elapsed = try seconds {
                try log.forEach(from: .zero) { record in
                    count += 1
                    bytes &+= record.payload.count
                }
            }
            blackHole(bytes)
            precondition(count == scanCount)
            benchmark.measurement(recordsPerSecond, Int(Double(count) / elapsed))
        }
    }

    Benchmark(
        "Verify 1M realistic records (CRC + SHA-256 chain + Merkle tree)",
        configuration: .init(
            metrics: [.wallClock, megabytesPerSecond, recordsPerSecond], warmupIterations: 1, maxDuration: .seconds(10),
            maxIterations: 30,
            setup: { _ = try fixture.filledLog("verify", count: scanCount) }, teardown: { fixture.close() })
    ) { benchmark in
        let log = fixture.log!
        for _ in benchmark.scaledIterations {
            var report: VerificationReport?
            let elapsed = try seconds { report = try log.verify() }
            precondition(report!.isIntact && report!.records == UInt64(scanCount))
            benchmark.measurement(megabytesPerSecond, Int(Double(report!.rawBytes) / elapsed / 1e6))
            benchmark.measurement(recordsPerSecond, Int(Double(report!.records) / elapsed))
        }
    }

    Benchmark(
        "Stored bytes per realistic record",
        configuration: .init(
            metrics: [storedBytesPerRecord], warmupIterations: 0, maxIterations: 1,
            setup: { _ = try fixture.filledLog("size", count: 200_000) }, teardown: { fixture.close() })
    ) { benchmark in
        let files = (try? FileManager.default.contentsOfDirectory(atPath: fixture.directory)) ?? []
        let stored = files.filter { $0.hasSuffix(".segment") }.reduce(0) {
            $0 + ((try? FileManager.default.attributesOfItem(atPath: fixture.directory + "/" + $1)[.size] as? Int) ?? 0)
        }
        benchmark.measurement(storedBytesPerRecord, stored / 200_000)
    }
}
