# swift-credit-ledger — two entry points on a fresh machine:
#   make demo   builds and runs the main job on the embedded default
#   make test   builds everything (library, tests, examples) and runs the whole suite
#               (including the short fuzzing pass: every fuzz target over its seeds and their mutations,
#               and the schema-driven fuzz run of the HTTP server: scripts/schemathesis.sh, 45 s)
#   make bench  the package-benchmark suites (their own package, Benchmarks/Package.swift)
#   make bench-server  the server's load test in release (docs/server.md)
#   make docs   the DocC documentation of the library's modules (docs/ articles included)
#   make fuzz   runs every fuzz target under libFuzzer for FUZZ_SECONDS each (docs/fuzzing.md)
# Each installs what it needs first (liblz4-dev and libssl-dev from Debian).

SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
DEMO_DIR ?= demo
DEMO_RECORDS ?= 1000000

.PHONY: all deps build test fuzz fuzz-seeds demo demo-log bench bench-build bench-proofs bench-peers bench-server fuzz-api check-html docs clean

all: build

# liblz4's headers and pkg-config file come from Debian's liblz4-dev; the runtime is in the base image.
# strace counts the server's fdatasync calls in `make bench-server`; python3-venv makes the venv of the
# schema-driven fuzz run (scripts/schemathesis.sh). OpenSSL's libcrypto (SM3, SM2) comes from Debian's
# libssl-dev likewise. postgresql-15's server binaries (initdb, pg_ctl) run the private cluster the
# PostgreSQL log's tests start in a temporary directory (docs/postgres.md).
deps:
	@if ! pkg-config --exists liblz4 2>/dev/null || ! command -v strace >/dev/null || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then \
		echo "Installing liblz4-dev (LZ4 headers), strace and python3-venv from Debian…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq liblz4-dev pkg-config strace python3-venv; \
	fi
	@if ! pkg-config --exists libcrypto 2>/dev/null; then \
		echo "Installing libssl-dev (OpenSSL's libcrypto headers, for SM3 and SM2) from Debian…"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq libssl-dev pkg-config; \
	fi
	@if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then \
		echo "Installing postgresql-15 (the server the PostgreSQL log's tests start privately) from Debian…"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15; \
	fi

build: deps
	$(SWIFT) build

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	SWIFT=$(SWIFT) scripts/schemathesis.sh
	SWIFT=$(SWIFT) scripts/check-consumer.sh

# The schema-driven fuzz run alone, for ST_SECONDS (default 45).
fuzz-api: deps
	$(SWIFT) build --product credit-ledger
	SWIFT=$(SWIFT) scripts/schemathesis.sh

# The server's load test (docs/server.md): a release `credit-ledger serve`, 32 clients posting 100-fact
# requests while 8 query; the ledger is counted afterwards. Three times: as it runs (rates and
# latencies), with queries first (a stated query rate, the appends' threads lowered), then under
# strace, which counts the fdatasync calls but stops the server at each one (it slows the appends
# and lengthens the queries' tail, so its rates are not the server's).
BENCH_ARGS ?= --clients 32 --queriers 8 --facts 100 --requests 60
bench-server: deps
	$(SWIFT) build -c release --product credit-ledger
	$(SWIFT) build -c release --product server-load
	@echo "== as it runs: rates and latencies (the queriers ask as fast as they are answered)"
	.build/release/server-load --server .build/release/credit-ledger $(BENCH_ARGS)
	@echo "== queries first: 400 queries a second offered, the appends' threads at niceness 10"
	.build/release/server-load --server .build/release/credit-ledger $(BENCH_ARGS) --query-rate 50 --append-niceness 10
	@echo "== under strace: fdatasync calls per request (rates and latencies slowed by the tracing)"
	.build/release/server-load --server .build/release/credit-ledger --strace $(BENCH_ARGS)

# Fuzzing (docs/fuzzing.md): a sanitized build of the Fuzz/ package, then each target under libFuzzer for
# FUZZ_SECONDS (default 60) from the seeds in Fuzz/Corpus. FUZZ_TARGETS="a b" runs only those.
FUZZ_SECONDS ?= 60
fuzz: deps
	SWIFT=$(SWIFT) FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/fuzz.sh

# Regenerates the committed seed corpora (Fuzz/Corpus) from the fixtures, the bundled rule files and
# the files of a real log and ledger.
fuzz-seeds: deps
	SWIFT=$(SWIFT) Fuzz/fuzz.sh --write-seeds

# The district demo: generate the `district` preset, import it into demo/ledger, replay, verify,
# and follow one subject through both time axes.
demo: deps
	$(SWIFT) build -c release --product credit-ledger
	DEMO_DIR=$(DEMO_DIR) scripts/demo.sh

# The storage engine alone: write, reopen, verify and scan a log of a million records.
demo-log: deps
	$(SWIFT) build -c release --product ledger-demo
	.build/release/ledger-demo $(DEMO_DIR)/log $(DEMO_RECORDS)

# Benchmarks (package-benchmark); see README "Performance" for the figures and conditions. They are a
# package of their own (Benchmarks/Package.swift, the library by path), so that a consumer of the
# library never resolves the benchmarking package. BENCH_ARGS_PB="--target LedgerBenchmarks --filter 'Grading.*'"
# narrows the run.
BENCH_ARGS_PB ?=
# SwiftPM keeps the build plan of the path dependency (this package) when files were added to its
# targets, then fails on "cannot find type"; planning again is cheap.
BENCH_REPLAN = rm -f Benchmarks/.build/*.yaml Benchmarks/.build/*/*/description.json
bench: deps
	$(BENCH_REPLAN)
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark --skip-target ProofBenchmarks --no-progress --format markdown --path stdout $(BENCH_ARGS_PB)

# The benchmark suites built in debug, without running them: a check that they still compile.
bench-build: deps
	$(BENCH_REPLAN)
	$(SWIFT) build --package-path Benchmarks

# The proof figures of docs/proofs.md: the tree's cost to appends, proofs at 30 M records (the log is
# built first, about 0.6 GB in the temporary directory, kept between runs), verify with SHA-256 and SM3.
bench-proofs: deps
	cd Benchmarks && $(SWIFT) package --disable-sandbox benchmark --target ProofBenchmarks --no-progress --format markdown --path stdout

# The ledger beside its peers (SQLite; PostgreSQL 15 in a private cluster it starts and stops) on the
# same stream in one run: import and replay rates, bytes per fact, peak memory (Benchmarks/Peers).
# PEERS_ARGS="--preset district --facts 1000000" picks the stream.
bench-peers: deps
	SWIFT=$(SWIFT) Benchmarks/Peers/run.sh

# The HTML pages (report, special report, quality, grades, penetration; a district's template; English)
# rendered in headless Chromium (installed from Debian if missing, with a CJK font and poppler-utils):
# key texts in each DOM, a real screenshot of each, and the report printed to PDF (--format pdf)
# with every page checked as an A4 image.
check-html: deps
	SWIFT=$(SWIFT) scripts/check-html.sh

# The DocC documentation (swift-docc-plugin) of the library's modules, each with the docs/ articles
# that belong to it, as static HTML under .build/docs/MODULE (open index.html through a web server,
# or pass DOCS_ARGS="--hosting-base-path …" for a site).
DOCS_TARGETS ?= LedgerStorage CreditFacts CreditLedger CreditDocuments CreditPages CreditSynth CreditLedgerServer LedgerPostgres CreditLedgerPostgres
DOCS_ARGS ?=
docs: deps
	@mkdir -p .build/docs
	@for target in $(DOCS_TARGETS); do \
		$(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target $$target \
			--disable-indexing --transform-for-static-hosting --output-path .build/docs/$$target $(DOCS_ARGS) || exit 1; \
	done

clean:
	rm -rf .build Fuzz/.build Benchmarks/.build $(DEMO_DIR)
