#!/usr/bin/env bash
# The whole test suite, as `make test` runs it:
#   pass 1: SQLite,      pytest -m "not postgres and not elasticsearch"
#           (the browser tests run here: their demo server has its own SQLite database;
#           so does the cluster test, which starts its own nodes)
#   pass 2: PostgreSQL + Elasticsearch 8.19.3 (production's engine), pytest -m "not browser and not cluster",
#           on a throwaway cluster from postgres.sh and a node from elasticsearch.sh
#   pass 3: PostgreSQL + Elasticsearch 9.1.0,  pytest -m "elasticsearch and not cluster"
#   pass 4: PostgreSQL + OpenSearch 2.19.1,    pytest -m "elasticsearch and not cluster"
# Each engine starts in the background one pass ahead (Elasticsearch 8 during pass 1, the
# others during pass 2); its start-up time is logged when its pass begins, and it is stopped
# after its pass (and at exit, Ctrl-C and TERM included).
#
# Extra pytest arguments: PYTEST_ARGS="-k checkout -x" (shell-quoted) and/or
# arguments after the script name, for every pass. A second -m overrides a pass's marker filter.
#
# Environment:
#   PY                 python of the venv (default .venv/bin/python)
#   OCOP_DATABASE_URL  if set, the PostgreSQL passes use that server and none is started
#   OCOP_ELASTICSEARCH_URL  if set, pass 2 uses that search node (engine: OCOP_SEARCH_ENGINE,
#                      default opensearch) and no Elasticsearch 8 is started
#   OCOP_TEST_ENGINES  engines of passes 3.. (default "elasticsearch-9.1.0 opensearch-2.19.1";
#                      empty: none)
#   OCOP_ES_PORT, OCOP_ES_TRANSPORT_PORT, OCOP_ES_DIR  if set, spread over the engines
#                      (port + 0, 1, 2; directory + "-<engine>")
#   REQUIRE_SERVICES=1 fail when PostgreSQL or an engine is not available instead of
#                      skipping its pass (or pass 2's engine tests)
#
# Exits non-zero if any pass fails; pytest's exit 5 (no tests collected) is a failure (in
# passes 3.. it is not when extra pytest arguments select nothing there).
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
# --- search engines -----------------------------------------------------------
# Pass 2 runs on Elasticsearch 8.19.3; passes 3.. on the engines in $ENGINE_PASSES. Each engine
# is started in the background one pass ahead (Elasticsearch 8 during pass 1, the others during
# pass 2), waited for just before its pass, and stopped after it.
MAIN_ENGINE=elasticsearch-8.19.3
read -r -a ENGINE_PASSES <<<"${OCOP_TEST_ENGINES-elasticsearch-9.1.0 opensearch-2.19.1}"
ALL_ENGINES=("$MAIN_ENGINE" "${ENGINE_PASSES[@]}")
ES_LOGS=$(mktemp -d "${TMPDIR:-/tmp}/ocop-run-tests-es.XXXXXX")
declare -A es_pid=() es_here=() es_t0=()
es_url=""
es_kind=""
es_reason=""

# Each engine has its own directory and ports. OCOP_ES_PORT, OCOP_ES_TRANSPORT_PORT and
# OCOP_ES_DIR, when set, are spread over the engines: port + 0, 1, 2 in the order of
# ALL_ENGINES, directory + "-<engine>".
es_vars() {  # es_vars ENGINE: sets ES_VARS (assignments for env)
    local engine=$1 i=0 e
    for e in "${ALL_ENGINES[@]}"; do [ "$e" = "$engine" ] && break; i=$((i + 1)); done
    ES_VARS=(OCOP_ES_ENGINE="$engine")
    [ -n "${OCOP_ES_PORT:-}" ] && ES_VARS+=(OCOP_ES_PORT=$((OCOP_ES_PORT + i)))
    [ -n "${OCOP_ES_TRANSPORT_PORT:-}" ] && ES_VARS+=(OCOP_ES_TRANSPORT_PORT=$((OCOP_ES_TRANSPORT_PORT + i)))
    [ -n "${OCOP_ES_DIR:-}" ] && ES_VARS+=(OCOP_ES_DIR="${OCOP_ES_DIR%/}-$engine")
    return 0
}
es_sh() {  # es_sh ENGINE ARGS...: elasticsearch.sh for that engine
    local engine=$1
    shift
    es_vars "$engine"
    env "${ES_VARS[@]}" bash "$ES_SH" "$@"
}

start_engine_bg() {  # start_engine_bg ENGINE: start it in the background unless it already runs
    local engine=$1
    [ -n "${es_pid[$engine]:-}" ] && return 0
    if es_sh "$engine" status >/dev/null 2>&1; then
        es_pid[$engine]=reused
        return 0
    fi
    es_t0[$engine]=$(now)
    es_vars "$engine"
    # A simple command in the background: $! is the start script itself (TERM reaches it).
    env "${ES_VARS[@]}" bash "$ES_SH" start >"$ES_LOGS/$engine.log" 2>&1 &
    es_pid[$engine]=$!
    es_here[$engine]=1
    log "$engine: starting in the background (log $ES_LOGS/$engine.log)"
}

wait_engine() {  # wait_engine ENGINE: sets es_url, es_kind (or es_reason); 1 if REQUIRE_SERVICES fails
    local engine=$1 pid rc follower out
    es_url="" es_kind="" es_reason=""
    start_engine_bg "$engine"
    pid=${es_pid[$engine]}
    if [ "$pid" = reused ]; then
        log "$engine: already running, reusing it (left running afterwards)"
        rc=0
    else
        # Progress: the start's output as it comes (in the background, so that a signal to this
        # script is acted on at once).
        tail -n +1 -f --pid="$pid" "$ES_LOGS/$engine.log" 2>/dev/null | sed "s/^/run-tests:   [$engine] /" &
        follower=$!
        wait "$pid"
        rc=$?
        while kill -0 "$pid" 2>/dev/null; do  # wait was cut short by a trapped signal
            [ "$interrupted" -eq 1 ] && break
            wait "$pid"; rc=$?
        done
        wait "$follower" 2>/dev/null
        if [ "$interrupted" -eq 1 ]; then log "interrupted"; exit 130; fi
        es_pid[$engine]=done:$rc
    fi
    if [ "$rc" -eq 0 ]; then
        out=$(es_sh "$engine" env)
        es_url=$(sed -n 's/^OCOP_ELASTICSEARCH_URL=//p' <<<"$out")
        es_kind=$(sed -n 's/^OCOP_SEARCH_ENGINE=//p' <<<"$out")
        [ "$pid" = reused ] || log "$engine: ready at $es_url (its background start began $(since "${es_t0[$engine]}") ago)"
        return 0
    fi
    out=$(tail -n 1 "$ES_LOGS/$engine.log" 2>/dev/null)
    if [ "$rc" -eq 3 ]; then
        es_reason="a prerequisite is missing: ${out#elasticsearch.sh: }"
    else
        es_reason="tests/services/elasticsearch.sh start failed (exit $rc): ${out#elasticsearch.sh: }"
    fi
    if [ "${REQUIRE_SERVICES:-0}" = 1 ]; then
        log "error: REQUIRE_SERVICES=1 but $engine is not available: $es_reason"
        return 1
    fi
    return 0
}

stop_engine() {  # stop_engine ENGINE: stop it if this script started it (also a start still running)
    local engine=$1 pid
    [ -n "${es_here[$engine]:-}" ] || return 0
    pid=${es_pid[$engine]}
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null   # the start kills what it launched
        wait "$pid" 2>/dev/null
    fi
    es_sh "$engine" stop || log "warning: stopping $engine failed"
    unset "es_here[$engine]"
}

stop_engines() {
    local engine
    for engine in "${ALL_ENGINES[@]}"; do stop_engine "$engine"; done
    rm -rf "$ES_LOGS"
}

trap 'stop_engines; stop_pg' EXIT
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

# Engine passes: run only when PostgreSQL is there (they run on it).
npasses=$((2 + ${#ENGINE_PASSES[@]}))
[ -n "$pg_url" ] && [ -z "${OCOP_ELASTICSEARCH_URL:-}" ] && start_engine_bg "$MAIN_ENGINE"

log "pass 1/$npasses: SQLite, -m 'not postgres and not elasticsearch'"
t=$(now)
run_pytest env -u OCOP_DATABASE_URL -u OCOP_ELASTICSEARCH_URL -u OCOP_SEARCH_ENGINE DJANGO_SETTINGS_MODULE="$SETTINGS" \
    "$PY" -m pytest --durations=15 -m "not postgres and not elasticsearch" "${extra[@]}"
rc1=$?
log "pass 1/$npasses (SQLite): $(describe "$rc1") in $(since "$t")"
summary=("SQLite: $(describe "$rc1")")
failed=0
[ "$rc1" -eq 0 ] || failed=1

# engine_pass N ENGINE MARKERS: pytest on PostgreSQL against the engine's node
engine_pass() {
    local n=$1 engine=$2 markers=$3 rc
    local es_env=(-u OCOP_ELASTICSEARCH_URL -u OCOP_SEARCH_ENGINE)
    if [ -n "$es_url" ]; then
        es_env=(OCOP_ELASTICSEARCH_URL="$es_url" OCOP_SEARCH_ENGINE="$es_kind")
    fi
    log "pass $n/$npasses: PostgreSQL + $engine, -m '$markers'"
    t=$(now)
    run_pytest env "${es_env[@]}" OCOP_DATABASE_URL="$pg_url" DJANGO_SETTINGS_MODULE="$SETTINGS" \
        "$PY" -m pytest --durations=15 -m "$markers" "${extra[@]}"
    rc=$?
    # With extra pytest arguments (-k ...), a short engine pass may select nothing: not a failure.
    if [ "$rc" -eq 5 ] && [ "$n" -gt 2 ] && [ "${#extra[@]}" -gt 0 ]; then
        log "pass $n/$npasses (PostgreSQL + $engine): no test selected by the extra arguments"
        summary+=("$engine: nothing selected")
        return 0
    fi
    log "pass $n/$npasses (PostgreSQL + $engine): $(describe "$rc") in $(since "$t")"
    summary+=("PostgreSQL + $engine: $(describe "$rc")")
    [ "$rc" -eq 0 ] || failed=1
}

if [ -z "$pg_url" ]; then
    log "passes 2-$npasses (PostgreSQL) skipped: $pg_reason (set REQUIRE_SERVICES=1 to make this an error)"
    summary+=("PostgreSQL passes: skipped")
else
    # Pass 2: the whole suite but the browser tests (and the cluster test, which ran in pass 1
    # with its own nodes), on Elasticsearch 8.19.3, production's engine.
    if [ -n "${OCOP_ELASTICSEARCH_URL:-}" ]; then
        es_url=$OCOP_ELASTICSEARCH_URL
        es_kind=${OCOP_SEARCH_ENGINE:-opensearch}
        log "search engine: using OCOP_ELASTICSEARCH_URL from the environment ($es_kind)"
        engine=$es_kind
    else
        wait_engine "$MAIN_ENGINE" || exit 1
        engine=$MAIN_ENGINE
        if [ -z "$es_url" ]; then
            log "$MAIN_ENGINE not available ($es_reason): tests marked elasticsearch will skip"
            engine="no engine ($MAIN_ENGINE not available)"
        fi
    fi
    # The next engines start while pass 2 runs.
    for e in "${ENGINE_PASSES[@]}"; do start_engine_bg "$e"; done
    engine_pass 2 "$engine" "not browser and not cluster"
    stop_engine "$MAIN_ENGINE"

    # Passes 3..: only the engine tests, on each other engine.
    n=2
    for e in "${ENGINE_PASSES[@]}"; do
        n=$((n + 1))
        wait_engine "$e" || exit 1
        if [ -z "$es_url" ]; then
            log "pass $n/$npasses (PostgreSQL + $e) skipped: $es_reason (set REQUIRE_SERVICES=1 to make this an error)"
            summary+=("$e: skipped")
            continue
        fi
        engine_pass "$n" "$e" "elasticsearch and not cluster"
        stop_engine "$e"
    done
fi

stop_engines
stop_pg
if [ "$failed" -ne 0 ]; then
    log "FAILED: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"
    exit 1
fi
log "all passes ok: $(IFS=';'; echo "${summary[*]}" | sed 's/;/; /g')"
exit 0
