#!/bin/sh
# Builds the libFuzzer binary (a debug build instrumented with -sanitize=fuzzer, in Fuzz/.build)
# and runs each fuzz target for FUZZ_SECONDS (default 60), one after another, starting from the
# committed seeds in Fuzz/Corpus/<target> and the inputs earlier runs kept in
# Fuzz/.build/fuzz/<target>/corpus. A crash or a failed property stops that target, saves the input
# under Fuzz/.build/fuzz/<target>/crashes/ and makes the script exit 1 after the others ran.
#
#   FUZZ_SECONDS=600 Fuzz/fuzz.sh                 every target, ten minutes each
#   FUZZ_TARGETS="binary-fact block" Fuzz/fuzz.sh  only these
#   Fuzz/fuzz.sh --write-seeds                     regenerate the committed seeds in Fuzz/Corpus
#
# Prints one line per target: executions, executions per second, corpus size, crashes.
set -eu
cd "$(dirname "$0")"
SWIFT=${SWIFT:-swift}
SECONDS_EACH=${FUZZ_SECONDS:-60}
# lld, the toolchain's linker: gold stops with an internal error on this binary's debug information.
FLAGS="-Xswiftc -sanitize=fuzzer -Xswiftc -Xclang-linker -Xswiftc -fuse-ld=lld"
# SwiftPM keeps the build plan of the path dependency (the repository's package) even when files
# were added to or removed from its targets, then fails on "missing inputs"; planning again is cheap.
rm -f .build/debug.yaml .build/*/debug/description.json
# shellcheck disable=SC2086
$SWIFT build --product credit-ledger-fuzz $FLAGS
# shellcheck disable=SC2086
BIN="$($SWIFT build --show-bin-path $FLAGS)/credit-ledger-fuzz"
if [ "${1:-}" = "--write-seeds" ]; then
    exec "$BIN" --write-seeds Corpus
fi
TARGETS=${FUZZ_TARGETS:-$("$BIN" --list | cut -f1)}

failed=""
printf '%-20s %12s %10s %8s %8s\n' target executions exec/s corpus crashes
for target in $TARGETS; do
    work=.build/fuzz/$target
    mkdir -p "$work/corpus" "$work/crashes"
    # Swift's own backtracer would take the crash signal from libFuzzer, which then saves nothing.
    # The targets that read JSON get its tokens as a dictionary.
    dict=""
    case $target in json-lines|fact-json|grading-model|measure-catalogue|rule-book|holiday-calendar) dict="-dict=json.dict" ;; esac
    status=0
    # shellcheck disable=SC2086
    SWIFT_BACKTRACE=enable=no FUZZ_TARGET=$target "$BIN" -max_total_time="$SECONDS_EACH" -timeout=10 $dict \
        -print_final_stats=1 -artifact_prefix="$work/crashes/" "$work/corpus" "Corpus/$target" >"$work/log" 2>&1 || status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
    speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$work/log" | tail -1)
    corpus=$(find "$work/corpus" -type f | wc -l)
    crashes=$(find "$work/crashes" -type f | wc -l)
    printf '%-20s %12s %10s %8s %8s\n' "$target" "${runs:-?}" "${speed:-?}" "$corpus" "$crashes"
    if [ "$status" -ne 0 ] || [ "$crashes" -ne 0 ]; then
        failed="$failed $target"
        grep -iE 'fatal error|error|Test unit written' "$work/log" | head -5 | sed 's/^/    /'
    fi
done
if [ -n "$failed" ]; then
    echo "fuzzing found problems in:$failed (inputs in Fuzz/.build/fuzz/<target>/crashes/)"
    exit 1
fi
