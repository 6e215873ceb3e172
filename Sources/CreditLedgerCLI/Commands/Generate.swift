import ArgumentParser
import CreditFacts
import CreditSynth
import Foundation

/// `generate --preset NAME --seed N [--facts N] [--out FILE]`: a deterministic synthetic stream.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a deterministic synthetic district stream in interchange v1 (presets district-small, district, city).")

    @Option(help: "Preset: district-small (~10,000 subjects), district (~300,000), city (~3,000,000).")
    var preset: String = "district-small"

    @Option(help: "Seed: the same seed gives the same stream, byte for byte.")
    var seed: UInt64 = 1

    @Option(help: "Stop after this many lines.")
    var facts: Int?

    @Option(help: "Output file (default: stdout).")
    var out: String?

    func run() throws {
        try CreditLedgerCommand.run {
            guard var config = SynthConfig.preset(preset, seed: seed) else {
                throw CLIFailure(.usage, "unknown preset \(preset); use district-small, district or city")
            }
            if let facts { config.subjects = max(1, min(config.subjects, facts / 8 + 1)) }
            let generator = try DistrictGenerator(config: config)
            let progress = Progress("generate", unit: "lines")
            let sink = try LineSink(path: out)
            var written = 0
            var line: [UInt8] = []
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try generator.generate { item in
                guard facts.map({ written < $0 }) ?? true else { return }
                line.removeAll(keepingCapacity: true)
                switch item {
                case .fact(let fact), .duplicate(let fact): FactJSONCodec.encode(fact, into: &line)
                case .invalid(let text, _): line.append(contentsOf: text.utf8)
                }
                line.append(UInt8(ascii: "\n"))
                try sink.write(line)
                written += 1
                if written % 65_536 == 0 { progress.update(written) }
            }
            try sink.close()
            progress.finish()
            if out != nil {
                let seconds = secondsSince(start)
                printError("generated \(written) lines in \(String(format: "%.2f", seconds)) s (\(Int(Double(written) / seconds)) lines/s)")
            }
        }
    }
}

/// Buffered output to a file or stdout.
final class LineSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let ownsHandle: Bool

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CLIFailure(.refused, "cannot create \(path)")
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            ownsHandle = true
        } else {
            handle = FileHandle.standardOutput
            ownsHandle = false
        }
        buffer.reserveCapacity(1 << 20)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        if ownsHandle { try handle.close() }
    }
}
