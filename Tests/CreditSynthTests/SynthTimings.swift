import CreditFacts
import Foundation
import Testing
@testable import CreditSynth

/// Generation rate, measured not asserted: run by hand in a release build with
/// `CREDITSYNTH_TIMING=1 swift test -c release --filter SynthTimings` (preset via CREDITSYNTH_PRESET).
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CREDITSYNTH_TIMING"] != nil))
struct SynthTimings {
    @Test func presetStreamsToAFile() throws {
        let name = ProcessInfo.processInfo.environment["CREDITSYNTH_PRESET"] ?? "district-small"
        let config = try #require(SynthConfig.preset(name))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("synth-\(UUID()).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let start = ContinuousClock.now
        let stats = try DistrictGenerator(config: config).write(to: path)
        let d = ContinuousClock.now - start
        let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        print("timing: \(name): \(stats.subjects) subjects, \(stats.facts) facts in \(seconds)s = \(Int(Double(stats.facts) / seconds)) facts/s")
        #expect(stats.facts > 0)
    }
}
