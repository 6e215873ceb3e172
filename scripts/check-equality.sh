#!/usr/bin/env bash
# Behaviour equality across a change: the answers of a base revision and of the working tree, on the
# same ledger, must be byte-identical.
#
#   scripts/check-equality.sh [--base REV] [--preset NAME] [--keep DIR] [--base-only]
#
# --keep DIR keeps the ledger and the base's answers there, so a later run against a new working tree
# only answers with the new binary (--base-only stops after the base's answers).
# BASE_BIN=PATH uses an already built base binary instead of building REV; NEW_BIN=PATH an already
# built binary of the working tree (a debug build is enough on district-small).
# Builds the base revision (default: the last commit before the query-side refactor) in a worktree
# under .build-equality/, and the working tree, both in release. The base binary generates the
# preset (seed 1) and imports it in three parts into one ledger (so there are three recording
# instants to ask `--known-at` about); both binaries then answer, on copies of that ledger:
# `digest` for several (--as-of, --known-at) pairs, `grades --draw`, `penetration`, `quality` and
# `feedback` as JSON, and `subject`, `report`, `match` (every scene) as JSON for a dozen subjects
# picked from the stream (penalised organisations, each kind of list, a repaired record, persons
# reached through roles). Exit 0 when every answer is equal, 1 naming the first that differs.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BASE=012555b
PRESET=district
KEEP=""
BASE_ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --base) BASE=$2; shift 2 ;;
        --preset) PRESET=$2; shift 2 ;;
        --keep) KEEP=$2; shift 2 ;;
        --base-only) BASE_ONLY=1; shift ;;
        *) echo "usage: $0 [--base REV] [--preset NAME] [--keep DIR]" >&2; exit 64 ;;
    esac
done

WORK=${KEEP:-$(mktemp -d)}
mkdir -p "$WORK"
[ -n "$KEEP" ] || trap 'rm -rf "$WORK"' EXIT
WT="$ROOT/.build-equality/base"

echo "== build the base ($BASE) and the working tree (release)"
if [ -n "${BASE_BIN:-}" ]; then
    OLD=$BASE_BIN
else
    if [ ! -d "$WT" ]; then git worktree add --detach "$WT" "$BASE" >/dev/null; fi
    git -C "$WT" checkout --quiet --detach "$BASE"
    (cd "$WT" && swift build -c release --product credit-ledger 2>&1 | tail -1)
    OLD="$WT/.build/release/credit-ledger"
fi
if [ -n "${NEW_BIN:-}" ]; then
    NEW=$NEW_BIN
else
    swift build -c release --product credit-ledger 2>&1 | tail -1
    NEW="$ROOT/.build/release/credit-ledger"
fi

echo "== generate '$PRESET' and import it in three parts with the base binary"
STREAM="$WORK/stream.jsonl"
[ -f "$STREAM" ] || "$OLD" generate --preset "$PRESET" --seed 1 --out "$STREAM" >/dev/null
LINES=$(wc -l < "$STREAM")
THIRD=$(( (LINES + 2) / 3 ))
# With --keep, a second run reuses the ledger, its instants and the base's answers.
if [ -f "$WORK/known" ] && [ -d "$WORK/ledger" ]; then
    mapfile -t KNOWN < "$WORK/known"
else
    rm -rf "$WORK/ledger" "$WORK/part."* "$WORK/base"
    split -l "$THIRD" -d "$STREAM" "$WORK/part."
    KNOWN=()
    for part in "$WORK"/part.*; do
        "$OLD" import --ledger "$WORK/ledger" "$part" >/dev/null
        KNOWN+=("$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)")
        sleep 1
    done
    printf '%s\n' "${KNOWN[@]}" > "$WORK/known"
fi

# A dozen subjects, picked from the stream the same way every run.
pick() { (set +o pipefail; grep "$1" "$STREAM" | sed -n 's/.*"subject":"\([0-9A-Z]*\)".*/\1/p' | sed -n "${2:-1}p"); }
person_of() { (set +o pipefail; grep -m1 "\"type\":\"role.assigned\",\"subject\":\"$1\"" "$STREAM" | sed 's/.*"person":"\([0-9X]*\)".*/\1/'); }
SUBJECTS=(
    "$(pick '"type":"penalty.decided","subject":"91[^"]*","source":"[^"]*","effective":"202[45].*"severity":"serious"' 1)"
    "$(pick '"type":"penalty.decided","subject":"91.*"severity":"general"' 3)"
    "$(pick '"type":"penalty.decided","subject":"[0-9]\{17\}[0-9X]"' 1)"
    "$(pick '"type":"list.entered","subject":"9[^"]*","source":"[^"]*","effective":"202[45].*"list":"judgmentDefaulter"' 1)"
    "$(pick '"type":"list.entered","subject":"9[^"]*","source":"[^"]*","effective":"202[2345].*"list":"seriousDishonesty"' 1)"
    "$(pick '"list":"abnormalOperation"' 2)"
    "$(pick '"list":"red"' 1)"
    "$(pick '"type":"repair.decided"' 1)"
    "$(pick '"type":"commitment.breached"' 1)"
    "$(pick '"type":"objection.raised"' 1)"
)
# Persons reached through their roles in the penalised and listed organisations.
SUBJECTS+=("$(person_of "${SUBJECTS[0]}")" "$(person_of "${SUBJECTS[3]}")" "$(person_of "${SUBJECTS[4]}")")
# Every scene on small presets; on larger ones (each command opens the ledger from its snapshot, which
# takes seconds) three scenes, since `subject` lists the measures of every scene anyway.
if [ "$PRESET" = district-small ]; then
    SCENES=(procurement bidding fiscalSupport landSupply licensing honours highConsumption publicOffice marketEntry inspection financing)
else
    SCENES=(procurement highConsumption licensing)
fi
# Every answer names its instant: "known now" would differ between the two runs.
ALL=${KNOWN[2]}
PAIRS=("2022-12-31|${KNOWN[0]}" "2024-06-30|${KNOWN[1]}" "2025-06-30|$ALL" "2026-06-30|$ALL" "2023-03-15|${KNOWN[0]}")

# The working tree masks identity numbers unless told (--show-identities); the base does not know
# the option and never masked. Each side gets the options that make it answer in full.
answer() { # BIN OUTDIR [OPTION…]: the options go to every query of BIN
    local bin=$1 out=$2 ledger=$2/ledger
    local extra=("${@:3}")
    mkdir -p "$out" && cp -r "$WORK/ledger" "$ledger"
    local i=0
    for pair in "${PAIRS[@]}"; do
        local asof=${pair%%|*} known=${pair#*|}
        local args=(--ledger "$ledger" --as-of "$asof")
        args+=(--known-at "$known")
        "$bin" digest "${args[@]}" "${extra[@]}" > "$out/digest.$i"
        i=$((i + 1))
    done
    "$bin" grades --ledger "$ledger" --as-of 2025-06-30 --known-at "$ALL" --draw 2025 --json "${extra[@]}" > "$out/grades.json"
    "$bin" penetration --ledger "$ledger" --as-of 2025-06-30 --known-at "$ALL" --json "${extra[@]}" > "$out/penetration.json"
    "$bin" quality --ledger "$ledger" --as-of 2026-06-30 --known-at "$ALL" --json "${extra[@]}" > "$out/quality.json"
    "$bin" feedback --ledger "$ledger" --from 2024-01-01 --to 2024-12-31 --known-at "$ALL" --json "${extra[@]}" > "$out/feedback.json"
    for s in "${SUBJECTS[@]}"; do
        [ -n "$s" ] || continue
        for pair in "2024-06-30|${KNOWN[1]}" "2025-06-30|$ALL"; do
            local asof=${pair%%|*} known=${pair#*|} tag=${pair%%|*}
            local args=(--ledger "$ledger" --as-of "$asof")
            args+=(--known-at "$known")
            "$bin" subject "$s" "${args[@]}" --json "${extra[@]}" > "$out/subject.$s.$tag.json"
            "$bin" report "$s" "${args[@]}" --format json "${extra[@]}" > "$out/report.$s.$tag.json"
            for scene in "${SCENES[@]}"; do
                "$bin" match "$s" --scene "$scene" "${args[@]}" --json "${extra[@]}" > "$out/match.$s.$scene.$tag.json"
            done
        done
    done
    rm -rf "$ledger"
}

if [ -f "$WORK/base.done" ] && [ "$(cat "$WORK/base.done")" = "$OLD" ]; then
    echo "== answers of the base: kept from an earlier run"
else
    echo "== answers of the base"
    rm -rf "$WORK/base"
    answer "$OLD" "$WORK/base"
    echo "$OLD" > "$WORK/base.done"
fi
[ -z "$BASE_ONLY" ] || { echo "base answers in $WORK/base"; exit 0; }
echo "== answers of the working tree"
rm -rf "$WORK/new"
answer "$NEW" "$WORK/new" --show-identities

COUNT=$(ls "$WORK/base" | wc -l)
if diff -rq "$WORK/base" "$WORK/new" >/dev/null; then
    echo "equal: $COUNT answers byte-identical for ${#SUBJECTS[@]} subjects (preset $PRESET, base $BASE)"
else
    # Kept first, listed from a file: a pipe into head would end the script on SIGPIPE (141)
    # under pipefail, before the answers were kept.
    trap - EXIT
    diff -rq "$WORK/base" "$WORK/new" > "$WORK/differences" || true
    head -20 "$WORK/differences"
    echo "DIFFERENT: $(wc -l < "$WORK/differences") answers; see $WORK (kept)" >&2
    exit 1
fi
