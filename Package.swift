// swift-tools-version: 6.1
// The architecture reads top to bottom: storage → domain facts → ledger → views → faces.
// Dependencies point one way, down that list.
import PackageDescription

let package = Package(
    name: "swift-credit-ledger",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "LedgerStorage", targets: ["LedgerStorage"]),
        .library(name: "CreditFacts", targets: ["CreditFacts"]),
        .library(name: "CreditLedger", targets: ["CreditLedger"]),
        .library(name: "CreditSynth", targets: ["CreditSynth"]),
        .library(name: "CreditPages", targets: ["CreditPages"]),
        .library(name: "CreditLedgerServer", targets: ["CreditLedgerServer"]),
        .library(name: "LedgerPostgres", targets: ["LedgerPostgres"]),
        .library(name: "CreditLedgerPostgres", targets: ["CreditLedgerPostgres"]),
        .executable(name: "credit-ledger", targets: ["CreditLedgerCLI"]),
        .executable(name: "ledger-demo", targets: ["LedgerDemo"]),
    ],
    // The library products (LedgerStorage, CreditFacts, CreditLedger, CreditDocuments, CreditPages,
    // CreditSynth) need only swift-crypto and swift-mustache. The service products (the HTTP server, the
    // PostgreSQL log, the command line) need the rest, which is conditional on the trait `Service`: on by
    // default here, so `swift build` and `make test` build everything, and a consumer that adds the
    // package with `traits: []` resolves and fetches only what the library needs (README, "Use it").
    traits: [
        .trait(name: "Service", description: "The HTTP service, the PostgreSQL log and the credit-ledger command line."),
        .default(enabledTraits: ["Service"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // `make docs` (swift package generate-documentation): used by no target, so a consumer of the
        // library never resolves it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
    ],
    targets: [
        // C shims: only what the C libraries expose, nothing of our own logic beyond CRC-32C.
        .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
        .target(name: "CCRC32C"),
        // OpenSSL's libcrypto for SM3 and SM2 (国密), which swift-crypto does not offer.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),

        // The append-only log. Knows nothing of credit.
        .target(
            name: "LedgerStorage",
            dependencies: ["CLZ4", "CCRC32C", "COpenSSL", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "LedgerStorageTests",
            dependencies: ["LedgerStorage", "LogTestSupport"]
        ),
        // Test support: deterministic payloads, and the child process the crash tests kill.
        .target(name: "LogTestSupport", path: "Tests/Support/LogTestSupport"),
        .executableTarget(
            name: "LogCrashWriter", dependencies: ["LedgerStorage", "LogTestSupport"], path: "Tests/Support/LogCrashWriter"),

        // The log in PostgreSQL (docs/postgres.md): the same records, blocks and chain as the file log, one
        // row per group commit, for several ledger processes on several hosts sharing one history. A
        // separate target so users of the file log alone never build postgres-nio.
        .target(
            name: "LedgerPostgres",
            dependencies: [
                "LedgerStorage", "CLZ4",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Service"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Service"])),
            ]
        ),
        // The log protocol's conformance suite over both backends (file, PostgreSQL), and the
        // PostgreSQL log's own tests (several writers, faults) against a private server.
        .testTarget(
            name: "LogBackendTests",
            dependencies: [
                "LedgerPostgres", "LedgerStorage", "LogTestSupport", "PostgresTestSupport",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["Service"])),
            ]
        ),
        // Test support: a private PostgreSQL 15 cluster (initdb, pg_ctl) for the tests of one process.
        .target(name: "PostgresTestSupport", path: "Tests/Support/PostgresTestSupport"),

        // The vocabulary: identifiers, facts, interchange, binary codec, calendar, rule regimes.
        .target(
            name: "CreditFacts",
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "CreditFactsTests",
            dependencies: ["CreditFacts", .product(name: "PropertyBased", package: "swift-property-based")],
            resources: [.copy("Fixtures")]
        ),

        // Deterministic synthetic district streams (presets district-small, district, city).
        .target(name: "CreditSynth", dependencies: ["CreditFacts"]),
        .testTarget(name: "CreditSynthTests", dependencies: ["CreditSynth"]),

        // The ledger: validated append, the projection engine, bitemporal queries, snapshots, digests.
        .target(
            name: "CreditLedger",
            dependencies: ["LedgerStorage", "CreditFacts", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "CreditLedgerTests",
            dependencies: ["CreditLedger", "LogTestSupport", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .executableTarget(name: "LedgerDigestChild", dependencies: ["CreditLedger"], path: "Tests/Support/LedgerDigestChild"),
        .executableTarget(name: "LedgerImportChild", dependencies: ["CreditLedger"], path: "Tests/Support/LedgerImportChild"),
        .executableTarget(name: "LedgerFollowChild", dependencies: ["CreditLedger", "LedgerStorage"], path: "Tests/Support/LedgerFollowChild"),

        // The ledger on a PostgreSQL log (Ledger.open(postgres:)), kept apart so that CreditLedger
        // never builds postgres-nio.
        .target(name: "CreditLedgerPostgres", dependencies: ["CreditLedger", "LedgerPostgres", "LedgerStorage"]),
        .testTarget(
            name: "CreditLedgerPostgresTests",
            dependencies: ["CreditLedgerPostgres", "CreditLedger", "CreditFacts", "LedgerPostgres", "LedgerStorage", "LogTestSupport", "PostgresTestSupport"]
        ),

        // Faces.
        // The answers to queries as JSON documents, the same bytes from the CLI and the server.
        .target(name: "CreditDocuments", dependencies: ["CreditLedger", "CreditFacts", "LedgerStorage"]),
        // The HTML pages, rendered from the typed documents through Mustache templates a district can
        // override (shipped in Resources/templates); for the CLI and, when it serves pages, the server.
        .target(
            name: "CreditPages",
            dependencies: ["CreditDocuments", "CreditLedger", "CreditFacts", "LedgerStorage", .product(name: "Mustache", package: "swift-mustache")],
            resources: [.copy("Resources")]
        ),
        .testTarget(name: "CreditPagesTests", dependencies: ["CreditPages", "CreditDocuments", "CreditLedger", "CreditFacts", "CreditSynth"]),
        // The ledger as an HTTP service: routes under /v1/, bearer tokens and roles, limits.
        .target(
            name: "CreditLedgerServer",
            dependencies: [
                "CreditLedger", "CreditFacts", "CreditDocuments", "CreditPages", "LedgerStorage",
                .product(name: "Hummingbird", package: "hummingbird", condition: .when(traits: ["Service"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Service"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle", condition: .when(traits: ["Service"])),
                .product(name: "UnixSignals", package: "swift-service-lifecycle", condition: .when(traits: ["Service"])),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics", condition: .when(traits: ["Service"])),
                .product(name: "Prometheus", package: "swift-prometheus", condition: .when(traits: ["Service"])),
            ],
            resources: [.copy("Resources")]
        ),
        .testTarget(
            name: "CreditLedgerServerTests",
            dependencies: ["CreditLedgerServer", "CreditLedger", "CreditFacts", "CreditPages", "LedgerStorage", "PostgresTestSupport",
                           .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Service"]))]
        ),
        .executableTarget(
            name: "CreditLedgerCLI",
            dependencies: [
                "CreditLedger", "CreditFacts", "CreditSynth", "LedgerStorage", "CreditDocuments", "CreditPages", "CreditLedgerServer",
                "LedgerPostgres", "CreditLedgerPostgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser", condition: .when(traits: ["Service"])),
                .product(name: "Logging", package: "swift-log", condition: .when(traits: ["Service"])),
            ]
        ),
        .testTarget(name: "CreditLedgerCLITests", dependencies: ["CreditFacts", "PostgresTestSupport"]),
        .executableTarget(name: "LedgerDemo", dependencies: ["LedgerStorage"]),
        .executableTarget(name: "log-auditor", dependencies: ["LedgerStorage"], path: "Examples/LogAuditor"),
        .executableTarget(
            name: "readme-example", dependencies: ["CreditLedger", "CreditFacts", "CreditPages"], path: "Examples/ReadmeExample"),
        .executableTarget(
            name: "embedded-service", dependencies: ["CreditLedger", "CreditFacts", "LedgerStorage"], path: "Examples/EmbeddedService"),
        .executableTarget(
            name: "procurement-service", dependencies: ["CreditLedger", "CreditFacts"], path: "Examples/ProcurementService"),
        .executableTarget(
            name: "ledger-auditor", dependencies: ["CreditLedger", "CreditFacts", "LedgerStorage", "CreditDocuments"], path: "Examples/LedgerAuditor"),

        // Fuzzing (docs/fuzzing.md): the fuzz targets of the Fuzz/ package, replayed over their committed
        // seed corpora and deterministic mutations of them. The short pass of `make test`: it needs no
        // sanitized build; `make fuzz` runs the same targets under libFuzzer.
        .testTarget(
            name: "FuzzCorpusTests",
            dependencies: ["CreditFacts", "CreditLedger", "CreditSynth", "LedgerStorage"],
            path: "Fuzz/Sources",
            exclude: ["CFuzzerDriver", "credit-ledger-fuzz"],
            sources: ["FuzzTargets", "FuzzCorpusTests"]
        ),

        // The server's load test (`make bench-server`): real clients against a real `credit-ledger serve`.
        .executableTarget(
            name: "server-load", dependencies: ["CreditLedger", "CreditFacts", "CreditSynth", "CreditLedgerServer"],
            path: "Benchmarks/ServerLoad"),

        // What each view holds in memory per fact (docs/performance.md): `view-memory LEDGER`.
        .target(name: "CHeapStats", path: "Benchmarks/CHeapStats"),
        .executableTarget(name: "view-memory", dependencies: ["CreditLedger", "CreditFacts", "CreditSynth", "CHeapStats"], path: "Benchmarks/ViewMemory"),

        // Appends to a PostgreSQL log as one writer, for the concurrent-writer figures (docs/postgres.md).
        .executableTarget(name: "postgres-log-load", dependencies: ["LedgerPostgres", "LedgerStorage"], path: "Benchmarks/PostgresLoad"),

        // The package-benchmark suites are a package of their own (Benchmarks/Package.swift, `make bench`),
        // so that this manifest, the one a consumer adds, names no benchmarking package.
    ],
    swiftLanguageModes: [.v6]
)
