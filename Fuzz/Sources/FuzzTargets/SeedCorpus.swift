import Foundation
@testable import CreditFacts
@testable import CreditLedger
import CreditSynth
@testable import LedgerStorage

/// Writes the seed corpora (`Fuzz/Corpus/<target>/`): real fixtures and bundled rule files, lines
/// and facts from the synthetic district generator, and the files of a real log, snapshot and
/// intake counters written by the library itself (with a stopped clock, so the same bytes on every
/// run). Run by `make fuzz-seeds`.
public enum SeedCorpus {
    /// The repository root, found from this file's place in `Fuzz/Sources/FuzzTargets/`.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Writes every target's seeds under `directory`, replacing what was there.
    public static func write(to directory: String) throws {
        var seeds: [String: [(String, [UInt8])]] = [:]
        let fixtureLines = try lines(of: root + "/Tests/CreditFactsTests/Fixtures/every-type.jsonl")
        let synth = try synthLines()
        seeds["json-lines"] = jsonLines(fixtureLines, synth)
        seeds["fact-json"] = (fixtureLines + synth.prefix(16)).enumerated().map { ("line-\(pad($0))", Array($1.utf8)) }
        seeds["binary-fact"] = try binaryFacts(fixtureLines)
        let log = try LogSeeds.make()
        seeds["storage-structures"] = log.structures
        seeds["block"] = log.blocks
        seeds["segment-file"] = log.segments
        let ledger = try LedgerSeeds.make(synth)
        seeds["snapshot"] = ledger.snapshot
        seeds["view-state"] = ledger.views
        seeds["intake-counts"] = [("counts", ledger.counts)]
        seeds["grading-model"] = [("grading-default.json", try file("Sources/CreditLedger/Resources/grading-default.json"))]
        seeds["measure-catalogue"] = [("measures-national.json", try file("Sources/CreditLedger/Resources/measures-national.json"))]
        seeds["rule-book"] = [
            ("base", [0] + (try file("Sources/CreditFacts/Resources/rule-regimes.json"))),
            ("district-override", [1] + Array(#"{"regimes":[{"from":"2021-07-01","publicity":{"simple":{"months":6}}}]}"#.utf8)),
        ]
        seeds["holiday-calendar"] = [
            ("cn-holidays.json", try file("Sources/CreditFacts/Resources/cn-holidays.json")),
            ("one-year", Array(#"{"years":{"2024":{"off":["2024-10-01"],"work":["2024-09-29"]}},"source_notes":{"2024":"notice"}}"#.utf8)),
        ]
        for target in FuzzTargets.all {
            let folder = directory + "/" + target.name
            try? FileManager.default.removeItem(atPath: folder)
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for (name, bytes) in seeds[target.name] ?? [] {
                try Data(bytes).write(to: URL(fileURLWithPath: folder + "/" + name))
            }
        }
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

    static func file(_ relative: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: root + "/" + relative))) }

    static func lines(of path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// Forty lines of a small synthetic district, with invalid lines mixed in.
    static func synthLines() throws -> [String] {
        var config = SynthConfig(seed: 13, subjects: 12)
        config.invalidRate = 0.1
        var lines: [String] = []
        _ = try DistrictGenerator(config: config).generate { line in
            switch line {
            case .fact(let fact), .duplicate(let fact): lines.append(FactJSONCodec.encode(fact))
            case .invalid(let text, _): lines.append(text)
            }
        }
        return Array(lines.prefix(40))
    }

    /// Whole inputs: the fixture in groups of six lines fed in chunks of various sizes, synthetic
    /// lines, and the shapes a reader must refuse (CRLF, blank line, byte-order mark, a line over a
    /// small limit). Mode 0 (byte by byte) is left to the fuzzer: on large inputs it is slow.
    static func jsonLines(_ fixture: [String], _ synth: [String]) -> [(String, [UInt8])] {
        var seeds: [(String, [UInt8])] = []
        for (index, start) in stride(from: 0, to: fixture.count, by: 6).enumerated() {
            let text = fixture[start..<min(start + 6, fixture.count)].joined(separator: "\n") + "\n"
            seeds.append(("fixture-\(index)", [UInt8([2, 13, 40, 63][index % 4])] + Array(text.utf8)))
        }
        let edges = "\u{FEFF}" + fixture[0] + "\r\n\n  \t\n" + fixture[1] + "\r\n{\"v\":1,\n" + String(repeating: "x", count: 200) + "\n" + fixture[2]
        seeds.append(("synth", [7] + Array((synth.prefix(12).joined(separator: "\n") + "\n").utf8)))
        seeds.append(("edges-small-limit", [0x85] + Array(edges.utf8)))
        return seeds
    }

    static func binaryFacts(_ fixture: [String]) throws -> [(String, [UInt8])] {
        var codec = FactJSONCodec()
        var seeds = try fixture.enumerated().map { (index, line) in ("record-\(pad(index))", BinaryFactCodec.encode(try codec.decode(line))) }
        seeds.append(("penalty-v0.bin", try file("Tests/CreditFactsTests/Fixtures/penalty-v0.bin")))
        return seeds
    }
}
