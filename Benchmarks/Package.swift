// swift-tools-version: 6.1
// The package-benchmark suites, in a package of their own so that the library's manifest (the one
// a consumer adds with `.package(url:from:)`) names no benchmarking package. They depend on the
// library by path. Run from the repository's root with `make bench`, or here with
// `swift package --disable-sandbox benchmark` (add `--target StorageBenchmarks`, `--filter "Append.*"`, …).
//
// package-benchmark runs the executable targets whose directory lies in a directory named
// `Benchmarks`: this package's own directory, so each suite keeps its folder here
// (`Benchmarks/StorageBenchmarks`, `Benchmarks/LedgerBenchmarks`).
import PackageDescription

/// The library, by path. Named, because a path dependency's identity is otherwise the name of the
/// directory it was cloned into (`swift-credit-ledger`, or whatever a clone is called).
let library = "swift-credit-ledger"

let package = Package(
    name: "credit-ledger-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: library, path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The log: append, scan, verify, proofs.
        .executableTarget(
            name: "StorageBenchmarks",
            dependencies: [.product(name: "LedgerStorage", package: library), .product(name: "Benchmark", package: "benchmark")],
            path: "StorageBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The proof figures (docs/proofs.md): builds a 30 M-record log first, so `make bench` skips it
        // (`make bench-proofs` runs it).
        .executableTarget(
            name: "ProofBenchmarks",
            dependencies: [.product(name: "LedgerStorage", package: library), .product(name: "Benchmark", package: "benchmark")],
            path: "ProofBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        // The ledger: import, replay, one subject, grading, measures, penetration, the office's reports.
        .executableTarget(
            name: "LedgerBenchmarks",
            dependencies: [
                .product(name: "CreditLedger", package: library), .product(name: "CreditFacts", package: library),
                .product(name: "CreditSynth", package: library), .product(name: "LedgerStorage", package: library),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "LedgerBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
