#if canImport(Glibc)
import Glibc
#endif
import CFuzzerDriver
import FuzzTargets

// The libFuzzer driver for every fuzz target (docs/fuzzing.md). `FUZZ_TARGET` names the target;
// the arguments are libFuzzer's. `--list` prints the targets and `--write-seeds DIR` writes the
// generated seed corpora (one folder per target) and exits.

/// Writes a line to standard error.
func complain(_ text: String) {
    let line = Array((text + "\n").utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "--list" {
    for target in FuzzTargets.all { print("\(target.name)\t\(target.summary)") }
    exit(0)
}
if arguments.count == 3, arguments[1] == "--write-seeds" {
    do { try SeedCorpus.write(to: arguments[2]) } catch {
        complain("cannot write the seeds: \(error)")
        exit(1)
    }
    exit(0)
}

guard let name = getenv("FUZZ_TARGET").map({ String(cString: $0) }), let chosen = FuzzTargets.named(name) else {
    complain("set FUZZ_TARGET to one of: \(FuzzTargets.all.map(\.name).joined(separator: " "))")
    exit(2)
}
/// The target libFuzzer drives; set once, before the driver starts.
let target = chosen

/// libFuzzer's callback: a failed property stops the run like a crash, so the input is saved.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do { try target.run(UnsafeRawBufferPointer(start: data, count: size)) } catch { fatalError("\(error)") }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
