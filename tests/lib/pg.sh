#!/bin/sh
# A throwaway PostgreSQL cluster for the tests.
#
#   tests/lib/pg.sh start DIR PORT          initdb in DIR, start on 127.0.0.1:PORT,
#                                           print postgresql://postgres@127.0.0.1:PORT/postgres
#   tests/lib/pg.sh stop DIR                stop it (immediate) and remove DIR
#   tests/lib/pg.sh createdb URL NAME [TPL] CREATE DATABASE NAME [TEMPLATE TPL], print its URL
#
# Trust authentication, UTF-8, C locale, no fsync: fast and disposable, never for
# real data. As root the server runs as the `postgres` user (it refuses root).
# Only the URL goes to stdout; everything else to stderr or to DIR/*.log. Any
# failure exits non-zero with a message, so the suite fails instead of skipping.
set -eu

PGBIN=${LINLI_PG_BIN:-/usr/lib/postgresql/15/bin}

die() {
    echo "pg.sh: $*" >&2
    exit 1
}

usage() {
    die "usage: pg.sh start DIR PORT | stop DIR | createdb URL NAME [TEMPLATE]"
}

# Runs a server program as the cluster owner, from a directory it can read.
as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

check_bin() {
    for b in initdb pg_ctl pg_isready psql; do
        [ -x "$PGBIN/$b" ] || die "$PGBIN/$b not found: install PostgreSQL 15 (apt-get install postgresql) or set LINLI_PG_BIN"
    done
}

# The URL with its database path replaced by $2 (query string kept).
url_for() {
    printf '%s\n' "$1" | sed -E "s#^([A-Za-z]+://[^/?]*)(/[^?]*)?#\\1/$2#"
}

# Last lines of a log, to stderr.
show_log() {
    if [ -f "$1" ]; then
        echo "--- $1 (last 30 lines) ---" >&2
        tail -n 30 "$1" >&2 || true
    fi
}

start() {
    dir=$1
    port=$2
    check_bin
    case "$port" in '' | *[!0-9]*) die "PORT must be a number, not '$port'" ;; esac
    if [ "$port" -lt 1024 ] || [ "$port" -gt 65535 ]; then die "PORT must be 1024..65535, not $port"; fi
    # The directory goes into server options and the socket path: keep it plain.
    case "$dir" in
    /*) ;;
    *) dir=$(pwd)/$dir ;;
    esac
    case "$dir" in *[!A-Za-z0-9._/-]*) die "DIR must be a plain path (letters, digits, . _ - /): $dir" ;; esac
    # A unix socket path is at most 107 bytes: DIR/.s.PGSQL.PORT.lock must fit.
    [ ${#dir} -le 80 ] || die "DIR is too long for a unix socket path (max 80 characters): $dir"
    if [ -e "$dir" ] && [ -n "$(ls -A "$dir" 2>/dev/null)" ]; then
        die "$dir exists and is not empty (stop a previous cluster with: pg.sh stop $dir)"
    fi
    mkdir -p "$dir" || die "cannot create $dir"
    : >"$dir/.linli-pg" || die "cannot write in $dir"
    if [ "$(id -u)" = 0 ]; then
        id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as (install the postgresql package)"
        chown postgres "$dir" || die "cannot chown $dir to postgres"
        runuser -u postgres -- test -w "$dir" ||
            die "user postgres cannot write to $dir (are its parent directories searchable by others?)"
    fi

    if ! as_owner "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 \
        --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
        show_log "$dir/initdb.log"
        die "initdb failed in $dir/data"
    fi
    opts="-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir"
    opts="$opts -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    opts="$opts -c max_connections=200"
    if ! as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "$opts" start >"$dir/pg_ctl.log" 2>&1; then
        show_log "$dir/pg_ctl.log"
        show_log "$dir/server.log"
        die "PostgreSQL did not start on 127.0.0.1:$port (port in use?); see $dir/server.log"
    fi
    i=0
    until "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres; do
        i=$((i + 1))
        if [ "$i" -ge 100 ]; then
            show_log "$dir/server.log"
            die "PostgreSQL on 127.0.0.1:$port is not accepting connections"
        fi
        sleep 0.1
    done
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

stop() {
    dir=$1
    [ -e "$dir" ] || return 0
    [ -f "$dir/.linli-pg" ] || die "$dir was not made by pg.sh start; not removing it"
    if [ -f "$dir/data/postmaster.pid" ]; then
        check_bin
        as_owner "$PGBIN/pg_ctl" -D "$dir/data" -m immediate -w -t 60 stop >/dev/null 2>&1 ||
            echo "pg.sh: pg_ctl stop failed in $dir (was the server running?)" >&2
    fi
    rm -rf "$dir" || die "cannot remove $dir"
}

createdb() {
    url=$1
    name=$2
    tpl=${3:-}
    check_bin
    case "$name" in '' | *[!A-Za-z0-9_]*) die "database NAME must be letters, digits and _: '$name'" ;; esac
    case "$tpl" in *[!A-Za-z0-9_]*) die "TEMPLATE must be letters, digits and _: '$tpl'" ;; esac
    sql="CREATE DATABASE \"$name\""
    [ -z "$tpl" ] || sql="$sql TEMPLATE \"$tpl\""
    "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -d "$url" -c "$sql" >/dev/null ||
        die "cannot create database $name on $url"
    url_for "$url" "$name"
}

[ $# -ge 1 ] || usage
cmd=$1
shift
case "$cmd" in
start) [ $# -eq 2 ] || usage; start "$1" "$2" ;;
stop) [ $# -eq 1 ] || usage; stop "$1" ;;
createdb) [ $# -eq 2 ] || [ $# -eq 3 ] || usage; createdb "$@" ;;
*) usage ;;
esac
