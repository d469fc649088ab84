#!/usr/bin/env bash
# A throwaway PostgreSQL server for the test suite, on 127.0.0.1 with trust authentication.
#
#   eval "$(scripts/test-postgres.sh start)"   # start it (fresh and empty), export TEST_DATABASE_URL
#   make test                                  # SQLite, then PostgreSQL
#   scripts/test-postgres.sh stop              # stop it and delete its data
#
# Subcommands:
#   start    initialise and start a new server (an earlier one of this checkout is stopped and wiped
#            first), create the database, print `export TEST_DATABASE_URL=...` on stdout
#   stop     stop the server and delete its folder (does nothing when none is running)
#   restart  stop and start the running server, keeping its data (the soak test's fault injection)
#   status   say whether it runs; exit 0 when it does
#   url      print the URL of the running server
#   bindir   print the folder holding initdb/pg_ctl (exit 1 when PostgreSQL is not installed)
#
# Environment:
#   TEST_PG_PORT  port to listen on (default: 55432, or the next free one above it)
#   TEST_PG_DIR   folder for the data, socket and log (default: /tmp/inspect-test-pg-<checkout hash>)
#   TEST_PG_DB    database name (default: inspect_test)
#   PG_BINDIR     folder of the PostgreSQL server programs (default: found automatically)
#
# Only the `export` line goes to stdout; everything else goes to stderr, so `eval "$(...)"` is safe.
# Run as root, the server runs as the `postgres` user (initdb refuses to run as root).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
HASH=$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)
BASE=${TEST_PG_DIR:-/tmp/inspect-test-pg-$HASH}
DATA=$BASE/data
SOCKETS=$BASE/run
LOG=$BASE/postgres.log
DB_NAME=${TEST_PG_DB:-inspect_test}
DEFAULT_PORT=55432

say() { printf 'test-postgres: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

find_bindir() {
    local candidate dir
    if [[ -n ${PG_BINDIR:-} ]]; then
        [[ -x $PG_BINDIR/initdb && -x $PG_BINDIR/pg_ctl ]] || return 1
        printf '%s\n' "$PG_BINDIR"
        return 0
    fi
    # initdb on PATH (e.g. symlinks in /usr/local/bin): use the real folder, which also holds createdb.
    if candidate=$(command -v initdb 2>/dev/null); then
        dir=$(dirname "$(readlink -f "$candidate")")
        if [[ -x $dir/pg_ctl ]]; then
            printf '%s\n' "$dir"
            return 0
        fi
    fi
    if candidate=$(pg_config --bindir 2>/dev/null) && [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
        printf '%s\n' "$candidate"
        return 0
    fi
    # Debian/Ubuntu keep the server programs out of PATH: take the newest version installed.
    candidate=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
    if [[ -n $candidate && -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
        printf '%s\n' "$candidate"
        return 0
    fi
    return 1
}

# Run a PostgreSQL server program as the user that owns the cluster (postgres when we are root).
as_pg() {
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user (install the postgresql package)"
        # Start from a folder the postgres user can read (the caller's may be /root).
        (cd "$BASE" && if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su -s /bin/sh postgres -c "$(printf '%q ' "$@")"
        fi)
    else
        "$@"
    fi
}

port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

choose_port() {
    local port
    if [[ -n ${TEST_PG_PORT:-} ]]; then
        port_busy "$TEST_PG_PORT" && die "port $TEST_PG_PORT on 127.0.0.1 is already in use"
        printf '%s\n' "$TEST_PG_PORT"
        return 0
    fi
    for ((port = DEFAULT_PORT; port < DEFAULT_PORT + 100; port++)); do
        if ! port_busy "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
    done
    die "no free port between $DEFAULT_PORT and $((DEFAULT_PORT + 99)); set TEST_PG_PORT"
}

is_running() {
    [[ -f $DATA/postmaster.pid ]] || return 1
    local bindir
    bindir=$(find_bindir) || return 1
    as_pg "$bindir/pg_ctl" status -D "$DATA" >/dev/null 2>&1
}

url() {
    printf 'postgresql://postgres@127.0.0.1:%s/%s\n' "$(cat "$BASE/port")" "$DB_NAME"
}

cmd_stop() {
    if [[ ! -d $BASE ]]; then
        say "no test server for this checkout ($BASE does not exist)"
        return 0
    fi
    if is_running; then
        local bindir
        bindir=$(find_bindir)
        as_pg "$bindir/pg_ctl" stop -D "$DATA" -m fast -w -t 60 >/dev/null
        say "stopped the server on port $(cat "$BASE/port" 2>/dev/null || echo '?')"
    fi
    rm -rf "$BASE"
}

cmd_start() {
    local bindir port
    bindir=$(find_bindir) || die "PostgreSQL server programs (initdb, pg_ctl) not found: install the 'postgresql' package or set PG_BINDIR"
    if [[ -d $BASE ]]; then
        say "replacing the earlier test server in $BASE"
        cmd_stop
    fi
    port=$(choose_port)

    mkdir -p "$BASE"
    chmod 755 "$BASE"
    mkdir -p "$DATA" "$SOCKETS"
    touch "$LOG"
    if [[ $EUID -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' user (install the postgresql package)"
        chown postgres: "$DATA" "$SOCKETS" "$LOG"
    fi
    chmod 700 "$DATA"

    if ! as_pg "$bindir/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --no-locale >>"$LOG" 2>&1; then
        tail -n 30 "$LOG" >&2 || true
        die "initdb failed (log: $LOG)"
    fi
    # A throwaway server: durability is not needed, speed is.
    cat >>"$DATA/postgresql.conf" <<EOF

# --- test server (scripts/test-postgres.sh) ---
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$SOCKETS'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
EOF
    if ! as_pg "$bindir/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 >/dev/null; then
        tail -n 30 "$LOG" >&2 || true
        die "the server did not start (log: $LOG)"
    fi
    printf '%s\n' "$port" >"$BASE/port"
    if ! as_pg "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres "$DB_NAME" >&2; then
        cmd_stop
        die "could not create the database $DB_NAME"
    fi
    say "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $DATA"
    say "TEST_DATABASE_URL=$(url)   (stop it with: scripts/test-postgres.sh stop)"
    printf 'export TEST_DATABASE_URL=%s\n' "$(url)"
}

cmd_restart() {
    is_running || die "not running (start it with: scripts/test-postgres.sh start)"
    as_pg "$(find_bindir)/pg_ctl" restart -D "$DATA" -l "$LOG" -m fast -w -t 60 >/dev/null
    say "restarted the server on port $(cat "$BASE/port")"
}

case ${1:-} in
start) cmd_start ;;
restart) cmd_restart ;;
stop) cmd_stop ;;
status)
    if is_running; then
        say "running: $(url)"
    else
        say "not running"
        exit 1
    fi
    ;;
url)
    is_running || die "not running (start it with: scripts/test-postgres.sh start)"
    url
    ;;
bindir) find_bindir || die "PostgreSQL server programs not found" ;;
*)
    sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
