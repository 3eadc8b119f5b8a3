#!/usr/bin/env bash
# A throwaway PostgreSQL server for Vangnet's tests (vangnet-store-postgres).
#
#   scripts/pg-test-server.sh [DIR]        start it (idempotent); prints the URL last on stdout
#   scripts/pg-test-server.sh stop [DIR]   stop it
#
# DIR defaults to /tmp/vangnet-pg. The cluster listens on 127.0.0.1:54329 only, with trust
# authentication (it is for tests on this machine, never for real data); fsync stays on.
# Installs Debian's `postgresql` package when initdb/pg_ctl are missing. Run as root (the
# server runs as the `postgres` system user) or as an ordinary user who owns DIR.
#
# Typical use:
#   export VANGNET_TEST_DATABASE_URL=$(scripts/pg-test-server.sh)
#   cargo test -p vangnet-store-postgres
set -euo pipefail

PORT=54329
DB=vangnet_test
ACTION=start
case "${1:-}" in
    stop) ACTION=stop; shift ;;
    start) shift ;;
esac
DIR=${1:-/tmp/vangnet-pg}
case "$DIR" in
    /*) ;;
    *) DIR="$(pwd)/$DIR" ;;
esac
DATA="$DIR/data"
LOG="$DIR/server.log"
URL="postgres://postgres@127.0.0.1:$PORT/$DB"

say() { echo "pg-test-server: $*" >&2; }
die() { say "$*"; exit 1; }

# The newest installed server binaries (Debian keeps them under /usr/lib/postgresql/N/bin).
find_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5V -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(readlink -f "$(command -v pg_ctl)")"
        return 0
    fi
    return 1
}

# Run a command as the server's owner: `postgres` when we are root, ourselves otherwise.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

BIN=$(find_bindir || true)

if [ "$ACTION" = stop ]; then
    if [ -z "$BIN" ] || [ ! -f "$DATA/PG_VERSION" ]; then
        say "no cluster in $DATA; nothing to stop"
        exit 0
    fi
    if as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
        as_owner "$BIN/pg_ctl" -D "$DATA" -m fast -w stop >&2
    else
        say "not running"
    fi
    exit 0
fi

if [ -z "$BIN" ]; then
    [ "$(id -u)" -eq 0 ] || die "initdb/pg_ctl not found and not root: install Debian's 'postgresql' package"
    say "installing postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2
    apt-get install -y -q postgresql >&2
    BIN=$(find_bindir) || die "postgresql installed, but initdb/pg_ctl are still not found"
fi

if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "the 'postgres' system user does not exist (is the postgresql package installed?)"
fi

running_here() {
    [ -f "$DATA/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1
}

if running_here; then
    say "already running ($DATA)"
elif "$BIN/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1; then
    # Another throwaway cluster (another DIR) already serves the port: use that one.
    say "a server from another directory already listens on 127.0.0.1:$PORT; using it"
else
    # The cluster: created once, kept across starts.
    mkdir -p "$DIR"
    if [ "$(id -u)" -eq 0 ]; then
        chown postgres: "$DIR"
    fi
    chmod 700 "$DIR"
    as_owner test -w "$DIR" || die "$DIR is not writable by the server's user (its parent directories must be searchable)"
    if [ ! -f "$DATA/PG_VERSION" ]; then
        say "creating a cluster in $DATA"
        as_owner "$BIN/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >&2
        as_owner tee -a "$DATA/postgresql.conf" >/dev/null <<EOF

# --- vangnet test server (scripts/pg-test-server.sh) ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DIR'
shared_buffers = 512MB
max_wal_size = 4GB
logging_collector = off
EOF
    fi
    say "starting ($DATA, log $LOG)"
    if ! as_owner "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 start >&2; then
        tail -n 30 "$LOG" >&2 || true
        die "the server did not start"
    fi
fi

PSQL=("$BIN/psql" -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
if [ ! -x "$BIN/psql" ]; then
    PSQL=(psql -X -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -v ON_ERROR_STOP=1)
fi
if [ "$("${PSQL[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
    say "creating database $DB"
    "${PSQL[@]}" -c "CREATE DATABASE $DB" >&2
fi

echo "$URL"
