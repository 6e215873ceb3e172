#!/usr/bin/env bash
# The schema-driven fuzz run of `make test`: schemathesis (pinned in scripts/schemathesis/requirements.txt,
# installed from PyPI into a venv under .build/) against a live `credit-ledger serve` on loopback, every
# operation of the OpenAPI document the server serves, for a bounded time (ST_SECONDS, default 45).
#
# Checks: all of schemathesis' but positive_data_acceptance, which expects every schema-valid request
# to be accepted: the document cannot say what the server rightly refuses — a code's check digit, a
# fact's body, a period that ends before it starts, a position past the head. Every other answer must be
# documented (status, content type, schema), no 5xx, unknown input refused, authentication enforced.
#
# It fails loudly when PyPI cannot be reached or the pinned versions do not install.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
SECONDS_BUDGET=${ST_SECONDS:-45}
VENV=.build/schemathesis-venv
REQUIREMENTS=scripts/schemathesis/requirements.txt

if [ ! -x "$VENV/bin/schemathesis" ] || ! cmp -s "$REQUIREMENTS" "$VENV/requirements.txt"; then
    echo "== schemathesis: installing the pinned versions into $VENV"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    if ! "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"; then
        echo "schemathesis.sh: cannot install $REQUIREMENTS from PyPI (is it reachable?)" >&2
        rm -rf "$VENV"
        exit 1
    fi
    cp "$REQUIREMENTS" "$VENV/requirements.txt"
fi

BIN="$($SWIFT build --show-bin-path)/credit-ledger"
[ -x "$BIN" ] || { echo "schemathesis.sh: $BIN is not built (swift build --product credit-ledger)" >&2; exit 1; }
WORK=$(mktemp -d)
SERVER=""
cleanup() {
    if [ -n "$SERVER" ] && kill -0 "$SERVER" 2>/dev/null; then kill -TERM "$SERVER"; wait "$SERVER" || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# A ledger with one admin principal whose token only this run knows.
TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(32))')
mkdir -p "$WORK/ledger"
python3 - "$WORK/ledger/server.json" "$TOKEN" <<'PY'
import hashlib, json, os, sys
path, token = sys.argv[1], sys.argv[2]
principal = {"name": "fuzz", "role": "admin", "tokenSHA256": hashlib.sha256(token.encode()).hexdigest(), "sources": []}
with open(path, "w") as file:
    json.dump({"principals": [principal], "limits": {"requestTimeoutSeconds": 10}}, file)
os.chmod(path, 0o600)
PY

"$BIN" serve --ledger "$WORK/ledger" --port 0 > "$WORK/stdout" 2> "$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 100); do grep -q "listening on" "$WORK/stdout" 2>/dev/null && break; sleep 0.1; done
ADDRESS=$(grep -o 'http://[0-9.:]*' "$WORK/stdout" | head -1)
[ -n "$ADDRESS" ] || { echo "schemathesis.sh: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

# A few facts, so that queries and streams have something to answer.
python3 - "$ADDRESS" "$TOKEN" <<'PY'
import sys, urllib.request
address, token = sys.argv[1], sys.argv[2]
lines = [
    '{"id":"F-1","type":"subject.registered","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"name":"上海嘉定食品有限公司","kind":"enterprise","region":"310114"}}',
    '{"id":"F-2","type":"role.assigned","subject":"91350100M000100Y43","source":"310114-SCJG","effective":"2020-01-10","body":{"person":"11010519491231002X","role":"legalRepresentative"}}',
]
request = urllib.request.Request(address + "/v1/facts", data=("\n".join(lines) + "\n").encode(),
                                 headers={"Authorization": "Bearer " + token, "Content-Type": "application/x-ndjson"})
urllib.request.urlopen(request).read()
PY

echo "== schemathesis: every operation of $ADDRESS/openapi.json for ${SECONDS_BUDGET}s"
set +e
SCHEMATHESIS_HOOKS=hooks PYTHONPATH=scripts/schemathesis \
    "$VENV/bin/schemathesis" run "$ADDRESS/openapi.json" -H "Authorization: Bearer $TOKEN" \
    --checks all --exclude-checks positive_data_acceptance --max-time "$SECONDS_BUDGET" --workers 1 \
    --seed 1 --no-color
STATUS=$?
set -e
kill -TERM "$SERVER"
if ! wait "$SERVER"; then echo "schemathesis.sh: the server did not stop cleanly" >&2; tail -20 "$WORK/server.log" >&2; exit 1; fi
SERVER=""
exit $STATUS
