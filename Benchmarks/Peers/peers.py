#!/usr/bin/env python3
"""The ledger beside its peers, on the same JSON Lines stream, in one run.

Every system gets the same durability (fsync on) and the same work per fact (each line is decoded
from JSON, its identity fields extracted, its body stored), in 10,000-fact transactions:

  sqlite          SQLite, WAL, synchronous=FULL, executemany per transaction
  pg-executemany  PostgreSQL 15, a private cluster on 127.0.0.1 (fsync and synchronous_commit on),
                  jsonb bodies, executemany per transaction
  pg-copy         the same table filled with COPY, one COPY per transaction
  credit-ledger   `credit-ledger import` (validation, idempotency, admission rules and every view,
                  all-or-nothing), then `credit-ledger replay` (every view rebuilt from the log)
  ledger-pg-log   the imported ledger's log put into PostgreSQL's log tables (docs/postgres.md) by
                  `credit-ledger copy` in 10,000-record transactions, then read back whole by
                  `credit-ledger verify` (every row decompressed, CRCs and the hash chain checked)

"replay" for the peers reads every row back in order and decodes its body. Each measurement runs in
its own process, so the peak resident memory reported is that process's own (ru_maxrss).

  python3 peers.py --ledger-bin .build/release/credit-ledger --preset district-small
  python3 peers.py --ledger-bin … --input stream.jsonl --skip-postgres
"""
import argparse
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time

BATCH = 10_000
PG_BIN = "/usr/lib/postgresql/15/bin"


# ---------------------------------------------------------------- the stream

def lines(path):
    with open(path, "rb") as f:
        for raw in f:
            if raw.strip():
                yield raw


def decoded_rows(path):
    """Each line decoded, its identity fields extracted, its body re-encoded: the peers' unit of work."""
    for raw in lines(path):
        fact = json.loads(raw)
        yield (fact["source"], fact["id"], fact["type"], fact["subject"], fact["effective"],
               fact.get("reported"), json.dumps(fact.get("body", {}), ensure_ascii=False, separators=(",", ":")))


def batches(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# ---------------------------------------------------------------- SQLite

SQLITE_SCHEMA = """
CREATE TABLE facts (position INTEGER PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL,
  type TEXT NOT NULL, subject TEXT NOT NULL, effective TEXT NOT NULL, reported TEXT,
  body TEXT NOT NULL, UNIQUE (source, id));
CREATE INDEX facts_subject ON facts (subject);
"""


def sqlite_import(stream, work):
    path = os.path.join(work, "peer.sqlite")
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.executescript(SQLITE_SCHEMA)
    count = 0
    start = time.perf_counter()
    for batch in batches(decoded_rows(stream)):
        db.execute("BEGIN")
        db.executemany("INSERT INTO facts (source, id, type, subject, effective, reported, body) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)", batch)
        db.execute("COMMIT")
        count += len(batch)
    seconds = time.perf_counter() - start
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return {"facts": count, "seconds": seconds, "bytes": file_bytes(work)}


def sqlite_replay(stream, work):
    db = sqlite3.connect(os.path.join(work, "peer.sqlite"))
    count = 0
    start = time.perf_counter()
    for (body,) in db.execute("SELECT body FROM facts ORDER BY position"):
        json.loads(body)
        count += 1
    return {"facts": count, "seconds": time.perf_counter() - start}


# ---------------------------------------------------------------- PostgreSQL

PG_SCHEMA = """
DROP TABLE IF EXISTS facts;
CREATE TABLE facts (position BIGSERIAL PRIMARY KEY, source TEXT NOT NULL, id TEXT NOT NULL,
  type TEXT NOT NULL, subject TEXT NOT NULL, effective DATE NOT NULL, reported TIMESTAMPTZ,
  body JSONB NOT NULL, UNIQUE (source, id));
CREATE INDEX facts_subject ON facts (subject);
"""
PG_COLUMNS = "source, id, type, subject, effective, reported, body"


def pg_connect(port):
    import psycopg
    return psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname="postgres")


def pg_import(stream, port, copy):
    with pg_connect(port) as conn:
        conn.execute(PG_SCHEMA)
        conn.commit()
        count = 0
        start = time.perf_counter()
        with conn.cursor() as cur:
            for batch in batches(decoded_rows(stream)):
                if copy:
                    with cur.copy(f"COPY facts ({PG_COLUMNS}) FROM STDIN") as c:
                        for row in batch:
                            c.write_row(row)
                else:
                    cur.executemany(f"INSERT INTO facts ({PG_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s, %s)", batch)
                conn.commit()
                count += len(batch)
        seconds = time.perf_counter() - start
        size = conn.execute("SELECT pg_total_relation_size('facts')").fetchone()[0]
    return {"facts": count, "seconds": seconds, "bytes": size}


def pg_replay(port):
    count = 0
    with pg_connect(port) as conn:
        start = time.perf_counter()
        with conn.cursor(name="replay") as cur:   # a server-side cursor: rows stream, never all in memory
            cur.itersize = BATCH
            cur.execute("SELECT body FROM facts ORDER BY position")
            for (_body,) in cur:                  # psycopg decodes jsonb into Python objects
                count += 1
        return {"facts": count, "seconds": time.perf_counter() - start}


class PrivateCluster:
    """A throwaway PostgreSQL 15 cluster on 127.0.0.1 and a free port, stopped by its pid."""

    def __init__(self, root):
        self.root = root
        self.data = os.path.join(root, "pgdata")
        self.port = free_port()
        self.pid = None

    def as_postgres(self, argv):
        if os.geteuid() == 0:   # initdb and postgres refuse to run as root
            return ["runuser", "-u", "postgres", "--"] + argv
        return argv

    def start(self):
        if not os.path.exists(os.path.join(PG_BIN, "initdb")):
            sys.exit(f"PostgreSQL 15 server binaries not found in {PG_BIN} (apt-get install -y postgresql-15)")
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        subprocess.run(self.as_postgres([f"{PG_BIN}/initdb", "-D", self.data, "-U", "postgres", "--auth=trust",
                                         "--no-instructions", "-E", "UTF8"]), check=True, stdout=subprocess.DEVNULL)
        log = os.path.join(self.root, "postgres.log")
        subprocess.run(self.as_postgres([f"{PG_BIN}/pg_ctl", "-D", self.data, "-l", log, "-w", "start", "-o",
                                         f"-c listen_addresses=127.0.0.1 -c port={self.port} -c fsync=on "
                                         f"-c synchronous_commit=on -c unix_socket_directories={self.root}"]),
                       check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(self.data, "postmaster.pid")) as f:
            self.pid = int(f.readline())

    def stop(self):
        if self.pid is None:
            return
        try:
            os.kill(self.pid, signal.SIGINT)   # fast shutdown
            for _ in range(300):
                os.kill(self.pid, 0)
                time.sleep(0.1)
        except ProcessLookupError:
            pass
        self.pid = None


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- credit-ledger

def ledger_child(args):
    """Runs `credit-ledger import` or `replay` and reports the ledger process's own time and memory."""
    ledger = os.path.join(args.work, "ledger")
    url = f"postgres://postgres@127.0.0.1:{args.port}/postgres?schema=peers"
    argv = {"ledger-import": ["import", "--ledger", ledger, args.input],
            "ledger-replay": ["replay", "--ledger", ledger, "--json"],
            "ledger-pg-copy": ["copy", "--from", ledger, "--to", url, "--batch-records", str(BATCH)],
            "ledger-pg-verify": ["verify", "--ledger", url, "--json"]}[args.child]
    start = time.perf_counter()
    proc = subprocess.Popen([args.ledger_bin] + argv, stdout=subprocess.PIPE, text=True)
    out = proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit(f"credit-ledger {' '.join(argv)} failed ({status})")
    result = {"facts": count_lines(args.input), "seconds": seconds, "peak_rss": usage.ru_maxrss * 1024}
    if args.child == "ledger-import":
        result["bytes"] = file_bytes(ledger)
        result["log_bytes"] = file_bytes(os.path.join(ledger, "log"))
    elif args.child == "ledger-pg-copy":
        with pg_connect(args.port) as conn:
            result["bytes"] = conn.execute("SELECT pg_total_relation_size('peers.log_groups') "
                                           "+ pg_total_relation_size('peers.log_head')").fetchone()[0]
    elif args.child == "ledger-pg-verify":
        result["facts"] = json.loads(out)["records"]
    else:
        result["facts"] = json.loads(out).get("facts", result["facts"])
    print(json.dumps(result))


# ---------------------------------------------------------------- measuring

def file_bytes(path):
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            total += os.path.getsize(os.path.join(root, name))
    return total


def count_lines(path):
    return sum(1 for _ in lines(path))


def measured(argv):
    """Runs one measurement in a child process; returns its result and its peak resident memory."""
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    out = child.stdout.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    if status != 0:
        sys.exit(f"measurement failed ({status}): {' '.join(argv)}")
    result = json.loads(out)
    result.setdefault("peak_rss", usage.ru_maxrss * 1024)   # the ledger's child reports its own
    return result


def child_main(args):
    """One measurement, in this process: prints its result as JSON."""
    if args.child == "sqlite-import":
        result = sqlite_import(args.input, args.work)
    elif args.child == "sqlite-replay":
        result = sqlite_replay(args.input, args.work)
    elif args.child in ("pg-executemany-import", "pg-copy-import"):
        result = pg_import(args.input, args.port, copy=args.child == "pg-copy-import")
    elif args.child == "pg-replay":
        result = pg_replay(args.port)
    else:
        sys.exit(f"unknown measurement {args.child}")
    print(json.dumps(result))


def ledger_measured(kind, binary, stream, work, extra=()):
    argv = [sys.executable, os.path.abspath(__file__), "--child", kind, "--ledger-bin", binary, "--input", stream,
            "--work", work] + list(extra)
    return measured(argv)


def run(args):
    work = args.work or tempfile.mkdtemp(prefix="peers-")
    os.makedirs(work, exist_ok=True)
    stream = args.input
    if stream is None:
        stream = os.path.join(work, f"{args.preset}.jsonl")
        gen = ["generate", "--preset", args.preset, "--seed", "1", "--out", stream]
        if args.facts:
            gen += ["--facts", str(args.facts)]
        print(f"generating {args.preset}{f' ({args.facts} facts)' if args.facts else ''} …", file=sys.stderr)
        subprocess.run([args.ledger_bin] + gen, check=True)
    facts = count_lines(stream)
    stream_bytes = os.path.getsize(stream)
    print(f"stream: {stream} — {facts:,} facts, {stream_bytes / facts:.0f} bytes per line", file=sys.stderr)
    me = [sys.executable, os.path.abspath(__file__), "--input", stream]
    rows = []

    def row(system, operation, result):
        rows.append((system, operation, result))
        print(f"  {system:15} {operation:7} {result['facts'] / result['seconds']:>12,.0f} facts/s", file=sys.stderr)

    sqlite_dir = os.path.join(work, "sqlite")
    shutil.rmtree(sqlite_dir, ignore_errors=True)
    os.makedirs(sqlite_dir)
    row("sqlite", "import", measured(me + ["--child", "sqlite-import", "--work", sqlite_dir]))
    row("sqlite", "replay", measured(me + ["--child", "sqlite-replay", "--work", sqlite_dir]))

    cluster = None
    try:
        if not args.skip_postgres:
            cluster = PrivateCluster(tempfile.mkdtemp(prefix="peers-pg-"))
            cluster.start()
            port = ["--port", str(cluster.port)]
            row("pg-executemany", "import", measured(me + ["--child", "pg-executemany-import"] + port))
            row("pg-copy", "import", measured(me + ["--child", "pg-copy-import"] + port))
            row("postgresql", "replay", measured(me + ["--child", "pg-replay"] + port))

        ledger_dir = os.path.join(work, "ledger-run")
        shutil.rmtree(ledger_dir, ignore_errors=True)
        os.makedirs(ledger_dir)
        row("credit-ledger", "import", ledger_measured("ledger-import", args.ledger_bin, stream, ledger_dir))
        row("credit-ledger", "replay", ledger_measured("ledger-replay", args.ledger_bin, stream, ledger_dir))
        if cluster is not None:
            # The ledger's log in PostgreSQL (docs/postgres.md): `copy` appends the imported log's
            # records durably in 10,000-record transactions; `verify` reads every row back,
            # decompresses it and checks CRCs and the hash chain (the log, not the views).
            port = ["--port", str(cluster.port)]
            row("ledger-pg-log", "import", ledger_measured("ledger-pg-copy", args.ledger_bin, stream, ledger_dir, port))
            row("ledger-pg-log", "replay", ledger_measured("ledger-pg-verify", args.ledger_bin, stream, ledger_dir, port))
    finally:
        if cluster is not None:
            cluster.stop()
            shutil.rmtree(cluster.root, ignore_errors=True)
    print(table(rows, facts, stream_bytes))
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


def table(rows, facts, stream_bytes):
    ours = {op: r for system, op, r in rows if system == "credit-ledger"}
    out = [f"{facts:,} facts ({stream_bytes / facts:.0f} bytes per JSON line); ratio = credit-ledger's rate ÷ the "
           "peer's for the same operation (above 1: credit-ledger is faster).", "",
           "| system | operation | facts/s | ratio | bytes per fact | peak RSS (MiB) |",
           "|---|---|---:|---:|---:|---:|"]
    for system, op, r in rows:
        rate = r["facts"] / r["seconds"]
        mine = ours.get(op)
        ratio = "—" if system == "credit-ledger" or mine is None else f"{(mine['facts'] / mine['seconds']) / rate:.2f}×"
        size = f"{r['bytes'] / facts:.0f}" if "bytes" in r else ""
        if system == "credit-ledger" and r.get("log_bytes"):
            size += f" (log {r['log_bytes'] / facts:.0f})"
        out.append(f"| {system} | {op} | {rate:,.0f} | {ratio} | {size} | {r['peak_rss'] / 2**20:,.0f} |")
    return "\n".join(out)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ledger-bin", default=".build/release/credit-ledger", help="the credit-ledger binary")
    p.add_argument("--input", help="a JSON Lines stream (default: generate --preset)")
    p.add_argument("--preset", default="district-small", help="the CreditSynth preset to generate")
    p.add_argument("--facts", type=int, help="stop the generated stream after this many facts")
    p.add_argument("--work", help="keep the databases and the ledger here (default: a temporary directory)")
    p.add_argument("--skip-postgres", action="store_true", help="measure SQLite and credit-ledger only")
    p.add_argument("--child", help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child in ("ledger-import", "ledger-replay", "ledger-pg-copy", "ledger-pg-verify"):
        ledger_child(args)
        return
    if args.child:
        child_main(args)
        return
    run(args)


if __name__ == "__main__":
    main()
