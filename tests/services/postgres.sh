#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for the test suite.
#
#   tests/services/postgres.sh start    # create (if needed) and start; idempotent
#   tests/services/postgres.sh env      # print OCOP_DATABASE_URL=postgres://ocop@127.0.0.1:<port>/ocop
#   tests/services/postgres.sh status   # exit 0 if running, 1 if not
#   tests/services/postgres.sh stop     # stop and delete the cluster directory
#
# Uses Debian's server binaries (/usr/lib/postgresql/<ver>/bin, highest version).
# Listens on 127.0.0.1 only; socket, data and log live in one directory.
# Settings are for tests only (fsync=off etc.): never point this at real data.
#
# Environment:
#   OCOP_PG_DIR   cluster directory (default /tmp/ocop-pg-$UID-<hash of checkout path>)
#   OCOP_PG_PORT  TCP port (default 54329; when not set, the next free port is used
#                 if 54329 is taken by something else)
#
# Exit codes: 0 ok, 1 failure, 3 PostgreSQL server binaries not installed.
set -euo pipefail

die() { echo "postgres.sh: $*" >&2; exit 1; }

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
REPO_HASH=$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)
PG_DIR=${OCOP_PG_DIR:-/tmp/ocop-pg-$(id -u)-$REPO_HASH}
DATA="$PG_DIR/data"
LOG="$PG_DIR/postgres.log"
PORT_FILE="$PG_DIR/port"
MARKER="$PG_DIR/.ocop-pg"          # only directories carrying this marker are ever deleted
DEFAULT_PORT=54329
DB_USER=ocop
DB_NAME=ocop

IS_ROOT=0
[ "$(id -u)" -eq 0 ] && IS_ROOT=1

find_bindir() {
    local best="" bestver=-1 d ver
    for d in /usr/lib/postgresql/*/bin; do
        if [ ! -x "$d/initdb" ] || [ ! -x "$d/pg_ctl" ] || [ ! -x "$d/postgres" ]; then continue; fi
        ver=$(basename "$(dirname "$d")")
        ver=${ver%%.*}
        [[ $ver =~ ^[0-9]+$ ]] || continue
        if [ "$ver" -gt "$bestver" ]; then best=$d; bestver=$ver; fi
    done
    [ -n "$best" ] || return 1
    echo "$best"
}

require_bindir() {
    if ! BINDIR=$(find_bindir); then
        echo "postgres.sh: PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
        exit 3
    fi
}

# Run a server-side command as the cluster owner (postgres refuses to run as root).
as_owner() {
    if [ "$IS_ROOT" -eq 1 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && "$@")
    fi
}

# Alive and not a zombie: a killed postmaster can stay a zombie for a while when
# PID 1 is slow to reap, and pg_ctl status (kill -0) would call it running.
pid_alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

is_running() {
    local pid
    [ -f "$DATA/postmaster.pid" ] || return 1
    pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null)
    [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid"
}

port_in_use() {  # something accepts connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

current_port() {
    if [ -f "$PORT_FILE" ]; then cat "$PORT_FILE"; else echo "${OCOP_PG_PORT:-$DEFAULT_PORT}"; fi
}

choose_port() {
    local p
    if [ -n "${OCOP_PG_PORT:-}" ]; then
        port_in_use "$OCOP_PG_PORT" && die "port $OCOP_PG_PORT (OCOP_PG_PORT) on 127.0.0.1 is already in use"
        echo "$OCOP_PG_PORT"; return
    fi
    for p in $(seq "$DEFAULT_PORT" $((DEFAULT_PORT + 50))); do
        port_in_use "$p" || { echo "$p"; return; }
    done
    die "no free port in $DEFAULT_PORT-$((DEFAULT_PORT + 50)) on 127.0.0.1"
}

psql_super() {  # psql as the bootstrap superuser over the private unix socket
    "$BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$(current_port)" -U postgres -d postgres "$@"
}

ensure_role_and_db() {
    psql_super -tA -c "DO \$\$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
            CREATE ROLE $DB_USER LOGIN SUPERUSER;
          END IF; END \$\$;" >/dev/null
    if [ "$(psql_super -tA -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
        psql_super -c "CREATE DATABASE $DB_NAME OWNER $DB_USER" >/dev/null
    fi
}

fail_with_log() {
    echo "postgres.sh: $1 (log: $LOG)" >&2
    [ -f "$LOG" ] && tail -n 5 "$LOG" | sed 's/^/  | /' >&2
    exit 1
}

cmd_start() {
    require_bindir
    if is_running; then
        ensure_role_and_db
        return 0
    fi

    local port
    port=$(choose_port)
    if [ -e "$PG_DIR" ] && [ ! -f "$MARKER" ]; then
        die "$PG_DIR exists and was not created by this script; set OCOP_PG_DIR elsewhere or remove it"
    fi
    mkdir -p "$PG_DIR"
    touch "$MARKER"
    chmod 0755 "$PG_DIR"
    if [ "$IS_ROOT" -eq 1 ]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' system user"
        chown -R postgres: "$PG_DIR"
        runuser -u postgres -- test -w "$PG_DIR" \
            || die "user postgres cannot write $PG_DIR (a parent directory is not traversable); set OCOP_PG_DIR under /tmp"
    fi

    # Not running (checked above): pid and socket lock files left by a killed server are stale.
    rm -f "$DATA/postmaster.pid" "$PG_DIR"/.s.PGSQL.*
    if [ ! -f "$DATA/PG_VERSION" ]; then
        rm -rf "$DATA"
        as_owner "$BINDIR/initdb" -D "$DATA" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
            || { LOG="$PG_DIR/initdb.log"; fail_with_log "initdb failed"; }
        echo "include_if_exists = 'ocop.conf'" >>"$DATA/postgresql.conf"
    fi

    echo "$port" >"$PORT_FILE"
    cat >"$DATA/ocop.conf" <<EOF
# Written by tests/services/postgres.sh on each start. Test database: durability is off.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$PG_DIR'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
huge_pages = off
logging_collector = off
log_min_messages = warning
EOF
    if [ "$IS_ROOT" -eq 1 ]; then
        chown postgres: "$DATA/ocop.conf" "$PORT_FILE" "$MARKER"
    fi

    # 9>&-: the server must not inherit (and so hold forever) the flock descriptor.
    as_owner "$BINDIR/pg_ctl" start -D "$DATA" -l "$LOG" -w -t 60 -s >/dev/null 2>&1 9>&- \
        || fail_with_log "PostgreSQL did not start on 127.0.0.1:$port"
    ensure_role_and_db
}

cmd_stop() {
    if [ ! -e "$PG_DIR" ]; then return 0; fi
    [ -f "$MARKER" ] || die "$PG_DIR was not created by this script; not touching it"
    if is_running; then
        BINDIR=$(find_bindir) || die "PostgreSQL binaries missing; cannot stop the server in $PG_DIR"
        as_owner "$BINDIR/pg_ctl" stop -D "$DATA" -m fast -w -t 60 -s >/dev/null 2>&1 \
            || fail_with_log "pg_ctl stop failed"
    fi
    rm -rf "$PG_DIR"
}

cmd_status() {
    require_bindir
    is_running
}

cmd_env() {
    echo "OCOP_DATABASE_URL=postgres://$DB_USER@127.0.0.1:$(current_port)/$DB_NAME"
}

. "$(dirname -- "${BASH_SOURCE[0]}")/service-main.sh"
service_main "$PG_DIR" "$@"
