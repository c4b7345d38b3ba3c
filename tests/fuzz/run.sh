#!/usr/bin/env bash
# Runs the libFuzzer targets build/fuzz/fuzz_<name> (see tests/fuzz/README.md),
# each over a scratch copy of its seed corpus tests/fuzz/corpus/<name>/ in
# build/fuzz/run/<name>/, so new inputs never land in the repository.
#
#   tests/fuzz/run.sh --budget 80            the step of `make test`: all targets,
#                                            about 80 s of wall time in all
#   tests/fuzz/run.sh --seconds 300          `make fuzz`: 300 s per target
#   tests/fuzz/run.sh --seconds 60 router    only fuzz_router
#   --jobs N                                 targets side by side (default: nproc)
#
# Exits non-zero if any target crashed, leaked, timed out or ran out of memory;
# the reproducer is kept in build/fuzz/crashes/<name>/ and its path printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

seconds="" budget="" jobs=$(nproc 2>/dev/null || echo 2)
names=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --budget) budget=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "tests/fuzz/run.sh: unknown option $1" >&2; exit 2 ;;
    *) names+=("${1#fuzz_}"); shift ;;
  esac
done
if [ "${#names[@]}" -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.c; do
    [ -e "$f" ] || continue
    n=${f#tests/fuzz/fuzz_}
    names+=("${n%.c}")
  done
fi
[ "${#names[@]}" -gt 0 ] || { echo "tests/fuzz/run.sh: no targets (tests/fuzz/fuzz_*.c)"; exit 0; }
[ "$jobs" -ge 1 ] || jobs=1
# The budget is wall time for the whole step: targets run $jobs at a time.
if [ -z "$seconds" ]; then
  budget=${budget:-80}
  rounds=$(((${#names[@]} + jobs - 1) / jobs))
  seconds=$((budget / rounds))
  [ "$seconds" -ge 5 ] || seconds=5
fi

# Sanitizer reports end the input; libFuzzer writes it out before exiting.
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:symbolize=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

run_one() {
  local name=$1 bin="$ROOT/build/fuzz/fuzz_$1" work="$ROOT/build/fuzz/run/$1"
  if [ ! -x "$bin" ]; then
    echo "FAIL fuzz_$name: $bin is missing (make build/fuzz/fuzz_$name)" >"$work.result"
    return 1
  fi
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  [ -d "tests/fuzz/corpus/$name" ] && cp -R "tests/fuzz/corpus/$name/." "$work/corpus/"
  local args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1
    -artifact_prefix="$work/artifacts/")
  [ -f "tests/fuzz/fuzz_$name.dict" ] && args+=(-dict="$ROOT/tests/fuzz/fuzz_$name.dict")
  # Extra libFuzzer flags for one target, one per line (e.g. -max_len=65536).
  if [ -f "tests/fuzz/fuzz_$name.options" ]; then
    while read -r opt; do [ -n "$opt" ] && [ "${opt#\#}" = "$opt" ] && args+=("$opt"); done \
      <"tests/fuzz/fuzz_$name.options"
  fi
  local t0 rc=0
  t0=$(date +%s)
  "$bin" "${args[@]}" "$work/corpus" >"$work/log" 2>&1 || rc=$?
  local runs
  runs=$(grep -Eo 'stat::number_of_executed_units: [0-9]+' "$work/log" | grep -Eo '[0-9]+$' || echo '?')
  if [ "$rc" -eq 0 ]; then
    echo "ok   fuzz_$name  ($runs runs in $(($(date +%s) - t0))s, corpus $(ls "$work/corpus" | wc -l) inputs)" >"$work.result"
    return 0
  fi
  {
    tail -n 80 "$work/log"
    echo "FAIL fuzz_$name (exit $rc; log: build/fuzz/run/$name/log)"
    mkdir -p "build/fuzz/crashes/$name"
    for f in "$work/artifacts"/*; do
      [ -e "$f" ] || continue
      cp "$f" "build/fuzz/crashes/$name/"
      echo "  reproducer: build/fuzz/crashes/$name/$(basename "$f")  ($(wc -c <"$f") bytes)"
      echo "  replay:     build/fuzz/fuzz_$name build/fuzz/crashes/$name/$(basename "$f")"
    done
    echo "  once fixed, add the reproducer to tests/fuzz/corpus/$name/"
  } >"$work.result"
  return 1
}

echo "fuzz: ${#names[@]} targets, ${seconds}s each, $jobs at a time"
mkdir -p build/fuzz/run
pids=() failed=0
for name in "${names[@]}"; do
  rm -f "build/fuzz/run/$name.result"
  run_one "$name" &
  pids+=($!)
  # A simple pool: wait for one to finish before starting the next.
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
done
for p in "${pids[@]}"; do wait "$p" || true; done
for name in "${names[@]}"; do
  r="build/fuzz/run/$name.result"
  if [ -f "$r" ]; then cat "$r"; else echo "FAIL fuzz_$name: no result"; failed=1; fi
  grep -q '^FAIL' "$r" 2>/dev/null && failed=1
done
exit $failed
