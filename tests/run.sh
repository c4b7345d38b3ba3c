#!/usr/bin/env bash
# The whole test suite, as `make test` runs it (after building build/test/linli,
# the cmocka unit tests and node_modules):
#
#   1. one throwaway PostgreSQL cluster for the run (tests/lib/pg.sh), stopped on exit;
#   2. the cmocka unit tests build/test/unit/test_*;
#   3. the libFuzzer targets build/fuzz/fuzz_*, each briefly over a scratch copy of
#      its seed corpus (tests/fuzz/run.sh; the step takes about LINLI_FUZZ_BUDGET=80 s);
#   4. the demo templates, built once: build/testdata/demo.<pid>.db (SQLite) and the
#      PostgreSQL database linli_demo_tpl that every PG test copies;
#   5. tests/import_full.sh (the all-China division import), if present;
#   6. the API, page and browser tests: node --test tests/api tests/browser.
#
# The output ends with the node test runner's summary (# pass N / # fail N);
# the exit status is non-zero if anything failed. See docs/testing.md.
#
#   tests/run.sh                       everything
#   tests/run.sh tests/api/auth.test.mjs tests/api   only these node tests (with
#                                      PostgreSQL and the templates; no unit tests,
#                                      no fuzzing, no full import) — `make valgrind` uses this
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
export LINLI_BIN="${LINLI_BIN:-$ROOT/build/test/linli}"
case "$LINLI_BIN" in /*) ;; *) LINLI_BIN="$ROOT/$LINLI_BIN" ;; esac
export LINLI_TEST_STORES="${LINLI_TEST_STORES:-sqlite,pg}"
# Sanitizer reports abort the process (servers: the harness fails the test
# that started it; commands: the step fails).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"

LOGS="$ROOT/build/test/logs"
mkdir -p "$LOGS" "$ROOT/build/testdata"
T0=$(date +%s)
step() { printf '\n### %s (%ss)\n' "$*" "$(($(date +%s) - T0))"; }
die() { echo "tests/run.sh: $*" >&2; exit 1; }

[ -x "$LINLI_BIN" ] || die "$LINLI_BIN is missing: run \`make test\` (or \`make build/test/linli\`)"
[ -d node_modules/playwright-core ] && [ -d node_modules/ajv ] || die "node_modules is missing: run \`npm ci\`"

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# ---------------------------------------------------------------- PostgreSQL
# One cluster for the whole run; every PG test gets its own database in it.
PGDIR=""
cleanup() {
  local rc=$?
  if [ -n "$PGDIR" ]; then
    tests/lib/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
  fi
  [ -n "${LINLI_TEST_DEMO_SQLITE:-}" ] && rm -f "$LINLI_TEST_DEMO_SQLITE" "$LINLI_TEST_DEMO_SQLITE"-wal "$LINLI_TEST_DEMO_SQLITE"-shm
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ ",$LINLI_TEST_STORES," == *,pg,* ]]; then
  step "PostgreSQL"
  [ -x tests/lib/pg.sh ] || die "tests/lib/pg.sh is missing: the suite cannot start PostgreSQL"
  PGURL=""
  for attempt in 1 2 3; do
    # pg.sh chowns DIR to postgres (as root): a fresh empty directory under /tmp.
    PGDIR=$(mktemp -d /tmp/linli-pg.XXXXXX)
    port=$(free_port)
    if PGURL=$(tests/lib/pg.sh start "$PGDIR" "$port" 2>"$LOGS/pg-start.log"); then break; fi
    PGURL=""
    tests/lib/pg.sh stop "$PGDIR" >/dev/null 2>&1 || true
    rm -rf "$PGDIR"
    PGDIR=""
  done
  if [ -z "$PGURL" ]; then
    cat "$LOGS/pg-start.log" >&2
    die "PostgreSQL did not start: the suite fails rather than skip the PostgreSQL tests"
  fi
  PGURL=$(printf '%s\n' "$PGURL" | tail -n 1)
  export LINLI_TEST_PG_URL="$PGURL"
  echo "PostgreSQL: $LINLI_TEST_PG_URL (cluster in $PGDIR)"
fi

ONLY=("$@")

# ---------------------------------------------------------------- unit tests
unit_failed=()
[ "${#ONLY[@]}" -eq 0 ] && step "unit tests (cmocka)"
shopt -s nullglob
for t in build/test/unit/test_*; do
  [ "${#ONLY[@]}" -eq 0 ] || break
  [ -x "$t" ] && [ -f "$t" ] || continue
  name=$(basename "$t")
  if "$t" >"$LOGS/$name.log" 2>&1; then
    echo "ok   $name  ($(grep -Eo '[0-9]+ test\(s\) run' "$LOGS/$name.log" | head -n 1 || true))"
  else
    cat "$LOGS/$name.log"
    echo "FAIL $name (log: build/test/logs/$name.log)"
    unit_failed+=("$name")
  fi
done
shopt -u nullglob

# ---------------------------------------------------------------- fuzzing
# A crash, a leak or a hang fails the suite; the reproducer's path is printed.
fuzz_failed=0
if [ "${#ONLY[@]}" -eq 0 ] && compgen -G 'tests/fuzz/fuzz_*.c' >/dev/null; then
  step "fuzzing (libFuzzer, tests/fuzz/run.sh)"
  if ! tests/fuzz/run.sh --budget "${LINLI_FUZZ_BUDGET:-80}"; then
    echo "FAIL fuzzing (logs: build/fuzz/run/*/log)"
    fuzz_failed=1
  fi
fi

# ---------------------------------------------------------------- demo templates
step "demo templates (linli demo --scale small)"
# one file per run, so runs side by side (make test and make valgrind) never share it
mkdir -p "$ROOT/build/testdata"
export LINLI_TEST_DEMO_SQLITE="$ROOT/build/testdata/demo.$$.db"
export LINLI_TEST_DEMO_PG_TEMPLATE=linli_demo_tpl
rm -f "$LINLI_TEST_DEMO_SQLITE" "$LINLI_TEST_DEMO_SQLITE"-wal "$LINLI_TEST_DEMO_SQLITE"-shm
rm -f "$LINLI_TEST_DEMO_SQLITE".tmp "$LINLI_TEST_DEMO_SQLITE".tmp-wal "$LINLI_TEST_DEMO_SQLITE".tmp-shm
"$LINLI_BIN" demo --scale small --db "$LINLI_TEST_DEMO_SQLITE.tmp" >"$LOGS/demo-sqlite.log" 2>&1 &
sqlite_pid=$!
pg_pid=""
if [ -n "$PGDIR" ]; then
  (
    set -e
    psql -X -q -v ON_ERROR_STOP=1 -d "$LINLI_TEST_PG_URL" \
      -c "DROP DATABASE IF EXISTS $LINLI_TEST_DEMO_PG_TEMPLATE" \
      -c "CREATE DATABASE $LINLI_TEST_DEMO_PG_TEMPLATE"
    tpl_url="${LINLI_TEST_PG_URL%/*}/$LINLI_TEST_DEMO_PG_TEMPLATE"
    "$LINLI_BIN" demo --scale small --db "$tpl_url"
    # Nobody may connect to the template: CREATE DATABASE … TEMPLATE fails
    # while it has connections.
    psql -X -q -v ON_ERROR_STOP=1 -d "$LINLI_TEST_PG_URL" \
      -c "ALTER DATABASE $LINLI_TEST_DEMO_PG_TEMPLATE WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"
  ) >"$LOGS/demo-pg.log" 2>&1 &
  pg_pid=$!
fi
if ! wait "$sqlite_pid"; then
  cat "$LOGS/demo-sqlite.log" >&2
  die "linli demo failed on SQLite"
fi
# One file, no WAL beside it: every copy starts from the same bytes.
sqlite3 "$LINLI_TEST_DEMO_SQLITE.tmp" 'PRAGMA wal_checkpoint(TRUNCATE);' >/dev/null
mv "$LINLI_TEST_DEMO_SQLITE.tmp" "$LINLI_TEST_DEMO_SQLITE"
rm -f "$LINLI_TEST_DEMO_SQLITE".tmp-wal "$LINLI_TEST_DEMO_SQLITE".tmp-shm
echo "SQLite:     $LINLI_TEST_DEMO_SQLITE ($(du -h "$LINLI_TEST_DEMO_SQLITE" | cut -f1))"
if [ -n "$pg_pid" ]; then
  if ! wait "$pg_pid"; then
    cat "$LOGS/demo-pg.log" >&2
    die "linli demo failed on PostgreSQL"
  fi
  echo "PostgreSQL: template database $LINLI_TEST_DEMO_PG_TEMPLATE"
fi

# ---------------------------------------------------------------- full import
import_failed=0
if [ -f tests/import_full.sh ] && [ "${#ONLY[@]}" -eq 0 ]; then
  step "tests/import_full.sh"
  if ! bash tests/import_full.sh; then
    echo "FAIL tests/import_full.sh"
    import_failed=1
  fi
fi

# ---------------------------------------------------------------- node tests
step "API, page and browser tests (node --test)"
[ "${#ONLY[@]}" -gt 0 ] || ONLY=(tests/api tests/browser)
# Directories expanded here: node 18/20 and 22 read directory arguments differently.
mapfile -t files < <(find "${ONLY[@]}" -name '*.test.mjs' -type f 2>/dev/null | sort)
[ "${#files[@]}" -gt 0 ] || die "no test files (*.test.mjs) in: ${ONLY[*]}"
node_flags=(--test --test-reporter=tap --test-reporter-destination=stdout
  --test-reporter=spec --test-reporter-destination="$LOGS/node-spec.log")
# Node 20.10+ (nodesource) has these; Debian's node 18 runs files in parallel anyway.
if node --test-concurrency=2 -e 0 >/dev/null 2>&1; then node_flags+=(--test-concurrency=2); fi
# per test file; under valgrind (make valgrind) the server runs ~50× slower
file_timeout=300000
[ "${LINLI_VALGRIND:-}" = 1 ] && file_timeout=3600000
if node --test-timeout=1 -e 0 >/dev/null 2>&1; then node_flags+=(--test-timeout=$file_timeout); fi

failed_before=""
[ "${#unit_failed[@]}" -gt 0 ] && failed_before="unit tests failed: ${unit_failed[*]}"
[ "$import_failed" = 1 ] && failed_before="${failed_before:+$failed_before; }tests/import_full.sh failed"
[ "$fuzz_failed" = 1 ] && failed_before="${failed_before:+$failed_before; }fuzzing found a crash"
if [ -n "$failed_before" ]; then echo "tests/run.sh: $failed_before (the node tests run anyway)"; fi
echo "# ${#files[@]} test files; stores: $LINLI_TEST_STORES; log: build/test/logs/node-spec.log; $(($(date +%s) - T0))s so far"

set +e
node "${node_flags[@]}" "${files[@]}"
node_rc=$?
set -e
[ -n "$failed_before" ] && exit 1
exit $node_rc
