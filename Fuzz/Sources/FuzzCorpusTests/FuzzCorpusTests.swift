import Foundation
import Testing

/// The short fuzzing pass of `make test`: every fuzz target runs over its committed seed corpus and
/// then over deterministic mutations of those seeds (a fixed count per target, from a seed derived
/// from the target's name), in an ordinary debug build. libFuzzer (`make fuzz`) explores far more;
/// this pass keeps every seed and the mutations near them from regressing in every CI run.
@Suite struct FuzzCorpusTests {
    /// `Fuzz/Corpus`, found from this file's place in `Fuzz/Sources/FuzzCorpusTests/`.
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Corpus").path
    /// Mutations per target; targets that touch files or parse whole rule files get fewer.
    static let mutations = 300
    /// No target's mutations may take longer than this on a loaded machine; the count run is printed.
    static let budget = Duration.seconds(4)

    static func seeds(_ target: String) throws -> [[UInt8]] {
        let folder = corpus + "/" + target
        return try FileManager.default.contentsOfDirectory(atPath: folder).sorted().map { name in
            [UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name)))
        }
    }

    @Test(arguments: FuzzTargets.all.map(\.name))
    func everySeedAndItsMutationsPassTheTarget(_ name: String) throws {
        let target = try #require(FuzzTargets.named(name))
        let seeds = try Self.seeds(name)
        #expect(!seeds.isEmpty, "every target has a committed seed corpus")
        for seed in seeds {
            do { try target.run(seed) } catch { Issue.record("seed: \(error)") }
        }
        var mutator = Mutator(seed: Mutator.seed(for: name), seeds: seeds)
        let clock = ContinuousClock()
        let deadline = clock.now + Self.budget
        var runs = 0
        while runs < Self.mutations, clock.now < deadline {
            let input = mutator.next()
            do { try target.run(input) } catch {
                Issue.record("mutation \(runs) (\(input.count) bytes: \(input.prefix(64).map { String($0, radix: 16) })): \(error)")
            }
            runs += 1
        }
        print("fuzz corpus replay: \(name): \(seeds.count) seeds, \(runs) mutations")
    }

    @Test func everyTargetHasASeedFolderAndNoFolderLacksATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus).sorted()
        #expect(folders == FuzzTargets.all.map(\.name).sorted())
    }
}

/// Deterministic byte-level mutations of seeds, in the spirit of libFuzzer's: bit flips, random and
/// boundary bytes, insertions, deletions, repeats and splices of two seeds.
struct Mutator {
    private var state: UInt64
    let seeds: [[UInt8]]

    init(seed: UInt64, seeds: [[UInt8]]) {
        state = seed
        self.seeds = seeds
    }

    /// FNV-1a of the name, so each target has its own stream, the same on every run.
    static func seed(for name: String) -> UInt64 {
        name.utf8.reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 }
    }

    /// SplitMix64.
    private mutating func random() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(random() % UInt64(n)) }

    /// A seed with one to four mutations applied.
    mutating func next() -> [UInt8] {
        var bytes = seeds[below(seeds.count)]
        for _ in 0...below(4) { mutate(&bytes) }
        return bytes
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        let boundary: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x22, 0x5C, 0x0A, 0x0D, 0x7B, 0x7D]
        guard !bytes.isEmpty else { bytes.append(UInt8(truncatingIfNeeded: random())); return }
        let at = below(bytes.count)
        switch below(7) {
        case 0: bytes[at] ^= 1 << UInt8(below(8))
        case 1: bytes[at] = UInt8(truncatingIfNeeded: random())
        case 2: bytes[at] = boundary[below(boundary.count)]
        case 3: bytes.insert(contentsOf: (0...below(8)).map { _ in UInt8(truncatingIfNeeded: random()) }, at: at)
        case 4: bytes.removeSubrange(at..<min(bytes.count, at + 1 + below(16)))
        case 5:
            let end = min(bytes.count, at + 1 + below(32))
            bytes.insert(contentsOf: bytes[at..<end], at: below(bytes.count))
        default:
            let other = seeds[below(seeds.count)]
            let cut = below(other.count + 1)
            bytes = Array(bytes[..<at]) + Array(other[cut...])
        }
    }
}
