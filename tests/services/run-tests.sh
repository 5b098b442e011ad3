#!/usr/bin/env bash
# The whole test suite, as `make test` runs it:
#   pass 1: SQLite,      pytest -m "not postgres and not elasticsearch"
#           (the browser tests run here: their demo server has its own SQLite database)
#   pass 2: PostgreSQL,  pytest -m "not browser", on a throwaway cluster from postgres.sh,
#           with a search node from elasticsearch.sh when Java is available
#
# Extra pytest arguments: PYTEST_ARGS="-k checkout -x" (shell-quoted) and/or
# arguments after the script name. A second -m overrides either pass's marker filter.
#
# Environment:
#   PY                 python of the venv (default .venv/bin/python)
#   OCOP_DATABASE_URL  if set, pass 2 uses that server and none is started
#   OCOP_ELASTICSEARCH_URL  if set, pass 2 uses that search node and none is started
#   REQUIRE_SERVICES=1 fail when PostgreSQL or the search node is not available instead
#                      of skipping pass 2 or its search-engine tests
#
# Exits non-zero if either pass fails; pytest's exit 5 (no tests collected) is a failure.
set -uo pipefail

cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." || exit 1
PY=${PY:-.venv/bin/python}
PG_SH=tests/services/postgres.sh
ES_SH=tests/services/elasticsearch.sh
SETTINGS=storefront.settings.test

log() { echo "run-tests: $*"; }
now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1fs", b - a }'; }

extra=()
if [ -n "${PYTEST_ARGS:-}" ]; then
    eval "extra=($PYTEST_ARGS)" || { log "error: cannot parse PYTEST_ARGS: $PYTEST_ARGS"; exit 2; }
fi
extra+=("$@")

[ -x "$PY" ] || { log "error: $PY not found (run: make dev-venv)"; exit 1; }

# --- PostgreSQL --------------------------------------------------------------
pg_url=""
pg_reason=""
pg_started_here=0

stop_pg() {
    if [ "$pg_started_here" -eq 1 ]; then
        bash "$PG_SH" stop || log "warning: stopping PostgreSQL failed"
        pg_started_here=0
    fi
}
# Signals. From a terminal, pytest runs in the foreground: Ctrl-C reaches it
# directly (same process group) and --pdb works; we stop after it exits.
# Otherwise (CI, automation) pytest runs as a background child that we wait for,
# so that a TERM/HUP/INT sent to this script alone is acted on at once (bash
# defers traps while a foreground child runs, and background children ignore
# SIGINT): the child gets TERM, and the EXIT trap stops PostgreSQL.
child=0
interrupted=0
on_signal() {
    interrupted=1
    if [ "$child" -ne 0 ]; then kill -TERM "$child" 2>/dev/null; fi
}
# --- search node (started for pass 2 only) -------------------------------------
es_url=""
es_reason=""
es_started_here=0

stop_es() {
    if [ "$es_started_here" -eq 1 ]; then
        bash "$ES_SH" stop || log "warning: stopping the search node failed"
        es_started_here=0
    fi
}

start_es() {
    local out rc t
    if [ -n "${OCOP_ELASTICSEARCH_URL:-}" ]; then
        es_url=$OCOP_ELASTICSEARCH_URL
        log "search node: using OCOP_ELASTICSEARCH_URL from the environment"
    elif bash "$ES_SH" status >/dev/null 2>&1; then
        es_url=$(bash "$ES_SH" env | cut -d= -f2-)
        log "search node: already running, reusing it (left running afterwards)"
    else
        t=$(now)
        out=$(bash "$ES_SH" start 2>&1)
        rc=$?
        if [ "$rc" -eq 0 ]; then
            es_started_here=1
            es_url=$(bash "$ES_SH" env | cut -d= -f2-)
            log "search node: started in $(since "$t") ($es_url): ${out##*$'\n'}"
        elif [ "$rc" -eq 3 ]; then
            es_reason="a JDK, curl or (first use) Maven is missing: ${out##*$'\n'}"
        else
            es_reason="tests/services/elasticsearch.sh start failed: ${out%%$'\n'*}"
            [ -n "$out" ] && printf '%s\n' "$out" >&2
        fi
    fi
    if [ -z "$es_url" ]; then
        if [ "${REQUIRE_SERVICES:-0}" = 1 ]; then
            log "error: REQUIRE_SERVICES=1 but the search node is not available: $es_reason"
            return 1
        fi
        log "search node not available ($es_reason): tests marked elasticsearch will skip"
    fi
    return 0
}

trap 'stop_pg; stop_es' EXIT
trap on_signal INT TERM HUP

run_pytest() {
    local rc
    if [ -t 0 ]; then
        "$@"
        rc=$?
    else
        "$@" &
        child=$!
        while :; do
            wait "$child"
            rc=$?
            kill -0 "$child" 2>/dev/null || break   # wait was cut short by a trapped signal
        done
        child=0
    fi
    if [ "$interrupted" -eq 1 ]; then log "interrupted"; exit 130; fi
    return "$rc"
}

if [ -n "${OCOP_DATABASE_URL:-}" ]; then
    pg_url=$OCOP_DATABASE_URL
    log "PostgreSQL: using OCOP_DATABASE_URL from the environment"
elif bash "$PG_SH" status >/dev/null 2>&1; then
    pg_url=$(bash "$PG_SH" env | cut -d= -f2-)
    log "PostgreSQL: already running, reusing it (left running afterwards)"
else
    t=$(now)
    out=$(bash "$PG_SH" start 2>&1)
    rc=$?
    if [ "$rc" -eq 0 ]; then
        pg_started_here=1
        pg_url=$(bash "$PG_SH" env | cut -d= -f2-)
        log "PostgreSQL: started in $(since "$t") ($pg_url)"
    elif [ "$rc" -eq 3 ]; then
        pg_reason="PostgreSQL server binaries are not installed (apt-get install postgresql)"
    else
        pg_reason="tests/services/postgres.sh start failed: ${out%%$'\n'*}"
        [ -n "$out" ] && printf '%s\n' "$out" >&2
    fi
fi

if [ -z "$pg_url" ] && [ "${REQUIRE_SERVICES:-0}" = 1 ]; then
    log "error: REQUIRE_SERVICES=1 but PostgreSQL is not available: $pg_reason"
    exit 1
fi

# --- pytest passes -----------------------------------------------------------
describe() {  # pytest exit code -> words
    case "$1" in
        0) echo "ok" ;;
        1) echo "FAILED (tests failed)" ;;
        5) echo "FAILED (no tests collected)" ;;
        *) echo "FAILED (pytest exit $1)" ;;
    esac
}

log "pass 1/2: SQLite, -m 'not postgres and not elasticsearch'"
t=$(now)
run_pytest env -u OCOP_DATABASE_URL -u OCOP_ELASTICSEARCH_URL DJANGO_SETTINGS_MODULE="$SETTINGS" \
    "$PY" -m pytest --durations=15 -m "not postgres and not elasticsearch" "${extra[@]}"
rc1=$?
log "pass 1/2 (SQLite): $(describe "$rc1") in $(since "$t")"

rc2=0
if [ -n "$pg_url" ]; then
    if ! start_es; then
        stop_pg
        exit 1
    fi
    log "pass 2/2: PostgreSQL, -m 'not browser'"
    t=$(now)
    es_env=(-u OCOP_ELASTICSEARCH_URL)
    [ -n "$es_url" ] && es_env=(OCOP_ELASTICSEARCH_URL="$es_url")
    run_pytest env "${es_env[@]}" OCOP_DATABASE_URL="$pg_url" DJANGO_SETTINGS_MODULE="$SETTINGS" \
        "$PY" -m pytest --durations=15 -m "not browser" "${extra[@]}"
    rc2=$?
    log "pass 2/2 (PostgreSQL): $(describe "$rc2") in $(since "$t")"
else
    log "pass 2/2 (PostgreSQL) skipped: $pg_reason (set REQUIRE_SERVICES=1 to make this an error)"
fi

stop_es
stop_pg
if [ "$rc1" -ne 0 ] || [ "$rc2" -ne 0 ]; then
    log "FAILED: SQLite pass $(describe "$rc1"), PostgreSQL pass $([ -n "$pg_url" ] && describe "$rc2" || echo skipped)"
    exit 1
fi
exit 0
