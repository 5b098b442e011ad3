# Sourced by postgres.sh and elasticsearch.sh, after they define cmd_start, cmd_stop,
# cmd_env and cmd_status: the subcommand dispatch, with start/stop/status serialised by a
# lock file beside the service's directory (commands that start a server close fd 9 so the
# server does not inherit the lock).

service_usage() { echo "usage: $0 start|stop|env|status" >&2; exit 2; }

# service_main SERVICE_DIR "$@"
service_main() {
    local dir=$1
    shift
    [ $# -eq 1 ] || service_usage
    case "$1" in
        start|stop|env|status)
            if [ "$1" != env ] && command -v flock >/dev/null 2>&1; then
                mkdir -p "$(dirname -- "$dir")"
                exec 9>"${dir%/}.lock"
                flock 9
            fi
            "cmd_$1"
            ;;
        *) service_usage ;;
    esac
}
