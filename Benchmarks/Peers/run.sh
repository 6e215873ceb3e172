#!/usr/bin/env bash
# `make bench-peers`: the ledger beside SQLite and PostgreSQL on the same stream, in one run.
# Creates the pinned Python environment under .build/peers-venv (PyPI), builds credit-ledger in
# release, and runs peers.py. PEERS_ARGS passes options through, e.g.
#   PEERS_ARGS="--preset district --facts 1000000" make bench-peers
set -euo pipefail
cd "$(dirname "$0")/../.."
SWIFT=${SWIFT:-swift}
SUDO=$([ "$(id -u)" = "0" ] || echo sudo)
if [ ! -x /usr/lib/postgresql/15/bin/initdb ] && [ "${PEERS_ARGS:-}" = "${PEERS_ARGS/--skip-postgres/}" ]; then
    echo "Installing the PostgreSQL 15 server binaries from Debian…" >&2
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq postgresql-15
fi
VENV=.build/peers-venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/pip" freeze | grep -qi '^psycopg-binary=='; then
    echo "Creating the peers' Python environment in $VENV (Benchmarks/Peers/requirements.txt)…" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r Benchmarks/Peers/requirements.txt
fi
$SWIFT build -c release --product credit-ledger
# shellcheck disable=SC2086
exec "$VENV/bin/python" Benchmarks/Peers/peers.py --ledger-bin .build/release/credit-ledger ${PEERS_ARGS:-}
