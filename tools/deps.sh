#!/bin/sh
# Installs the Debian packages linli needs to build and test, and nothing else.
# As root it runs apt-get for exactly what `dpkg -s` says is missing; otherwise it
# prints the one apt-get line to run and fails, so `make` never half-builds.
set -e
BUILD="gcc make pkg-config libmicrohttpd-dev libjansson-dev libsodium-dev libcsv-dev libxlsxwriter-dev libsqlite3-dev libpq-dev libcurl4-openssl-dev"
TEST="libcmocka-dev postgresql tidy chromium fonts-noto-cjk nodejs npm sqlite3 python3-jsonschema nginx-light"
# libFuzzer (tests/fuzz): clang-14 only recommends its runtime, and
# --no-install-recommends below would leave it out.
FUZZ="clang libclang-rt-14-dev"
BENCH="nginx-light wrk"
case "$1" in
  build) want="$BUILD" ;;
  test) want="$BUILD $TEST $FUZZ" ;;
  fuzz) want="$BUILD $FUZZ" ;;
  bench) want="$BUILD $BENCH" ;;
  valgrind) want="$BUILD $TEST valgrind" ;;
  *) want="$BUILD $TEST $FUZZ $BENCH" ;;
esac
missing=""
for p in $want; do
  if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
    # node/npm may come from elsewhere (nodesource); accept them on PATH.
    case "$p" in nodejs) command -v node >/dev/null && continue ;; npm) command -v npm >/dev/null && continue ;; esac
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  echo "linli: installing$missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || true
  apt-get install -y -q --no-install-recommends $missing >/dev/null
else
  echo "linli: missing Debian packages; run:" >&2
  echo "  sudo apt-get install$missing" >&2
  exit 1
fi
