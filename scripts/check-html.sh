#!/usr/bin/env bash
# Renders every HTML page of credit-ledger in a real headless browser (Chromium from Debian) and
# fails unless each page's DOM holds its key texts and each screenshot is a real picture; one page
# is rendered with a district's template (--templates) too, one in English (--lang en), and the credit
# report and the office's pages (indicators, list, credit file, worklist) are printed to PDF
# (--format pdf), each of whose pages is checked as an image (A4, not blank).
#
#   scripts/check-html.sh                 pages, DOM dumps and screenshots under $OUT (.build/check-html)
#   scripts/check-html.sh --update-docs   also copies the screenshots to docs/screenshots/
#
# Installs chromium (and a CJK font, so Chinese names are not drawn as boxes) with apt-get when
# missing; runs `apt-get update` only if a plain install fails. `make check-html` runs it.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=${OUT:-.build/check-html}
SEED=${SEED:-11}
SWIFT=${SWIFT:-swift}
CHROMIUM=${CHROMIUM:-chromium}
UPDATE_DOCS=0
[ "${1:-}" = "--update-docs" ] && UPDATE_DOCS=1
SUDO=""
[ "$(id -u)" = "0" ] || SUDO=sudo

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'check-html: FAILED: %s\n' "$*" >&2; exit 1; }

install() {
    echo "Installing $* from Debian…"
    $SUDO apt-get install -y -qq "$@" >/dev/null || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$@" >/dev/null; }
}

step "browser"
command -v "$CHROMIUM" >/dev/null 2>&1 || install chromium
command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null)" ] || install fonts-wqy-microhei
command -v pdftoppm >/dev/null 2>&1 || install poppler-utils
"$CHROMIUM" --version 2>/dev/null

step "build credit-ledger"
$SWIFT build --product credit-ledger ${SCRATCH:+--scratch-path "$SCRATCH"}
BIN=$($SWIFT build --product credit-ledger ${SCRATCH:+--scratch-path "$SCRATCH"} --show-bin-path)
CLI="$BIN/credit-ledger"

step "a small ledger: district-small, seed $SEED"
rm -rf "$OUT" && mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$CLI" generate --preset district-small --seed "$SEED" --out "$WORK/facts.jsonl"
"$CLI" import --ledger "$WORK/ledger" "$WORK/facts.jsonl"

# An enterprise with a serious penalty and a dishonesty-list entry (the first such code in sort order),
# as of 30 days after the later of the two, and the special report for the penalty's field and year.
subjects_with() { grep -E "$1" "$WORK/facts.jsonl" | sed 's/.*"subject":"\([0-9A-Z]*\)".*/\1/' | LC_ALL=C sort -u; }
SERIOUS='"type":"penalty.decided".*"severity":"serious"'
SUBJECT=$(LC_ALL=C comm -12 <(subjects_with '"type":"subject.registered".*"kind":"enterprise"') \
    <(LC_ALL=C comm -12 <(subjects_with "$SERIOUS") \
        <(subjects_with '"type":"list.entered".*"list":"(seriousDishonesty|abnormalOperation|keyAttention|judgmentDefaulter)"')) | sed -n 1p)
[ -n "$SUBJECT" ] || fail "no enterprise with both a serious penalty and a dishonesty-list entry in the generated stream"
PENALTY=$(grep -E "$SERIOUS" "$WORK/facts.jsonl" | grep "\"subject\":\"$SUBJECT\"" | sed -n '$p')
DECIDED=$(sed 's/.*"effective":"\([0-9-]*\)".*/\1/' <<<"$PENALTY")
FIELD=$(sed 's/.*"field":"\([A-Za-z]*\)".*/\1/' <<<"$PENALTY")
LISTED=$(grep -E '"type":"list.entered"' "$WORK/facts.jsonl" | grep "\"subject\":\"$SUBJECT\"" | sed -n '1s/.*"effective":"\([0-9-]*\)".*/\1/p')
LATER=$DECIDED
[[ "$LISTED" > "$LATER" ]] && LATER=$LISTED
AS_OF=$(date -d "$LATER + 30 days" +%F)
YEAR=${DECIDED%%-*}
# The repair worklist as of the latest day a repair application was received: some are open then.
WORKLIST_AS_OF=$(grep '"type":"repair.applied"' "$WORK/facts.jsonl" | sed 's/.*"effective":"\([0-9-]*\)".*/\1/' | LC_ALL=C sort | tail -1)
[ -n "$WORKLIST_AS_OF" ] || fail "no repair application in the generated stream"
echo "subject $SUBJECT, as of $AS_OF; special report: $FIELD in $YEAR; repair worklist as of $WORKLIST_AS_OF"

step "pages"
PAGES=(report special quality grades penetration)
ISSUER="上海市嘉定区社会信用体系建设办公室"
"$CLI" report "$SUBJECT" --ledger "$WORK/ledger" --as-of "$AS_OF" --issuer "$ISSUER" --issued 2026-12-01 --format html --out "$OUT/report.html"
"$CLI" report "$SUBJECT" --ledger "$WORK/ledger" --field "$FIELD" --from "$YEAR-01-01" --to "$YEAR-12-31" --issuer "$ISSUER" --issued 2026-12-01 --format html --out "$OUT/special.html"
"$CLI" quality --ledger "$WORK/ledger" --as-of 2026-06-30 --html "$OUT/quality.html" >/dev/null
"$CLI" grades --ledger "$WORK/ledger" --as-of "$AS_OF" --html "$OUT/grades.html" >/dev/null
"$CLI" penetration --ledger "$WORK/ledger" --as-of "$AS_OF" --html "$OUT/penetration.html" >/dev/null
# A district's templates: its own layout (footer) replaces the shipped one; the other templates stay.
mkdir -p "$WORK/district"
sed 's|<footer>.*</footer>|<footer>嘉定区社会信用体系建设办公室 · district template</footer>|' \
    Sources/CreditPages/Resources/templates/layout.mustache >"$WORK/district/layout.mustache"
"$CLI" report "$SUBJECT" --ledger "$WORK/ledger" --as-of "$AS_OF" --format html --templates "$WORK/district" --out "$OUT/district.html"
"$CLI" report "$SUBJECT" --ledger "$WORK/ledger" --as-of "$AS_OF" --issuer "Jiading credit office" --issued 2026-12-01 --lang en --format html --out "$OUT/english.html"
PAGES+=(district english)
# The credit office's pages (docs/office.md): the year's indicators by quarter, the abnormal-operation
# list, the subject's credit file, the repair worklist and the risk worklist.
"$CLI" indicators --ledger "$WORK/ledger" --from "$YEAR-01-01" --to "$YEAR-12-31" --period quarter --format html --out "$OUT/indicators.html"
"$CLI" lists --ledger "$WORK/ledger" --list abnormalOperation --as-of "$AS_OF" --format html --out "$OUT/lists.html"
"$CLI" file "$SUBJECT" --ledger "$WORK/ledger" --as-of "$AS_OF" --format html --out "$OUT/file.html"
"$CLI" worklist repairs --ledger "$WORK/ledger" --as-of "$WORKLIST_AS_OF" --format html --out "$OUT/worklist.html"
"$CLI" worklist risks --ledger "$WORK/ledger" --as-of "$AS_OF" --format html --out "$OUT/risks.html"
# One office page with a district's template too: its own list page heading.
sed 's|<h1>{{list}}</h1>|<h1>嘉定区 {{list}}（district template）</h1>|' \
    Sources/CreditPages/Resources/templates/lists.mustache >"$WORK/district/lists.mustache"
"$CLI" lists --ledger "$WORK/ledger" --list abnormalOperation --as-of "$AS_OF" --format html --templates "$WORK/district" --out "$OUT/district-lists.html"
PAGES+=(indicators lists file worklist risks district-lists)

# Key texts each page's DOM must hold: the subject, the section headings, the chart.
expect_texts() {
    case "$1" in
        report) printf '%s\n' "$SUBJECT" "信用报告" "报告编号" "XYBG-20261201-" "$ISSUER" "2026年12月1日" "行政处罚" "名单" "信用承诺" "信用修复" "关联人员" "联合奖惩措施" "核验信息" "credit-ledger digest --ledger" ;;
        special) printf '%s\n' "$SUBJECT" "专项信用报告" "替代有无违法记录证明" "该领域该期间的行政处罚" "报告编号" "$ISSUER" "核验信息" ;;
        quality) printf '%s\n' "数据质量" "各单位及时率" "区市场监管局" "310114-SCJG" "<svg" "重码" ;;
        grades) printf '%s\n' "信用分级分类监管" "等级分布" "无记载不评价" "<svg" ;;
        penetration) printf '%s\n' "穿透式监管" "穿透率" "未穿透记录" "<svg" ;;
        district) printf '%s\n' "$SUBJECT" "信用报告" "行政处罚" "嘉定区社会信用体系建设办公室 · district template" ;;
        english) printf '%s\n' "$SUBJECT" "Credit report" "Report no." "Jiading credit office" "Administrative penalties" "Measures that apply" "Verification" ;;
        indicators) printf '%s\n' "社会信用体系建设考核指标" "全区指标（分期）" "$YEAR-Q1" "$YEAR-Q4" "及时率" "达标指标项" "分部门指标" "区市场监管局" "指标定义与目标" "万分之一" ;;
        lists) printf '%s\n' "经营异常名录" "在列主体" "期间列入" "期间移出" "即将转入严重失信主体名单" "认定部门" ;;
        file) printf '%s\n' "信用档案" "$SUBJECT" "全部信用记录（按时间顺序）" "行政处罚" "列入名单" "入账时间（北京时间）" ;;
        worklist) printf '%s\n' "信用修复申请办理清单" "待办件数" "超期件数" "受理时限" "办结时限" "剩余工作日" ;;
        risks) printf '%s\n' "风险预警清单" "预警主体排序" "屡罚屡犯" ;;
        district-lists) printf '%s\n' "嘉定区 经营异常名录（district template）" "在列主体" ;;
    esac
}

# A PNG of the window's size, and not a blank one (a blank 1200×1600 PNG compresses to a few KB).
check_png() {
    local file=$1 size signature width height
    size=$(stat -c %s "$file")
    signature=$(od -An -tx1 -N8 "$file" | tr -d ' \n')
    width=$((16#$(od -An -tx1 -j16 -N4 "$file" | tr -d ' \n')))
    height=$((16#$(od -An -tx1 -j20 -N4 "$file" | tr -d ' \n')))
    [ "$signature" = "89504e470d0a1a0a" ] || fail "$file is not a PNG"
    [ "$width" = 1200 ] && [ "$height" = 1600 ] || fail "$file is ${width}×${height}, not 1200×1600"
    [ "$size" -gt 20000 ] || fail "$file is only $size bytes: a blank page?"
    echo "  $file: PNG ${width}×${height}, $size bytes"
}

step "render in headless Chromium"
for page in "${PAGES[@]}"; do
    html="$OUT/$page.html"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1600 \
        --screenshot="$OUT/$page.png" "file://$html" >"$OUT/$page.chromium.log" 2>&1 || fail "chromium could not screenshot $html"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --dump-dom "file://$html" >"$OUT/$page.dom.html" 2>>"$OUT/$page.chromium.log" \
        || fail "chromium could not load $html"
    while IFS= read -r text; do
        grep -qF -- "$text" "$OUT/$page.dom.html" || fail "$page: the rendered DOM lacks \"$text\" ($OUT/$page.dom.html)"
    done < <(expect_texts "$page")
    ! grep -q "<script" "$OUT/$page.dom.html" || fail "$page: the DOM holds a script element"
    echo "$page: DOM holds $(expect_texts "$page" | wc -l) key texts"
    check_png "$OUT/$page.png"
done

# Every page of a PDF as an image (pdftoppm, 50 dpi): A4 (210 × 297 mm, 413 × 585 pixels ± rounding)
# and not blank; its text (pdftotext, spaces dropped: it drops those between CJK characters) holds
# the page number of its last page (第 N 页 / N) and each further text given.
check_pdf() {
    local name=$1 pdf="$OUT/$1.pdf" count width height
    shift
    [ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "$pdf is not a PDF"
    pdftoppm -r 50 -png "$pdf" "$OUT/$name-pdf"
    count=$(ls "$OUT/$name"-pdf-*.png | wc -l)
    [ "$count" -ge 1 ] || fail "$pdf has no page"
    for png in "$OUT/$name"-pdf-*.png; do
        width=$((16#$(od -An -tx1 -j16 -N4 "$png" | tr -d ' \n')))
        height=$((16#$(od -An -tx1 -j20 -N4 "$png" | tr -d ' \n')))
        [ "$width" -ge 410 ] && [ "$width" -le 416 ] && [ "$height" -ge 582 ] && [ "$height" -le 588 ] || fail "$png is ${width}×${height}: not an A4 page"
        [ "$(stat -c %s "$png")" -gt 8000 ] || fail "$png is blank"
        echo "  $png: A4 ${width}×${height}, $(stat -c %s "$png") bytes"
    done
    echo "$name.pdf: $count A4 page(s)"
    if command -v pdftotext >/dev/null 2>&1; then
        pdftotext "$pdf" "$pdf.txt"
        tr -d ' ' <"$pdf.txt" | grep -q "第${count}页/${count}" || fail "$pdf: no page number (第 N 页 / N) at the foot of its last page"
        for text in "$@"; do tr -d ' ' <"$pdf.txt" | grep -qF "$text" || fail "$pdf: no \"$text\""; done
    fi
}

step "PDF: the credit report and the office's pages on A4, each page checked as an image"
"$CLI" report "$SUBJECT" --ledger "$WORK/ledger" --as-of "$AS_OF" --issuer "$ISSUER" --issued 2026-12-01 --format pdf --out "$OUT/report.pdf"
check_pdf report "$ISSUER"
"$CLI" indicators --ledger "$WORK/ledger" --from "$YEAR-01-01" --to "$YEAR-12-31" --period quarter --format pdf --out "$OUT/indicators.pdf"
check_pdf indicators "社会信用体系建设考核指标" "指标定义与目标"
"$CLI" lists --ledger "$WORK/ledger" --list abnormalOperation --as-of "$AS_OF" --format pdf --out "$OUT/lists.pdf"
check_pdf lists "经营异常名录"
"$CLI" file "$SUBJECT" --ledger "$WORK/ledger" --as-of "$AS_OF" --format pdf --out "$OUT/file.pdf"
check_pdf file "信用档案" "$SUBJECT"
"$CLI" worklist repairs --ledger "$WORK/ledger" --as-of "$WORKLIST_AS_OF" --format pdf --out "$OUT/worklist.pdf"
check_pdf worklist "信用修复申请办理清单"

# For docs/: a screenshot of the whole page, cut below it (plus a margin) and stored with a palette
# of 256 colours, the most frequent ones that differ visibly (the rare others, edges of anti-aliased
# text, take the nearest): about a third of the size, no visible change. Python's standard library
# only; a plain copy without it.
compact_png() {
    command -v python3 >/dev/null 2>&1 || { cp "$1" "$2"; return; }
    python3 - "$1" "$2" <<'PY'
import collections, struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
pos, idat = 8, b''
while pos < len(data):
    n, = struct.unpack('>I', data[pos:pos + 4]); kind = data[pos + 4:pos + 8]; body = data[pos + 8:pos + 8 + n]; pos += 12 + n
    if kind == b'IHDR': w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
    if kind == b'IDAT': idat += body
assert depth == 8 and ctype in (2, 6), 'an 8-bit RGB(A) PNG'
raw, bpp = zlib.decompress(idat), (3 if ctype == 2 else 4)
stride, rows, prev, i = w * bpp, [], bytearray(w * bpp), 0
for y in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0; b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(bytes(line)); prev = line
while len(rows) > 40 and rows[-2] == rows[-1]: rows.pop()
rows += [rows[-1]] * 24
pixels = [[r[x:x + 3] for x in range(0, stride, bpp)] for r in rows]
palette = []
for k, _ in collections.Counter(p for r in pixels for p in r).most_common():
    if len(palette) == 256: break
    if all(sum((q[j] - k[j]) ** 2 for j in range(3)) > 48 for q in palette): palette.append(k)
index = {k: n for n, k in enumerate(palette)}
def nearest(k):
    return min(range(len(palette)), key=lambda n: sum((palette[n][j] - k[j]) ** 2 for j in range(3)))
body = bytearray()
for r in pixels:
    body.append(0)
    for k in r:
        if k not in index: index[k] = nearest(k)
        body.append(index[k])
def chunk(kind, payload): return struct.pack('>I', len(payload)) + kind + payload + struct.pack('>I', zlib.crc32(kind + payload))
open(sys.argv[2], 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, len(rows), 8, 3, 0, 0, 0))
    + chunk(b'PLTE', b''.join(palette)) + chunk(b'IDAT', zlib.compress(bytes(body), 9)) + chunk(b'IEND', b''))
PY
}

if [ "$UPDATE_DOCS" = 1 ]; then
    step "docs/screenshots"
    mkdir -p docs/screenshots
    for page in "${PAGES[@]}"; do
        "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,4000 \
            --screenshot="$OUT/$page.full.png" "file://$OUT/$page.html" >>"$OUT/$page.chromium.log" 2>&1
        compact_png "$OUT/$page.full.png" "docs/screenshots/$page.png"
    done
    for png in "$OUT"/report-pdf-*.png; do cp "$png" "docs/screenshots/pdf-$(basename "$png" | sed 's/report-pdf-0*//')"; done
    for png in "$OUT"/indicators-pdf-*.png; do cp "$png" "docs/screenshots/indicators-pdf-$(basename "$png" | sed 's/indicators-pdf-0*//')"; done
    ls -l docs/screenshots
fi
step "ok: ${PAGES[*]} render in $("$CHROMIUM" --version 2>/dev/null) (pages and screenshots in $OUT)"
