#!/usr/bin/env bash
# How time and memory grow with the ledger (docs/performance.md, "How time and memory grow"):
# for each CreditSynth preset named (seed 1), these steps, one process each, under
# `/usr/bin/time -v` (view-memory makes the library calls the command line makes):
#   generate   view-memory --generate P DIR/P.jsonl (as `credit-ledger generate --preset P --seed 1`)
#   import     view-memory DIR/P --import DIR/P.jsonl (as `credit-ledger import`: all-or-nothing, then
#              the close writes a snapshot)
#   queries    view-memory DIR/P --open-query DATE (open from the snapshot, one digest; 101 subjects'
#              documents, now and as known at the log's middle fact)
#   rebuild    view-memory DIR/P --replay-only --cores 2 (every view rebuilt from the log)
# and, when the command line is built:
#   digest     credit-ledger digest --as-of DATE (open from the snapshot, one digest)
#   subject    credit-ledger subject ID --as-of DATE --known-at T --json (open, one subject as known
#              at the middle fact's time: the subject of the input's middle line)
#   replay     credit-ledger replay --as-of DATE (every view rebuilt from the log, then the ledger
#              opened and the two digests compared)
# and the bytes on disk. Prints one Markdown row per step: wall seconds, CPU seconds (user + system),
# facts per wall second and per CPU second, peak RSS, the load average when the step began.
#
#   swift build -c release --product credit-ledger && swift build -c release --product view-memory
#   scripts/growth-table.sh /work/growth district-small district city
#
# A step is stopped (and the preset abandoned) when the machine's available memory falls under
# MIN_AVAILABLE_MIB (default 4096): on a machine other jobs share, a run must not starve them.
set -uo pipefail
cd "$(dirname "$0")/.."
CLI=${CLI:-$PWD/.build/release/credit-ledger}
VM=${VM:-$PWD/.build/release/view-memory}
MIN_AVAILABLE_MIB=${MIN_AVAILABLE_MIB:-4096}
AS_OF=${AS_OF:-2025-06-30}
[ $# -ge 2 ] || { echo "usage: $0 DIR PRESET..." >&2; exit 64; }
DIR=$1; shift
mkdir -p "$DIR"
[ -x "$VM" ] || { echo "$VM: not built (release)" >&2; exit 64; }

available_mib() { awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo; }

# run NAME FACTS CMD…: runs CMD under /usr/bin/time -v, watching the available memory; prints a row.
run() {
    local name=$1 facts=$2; shift 2
    local out="$DIR/$PRESET.$name.out" timing="$DIR/$PRESET.$name.time" load
    load=$(cut -d' ' -f1 /proc/loadavg)
    /usr/bin/time -v -o "$timing" "$@" > "$out" 2> "$out.err" &
    local pid=$! lowest
    lowest=$(available_mib)
    while kill -0 "$pid" 2>/dev/null; do
        local now
        now=$(available_mib)
        [ "$now" -lt "$lowest" ] && lowest=$now
        if [ "$now" -lt "$MIN_AVAILABLE_MIB" ]; then
            echo "$PRESET $name: available memory $now MiB < $MIN_AVAILABLE_MIB MiB: stopped" >&2
            pkill -TERM -P "$pid"; kill -TERM "$pid"
            wait "$pid"
            return 1
        fi
        sleep 1
    done
    wait "$pid"; local status=$?
    local wall user sys rss
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s }' "$timing")
    user=$(awk -F': ' '/User time/ { print $2 }' "$timing")
    sys=$(awk -F': ' '/System time/ { print $2 }' "$timing")
    rss=$(awk -F': ' '/Maximum resident/ { print int($2 / 1024) }' "$timing")
    local cpu
    cpu=$(echo "$user + $sys" | bc)
    printf '| %s | %s | %s | %.1f | %.1f | %s | %s | %d | %d | %s | %s |\n' "$PRESET" "$name" "$facts" "$wall" "$cpu" \
        "$( [ "$facts" -gt 0 ] && echo "scale=0; $facts / $wall" | bc || echo -)" \
        "$( [ "$facts" -gt 0 ] && echo "scale=0; $facts / $cpu" | bc || echo -)" \
        "$rss" "$( [ "$facts" -gt 0 ] && echo $((rss * 1048576 / facts)) || echo 0)" "$load" "$lowest" | tee -a "$DIR/table.md"
    [ $status -eq 0 ] || { echo "$PRESET $name: exit $status (see $out.err)" >&2; return 1; }
}

echo "| preset | step | facts | wall s | CPU s | facts/s (wall) | facts per CPU-s | peak RSS MiB | RSS bytes per fact | load | lowest MemAvailable MiB |" | tee -a "$DIR/table.md"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|" | tee -a "$DIR/table.md"
for PRESET in "$@"; do
    input="$DIR/$PRESET.jsonl" ledger="$DIR/$PRESET"
    rm -rf "$ledger" "$input"
    run generate 0 "$VM" --generate "$PRESET" "$input" || continue
    lines=$(wc -l < "$input")
    run import "$lines" "$VM" "$ledger" --import "$input" || continue
    facts=$(sed -n 's/^imported \([0-9]*\) facts.*/\1/p' "$DIR/$PRESET.import.out")
    echo "$PRESET after import: ledger $(du -sb "$ledger" | cut -f1) bytes, log $(du -sb "$ledger/log" | cut -f1) bytes" >> "$DIR/notes.md"
    run queries "$facts" "$VM" "$ledger" --open-query "$AS_OF" || continue
    run rebuild "$facts" "$VM" "$ledger" --replay-only --cores 2 || continue
    if [ -x "$CLI" ]; then
        # The subject of the input's middle line, asked about as known at the log's middle fact.
        subject=$(sed -n "$((lines / 2))p" "$input" | sed 's/.*"subject":"\([^"]*\)".*/\1/')
        middle=$(sed -n 's/^middle fact recorded //p' "$DIR/$PRESET.queries.out")
        run digest "$facts" "$CLI" digest --ledger "$ledger" --as-of "$AS_OF" || continue
        run subject "$facts" "$CLI" subject "$subject" --ledger "$ledger" --as-of "$AS_OF" --known-at "$middle" --json || continue
        run replay "$facts" "$CLI" replay --ledger "$ledger" --as-of "$AS_OF" || continue
    fi
    {
        echo
        echo "$PRESET: $facts facts, $(du -sb "$input" | cut -f1) bytes of JSON Lines; ledger $(du -sb "$ledger" | cut -f1) bytes," \
            "log $(du -sb "$ledger/log" | cut -f1) bytes ($(( $(du -sb "$ledger" | cut -f1) / facts )) bytes per fact, log $(( $(du -sb "$ledger/log" | cut -f1) / facts )))"
        ls -l "$ledger" "$ledger"/* | grep -v '^total'
        for step in import queries rebuild digest replay; do [ -f "$DIR/$PRESET.$step.out" ] && echo "$step: $(cat "$DIR/$PRESET.$step.out")"; done
        echo
    } >> "$DIR/notes.md"
done
