#!/usr/bin/env bash
# The district demo (`make demo`): generate the `district` preset, import it into an embedded
# ledger under demo/, and show what the ledger answers — rates, verification, the grade
# distribution, penetration coverage, data quality, joint measures, one subject's report, and its
# state as of two dates and as known at two instants (the auditor's view of time).
set -euo pipefail
cd "$(dirname "$0")/.."
CLI=${CLI:-.build/release/credit-ledger}
DEMO=${DEMO_DIR:-demo}
PRESET=${DEMO_PRESET:-district}

rm -rf "$DEMO" && mkdir -p "$DEMO"
step() { printf '\n== %s\n' "$*"; }

step "generate the '$PRESET' preset (seed 1)"
$CLI generate --preset "$PRESET" --seed 1 --out "$DEMO/district.jsonl"
printf '%s lines, %s\n' "$(wc -l < "$DEMO/district.jsonl")" "$(du -h "$DEMO/district.jsonl" | cut -f1)"

step "import into $DEMO/ledger (all-or-nothing: validate every line, then append in group commits)"
$CLI import --ledger "$DEMO/ledger" "$DEMO/district.jsonl"

# One organisation with a general or serious penalty decided in early 2025, to follow through time.
SUBJECT=$(set +o pipefail; grep '"type":"penalty.decided","subject":"91' "$DEMO/district.jsonl" | grep '"effective":"2025-0[1-4]' \
    | grep -m1 '"procedure":"ordinary"' | sed 's/.*"subject":"\([0-9A-Z]*\)".*/\1/')
[ -n "$SUBJECT" ] || SUBJECT=$(set +o pipefail; grep -m1 '"type":"penalty.decided"' "$DEMO/district.jsonl" | sed 's/.*"subject":"\([0-9A-Z]*\)".*/\1/')
KNOWN_BEFORE=$(date -u +%Y-%m-%dT%H:%M:%S.%6NZ)
sleep 1

step "a later report: $SUBJECT renamed and its legal representative replaced, effective 2025-03-01"
cat > "$DEMO/correction.jsonl" <<LINES
{"id":"DEMO-RENAME-1","type":"subject.registered","subject":"$SUBJECT","source":"310114-SCJG","effective":"2025-03-01","body":{"name":"上海嘉定示范有限公司","kind":"enterprise","region":"310114"}}
{"id":"DEMO-ROLE-1","type":"role.assigned","subject":"$SUBJECT","source":"310114-SCJG","effective":"2025-03-01","body":{"person":"11010519491231002X","role":"legalRepresentative"}}
LINES
$CLI import --ledger "$DEMO/ledger" "$DEMO/correction.jsonl"

step "replay every view from the log alone (both cores)"
$CLI replay --ledger "$DEMO/ledger" --as-of 2025-06-30

step "verify every checksum and the hash chain"
$CLI verify --ledger "$DEMO/ledger"

step "grades as of 2025-06-30 (信用分级分类监管) with the random-inspection draw for seed 2025 (双随机)"
$CLI grades --ledger "$DEMO/ledger" --as-of 2025-06-30 --draw 2025 --html "$DEMO/grades.html"

step "penetration coverage as of 2025-06-30 (穿透式监管: organisations' dishonesty records linked to persons)"
$CLI penetration --ledger "$DEMO/ledger" --as-of 2025-06-30 --limit 5 --html "$DEMO/penetration.html"

# A judgment defaulter's legal representative: reached by the high-consumption ban (联合奖惩).
FOUND=""
while IFS= read -r line; do
    ORG=$(sed 's/.*"subject":"\([0-9A-Z]*\)".*/\1/' <<<"$line")
    ON=$(sed -n 's/.*"publishFrom":"\([0-9-]*\)".*/\1/p' <<<"$line")
    LR=$(grep -m1 "\"type\":\"role.assigned\",\"subject\":\"$ORG\"" "$DEMO/district.jsonl" | sed 's/.*"person":"\([0-9X]*\)".*/\1/' || true)
    [ -n "$LR" ] && [ -n "$ON" ] || continue
    if $CLI match "$LR" --scene highConsumption --ledger "$DEMO/ledger" --as-of "$ON" --json | grep -q '"id"'; then FOUND=1; break; fi
done < <(grep '"list":"judgmentDefaulter"' "$DEMO/district.jsonl" | grep '"subject":"9' | head -40)
if [ -n "$FOUND" ]; then
    step "joint measures: $ORG is a judgment defaulter; its legal representative in the highConsumption scene on $ON"
    $CLI match "$LR" --scene highConsumption --ledger "$DEMO/ledger" --as-of "$ON"
    step "the same organisation in the procurement scene on $ON"
    $CLI match "$ORG" --scene procurement --ledger "$DEMO/ledger" --as-of "$ON"
fi

step "joint-measure feedback for 2024 (发起 → 推送 → 响应 → 反馈)"
$CLI feedback --ledger "$DEMO/ledger" --from 2024-01-01 --to 2024-12-31 --cases 1

step "$SUBJECT: credit report as of 2025-06-30, Chinese first (also written as $DEMO/report.html; --lang en for English)"
ISSUER="上海市嘉定区社会信用体系建设办公室"
$CLI report "$SUBJECT" --ledger "$DEMO/ledger" --as-of 2025-06-30 --issuer "$ISSUER"
$CLI report "$SUBJECT" --ledger "$DEMO/ledger" --as-of 2025-06-30 --issuer "$ISSUER" --format html --out "$DEMO/report.html"

step "$SUBJECT as of 2024-06-30 and as of 2025-06-30 (known now)"
$CLI subject "$SUBJECT" --ledger "$DEMO/ledger" --as-of 2024-06-30
echo
$CLI subject "$SUBJECT" --ledger "$DEMO/ledger" --as-of 2025-06-30

step "$SUBJECT as of 2025-06-30, known before the later report ($KNOWN_BEFORE)"
$CLI subject "$SUBJECT" --ledger "$DEMO/ledger" --as-of 2025-06-30 --known-at "$KNOWN_BEFORE"

step "data quality per source (reported within 7 working days of the effective date, holiday calendar)"
$CLI quality --ledger "$DEMO/ledger" --as-of 2026-06-30 --html "$DEMO/quality.html"

step "the district's assessment indicators (考核指标) for 2024, by year (docs/indicators.md; also written as $DEMO/indicators.html)"
$CLI indicators --ledger "$DEMO/ledger" --from 2024-01-01 --to 2024-12-31 --period year
$CLI indicators --ledger "$DEMO/ledger" --from 2024-01-01 --to 2024-12-31 --period quarter --format html --out "$DEMO/indicators.html"

step "worklist: repair applications open on 2025-06-30, overdue first (docs/office.md; also written as $DEMO/worklist.html)"
(set +o pipefail; $CLI worklist repairs --ledger "$DEMO/ledger" --as-of 2025-06-30 | head -15)
$CLI worklist repairs --ledger "$DEMO/ledger" --as-of 2025-06-30 --format html --out "$DEMO/worklist.html"

# One approved repair of the district, to show the applicant's progress and the repair certificate (修复证明).
REPAIR_LINE=$(set +o pipefail; grep '"type":"repair.decided","subject":"91' "$DEMO/district.jsonl" | grep '"effective":"202[45]-' | grep -m1 '"outcome":"approved"' || true)
if [ -n "$REPAIR_LINE" ]; then
    REPAIR_SUBJECT=$(sed 's/.*"subject":"\([0-9A-Z]*\)".*/\1/' <<<"$REPAIR_LINE")
    REPAIR_NO=$(sed 's/.*"repairNo":"\([^"]*\)".*/\1/' <<<"$REPAIR_LINE")
    step "$REPAIR_SUBJECT: its repair $REPAIR_NO stage by stage, and its repair certificate (also written as $DEMO/certificate.html)"
    $CLI progress "$REPAIR_SUBJECT" "$REPAIR_NO" --ledger "$DEMO/ledger" --as-of 2025-06-30
    $CLI certificate "$REPAIR_SUBJECT" "$REPAIR_NO" --ledger "$DEMO/ledger" --as-of 2025-06-30
    $CLI certificate "$REPAIR_SUBJECT" "$REPAIR_NO" --ledger "$DEMO/ledger" --as-of 2025-06-30 --format html --issuer "$ISSUER" > "$DEMO/certificate.html"
fi

step "digests: as of 2025-06-30 known now, and known before the later report"
echo "now:    $($CLI digest --ledger "$DEMO/ledger" --as-of 2025-06-30)"
echo "before: $($CLI digest --ledger "$DEMO/ledger" --as-of 2025-06-30 --known-at "$KNOWN_BEFORE")"

step "pages written: $DEMO/report.html $DEMO/grades.html $DEMO/penetration.html $DEMO/quality.html $DEMO/indicators.html $DEMO/worklist.html${REPAIR_LINE:+ $DEMO/certificate.html}"
