/// One fuzz target: what to do with one input of arbitrary bytes.
///
/// A target returns normally for every input a decoder refuses with an error (that is the decoder
/// doing its job) and for every input it accepts and that passes the target's properties. It throws
/// a ``FuzzFinding`` when a property fails (a round trip that changes the value, two ways of reading
/// that disagree); a crash (a trap, an out-of-bounds access, an overflow) is a finding too, which
/// libFuzzer catches and the corpus replay in `make test` turns into a failed test run.
public struct FuzzTarget: Sendable {
    /// The name used for `FUZZ_TARGET`, the corpus folder and the Makefile.
    public let name: String
    /// What the target reads, for `--list` and the docs.
    public let summary: String
    /// Runs one input.
    public let run: @Sendable (UnsafeRawBufferPointer) throws(FuzzFinding) -> Void

    /// Runs one input held in an array.
    public func run(_ bytes: [UInt8]) throws(FuzzFinding) {
        // `withUnsafeBytes` rethrows untyped errors, so the finding is carried out by hand.
        var finding: FuzzFinding?
        bytes.withUnsafeBytes { raw in
            do throws(FuzzFinding) { try run(raw) } catch { finding = error }
        }
        if let finding { throw finding }
    }
}

/// A property that failed on an input the decoder accepted.
public struct FuzzFinding: Error, CustomStringConvertible {
    /// The target that found it.
    public var target: String
    /// What went wrong.
    public var description: String

    init(_ target: String, _ description: String) {
        self.target = target
        self.description = "\(target): \(description)"
    }
}

/// Every fuzz target, in the order `make fuzz` runs them.
public enum FuzzTargets {
    /// The targets.
    public static let all: [FuzzTarget] = [
        jsonLines, factJSON, binaryFact, storageStructures, block, segmentFile, snapshot, viewState,
        intakeCounts, gradingModel, measureCatalogue, ruleBook, holidayCalendar,
    ]

    /// The target called `name`, if any.
    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// Splits an input into a mode byte (which variant of a target runs) and the bytes that follow.
/// An empty input is mode 0 with no payload, so that every input means something.
struct ModedInput {
    let mode: UInt8
    let payload: UnsafeRawBufferPointer

    init(_ data: UnsafeRawBufferPointer) {
        mode = data.first ?? 0
        payload = data.isEmpty ? data : UnsafeRawBufferPointer(rebasing: data[1...])
    }
}
