#!/usr/bin/env bash
# A package that adds this one with `traits: []` (the library only, README "Use it in ten minutes") must
# resolve nothing but what the library needs: swift-crypto (with swift-asn1) and swift-mustache.
# CONSUMER_BUILD=1 also builds and runs the README's example in that package.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
SWIFT="${SWIFT:-swift}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/consumer/Sources/Office"
ln -s "$root" "$work/swift-credit-ledger"
cat > "$work/consumer/Package.swift" <<'MANIFEST'
// swift-tools-version:6.1
import PackageDescription
let package = Package(
    name: "office",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../swift-credit-ledger", traits: [])],
    targets: [
        .executableTarget(name: "Office", dependencies: [
            .product(name: "CreditLedger", package: "swift-credit-ledger"),
            .product(name: "CreditFacts", package: "swift-credit-ledger"),
            .product(name: "CreditPages", package: "swift-credit-ledger"),
        ]),
    ]
)
MANIFEST
cp "$root/Examples/ReadmeExample/main.swift" "$work/consumer/Sources/Office/main.swift"
cd "$work/consumer"
if ! "$SWIFT" package resolve > resolve.log 2>&1; then cat resolve.log >&2; exit 1; fi
resolved="$(ls .build/checkouts | sort | tr '\n' ' ')"
expected="swift-asn1 swift-crypto swift-mustache "
if [[ "$resolved" != "$expected" ]]; then
    echo "check-consumer: a library-only consumer resolved [$resolved], expected [$expected]" >&2
    exit 1
fi
echo "check-consumer: a library-only consumer resolves only: $resolved"
if [[ "${CONSUMER_BUILD:-0}" == 1 ]]; then
    "$SWIFT" build
    "$SWIFT" run Office
fi
