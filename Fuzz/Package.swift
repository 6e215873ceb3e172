// swift-tools-version: 6.1
// The libFuzzer build of swift-credit-ledger (see docs/fuzzing.md). A package of its own so that the
// sanitized build has its own build folder and the root package and its consumers never see it.
import PackageDescription

let package = Package(
    name: "credit-ledger-fuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "swift-credit-ledger", path: "..")],
    targets: [
        // What each fuzz target does with one input; also replayed over the seed corpora by the root
        // package's FuzzCorpusTests, so the short pass in `make test` needs no sanitized build.
        .target(
            name: "FuzzTargets",
            dependencies: [
                .product(name: "CreditFacts", package: "swift-credit-ledger"),
                .product(name: "CreditLedger", package: "swift-credit-ledger"),
                .product(name: "CreditSynth", package: "swift-credit-ledger"),
                .product(name: "LedgerStorage", package: "swift-credit-ledger"),
            ]
        ),
        // libFuzzer's entry point; `main` comes from libFuzzer (`-sanitize=fuzzer`).
        .target(name: "CFuzzerDriver"),
        .executableTarget(name: "credit-ledger-fuzz", dependencies: ["FuzzTargets", "CFuzzerDriver"]),
    ],
    swiftLanguageModes: [.v6]
)
