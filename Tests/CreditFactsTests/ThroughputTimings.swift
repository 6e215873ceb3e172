import Foundation
import Testing
@testable import CreditFacts

/// Throughput measurements, not assertions: run by hand in a release build with
/// `CREDITFACTS_TIMING=1 swift test -c release --scratch-path .build-facts --filter ThroughputTimings`.
/// They print rates; a shared, noisy machine makes timed assertions flaky, so none are made.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CREDITFACTS_TIMING"] != nil), .serialized)
struct ThroughputTimings {
    static let count = 300_000

    /// Deterministic generated facts of all 22 types.
    static let facts: [Fact] = {
        var samples = FactSamples(rng: SplitMix64(seed: 2023_09_28))
        return (0..<count).map { _ in samples.fact() }
    }()

    /// Seconds taken by `body`, best of `runs`.
    func best(_ runs: Int = 3, _ body: () throws -> Void) rethrows -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = ContinuousClock.now
            try body()
            let d = ContinuousClock.now - start
            best = min(best, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        }
        return best
    }

    @Test func jsonLinesReadingFromAFile() throws {
        // CREDITFACTS_TIMING_FILE keeps the generated file for profiling outside the test runner.
        let kept = ProcessInfo.processInfo.environment["CREDITFACTS_TIMING_FILE"]
        let path = kept ?? FileManager.default.temporaryDirectory.appendingPathComponent("timing-\(UUID()).jsonl").path
        defer { if kept == nil { try? FileManager.default.removeItem(atPath: path) } }
        _ = Self.facts.count  // generate outside the timed write
        let writer = try JSONLinesWriter(path: path)
        let writeSeconds = try best(1) { for f in Self.facts { try writer.write(f) } }
        try writer.close()
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        var accepted = 0
        let readSeconds = try best {
            accepted = 0
            // Generated facts carry random `recorded` times; order is not what is being timed.
            var options = JSONLinesReader.Options()
            options.requireNonDecreasingRecorded = false
            var reader = JSONLinesReader(options: options)
            try reader.read(path: path) { if case .fact = $0 { accepted += 1 } }
        }
        #expect(accepted == Self.count)
        print("timing: JSON Lines read \(Self.count) lines (\(size / Self.count) B/line avg) in \(readSeconds)s = \(Int(Double(Self.count) / readSeconds)) lines/s; write \(Int(Double(Self.count) / writeSeconds)) lines/s")
    }

    /// The 24 fixture lines (one or two per fact type, as a department would send them), repeated.
    static let fixtureFacts: [Fact] = {
        let facts = try! fixtureLines("every-type.jsonl").map { try decodeLine($0) }
        return (0..<count).map { facts[$0 % facts.count] }
    }()

    @Test func binaryEncodeAndDecodeOfFixtureFacts() throws {
        try measureBinary(Self.fixtureFacts, label: "fixture facts")
    }

    @Test func jsonDecodeOfFixtureLines() throws {
        let lines = Self.fixtureFacts.map { Array(FactJSONCodec.encode($0).utf8) }
        var codec = FactJSONCodec()
        let seconds = try best {
            for line in lines { _ = try line.withUnsafeBufferPointer { try codec.decode(utf8: $0, lineNumber: 1) } }
        }
        print("timing: JSON decode of fixture lines (in memory) \(Int(Double(lines.count) / seconds)) lines/s")
    }

    @Test func binaryEncodeAndDecode() throws {
        try measureBinary(Self.facts, label: "generated facts")
    }

    func measureBinary(_ facts: [Fact], label: String) throws {
        var buffer: [UInt8] = []
        var records: [[UInt8]] = []
        records.reserveCapacity(Self.count)
        let encodeSeconds = best {
            var total = 0
            for f in facts { BinaryFactCodec.encode(f, into: &buffer); total &+= buffer.count; buffer.removeAll(keepingCapacity: true) }
            #expect(total > 0)
        }
        for f in facts { records.append(BinaryFactCodec.encode(f)) }
        let bytes = records.reduce(0) { $0 + $1.count }
        var decoded = 0
        let decodeSeconds = try best {
            decoded = 0
            for r in records { _ = try BinaryFactCodec.decode(r); decoded += 1 }
        }
        #expect(decoded == Self.count)
        print("timing: \(label): binary encode \(Int(Double(Self.count) / encodeSeconds)) facts/s, decode \(Int(Double(Self.count) / decodeSeconds)) facts/s, \(bytes / Self.count) B/fact avg")
    }
}
