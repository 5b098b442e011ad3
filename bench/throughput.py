"""Throughput of our public pages under gunicorn with two workers, measured with wrk (speed issue, item 4).

Run from the repository root (needs Debian's `wrk`):

    .venv/bin/python bench/throughput.py [--scratch DIR] [--duration 15] [--warmup 3]
        [--connections 8] [--threads 2] [--workers 2] [--cache db://ocop_cache]
        [--max-requests N] [--variant 'LABEL:NAME=VALUE …' …] [--append bench/RESULTS.md]

The embedded default is what `make run` serves: SQLite, the database search backend, local media.
The production settings refuse SQLite, so gunicorn runs bench/throughput_settings.py: the
production settings (DEBUG off, WhiteNoise, the shared cache, HTTPS through X-Forwarded-Proto,
persistent connections) with the database swapped for the demo server's SQLite file. The cache
is production's default, a database table (db://ocop_cache, here in the SQLite file): the one
cache that every worker shares; --cache takes any OCOP_CACHE_URL (file:///DIR, redis://…).

Steps, in the scratch folder (default /tmp/ocop-throughput, kept and reused):
1. the demo database, migrated and loaded as tests/services/demo_server.py does (its `prepare`,
   through bench/page_worker.py as bench/vs_bakerydemo.py runs it; ~2-3 min the first time);
2. under the benchmark's settings: `createcachetable`, `migrate` (the site's address, as on a
   deploy) and `collectstatic` (WhiteNoise's hashed files);
3. gunicorn with storefront/deploy/gunicorn.conf.py (sync workers, preload, access log, a worker
   replaced after 2000 requests plus jitter; --max-requests N sets OCOP_MAX_REQUESTS, 0 never),
   --workers workers on a free loopback port, until /healthz answers 200 (a new one per page);
4. for each page (home, product list, the first product page, `/search/?q=ca+phe`, and the
   site's stylesheet served by WhiteNoise: the static-file floor): --warmup seconds of wrk
   untimed, then `wrk -t<threads> -c<connections> -d<duration>s --latency` with
   `Host: ocop.example.vn` and `X-Forwarded-Proto: https` (as the front server sends them).
   A Lua script run by wrk (its `response` and `done` hooks) counts every response's status and
   X-Page-Cache header (the page cache's hit or miss) and writes wrk's summary and latency
   percentiles as JSON. The page cache is on or off as the settings say; to compare, e.g.
   --variant 'page cache on:' --variant 'page cache off:OCOP_PAGE_CACHE_SECONDS=0'.

Each page gets a gunicorn of its own, stopped after it: the CPU time of its master and workers
(what this process's RUSAGE_CHILDREN gains, less wrk's and less a start and stop with no load)
divided by the requests answered is the server's CPU per request, a figure that the other work
on a shared machine moves far less than requests/s. With --variant (repeatable), each variant's
server has those environment variables added (e.g. --variant 'db cache:' --variant
'file cache:OCOP_CACHE_URL=file:///tmp/c'), and the variants take turns page by page (the first
page in the given order, the next one reversed), so whatever else the machine does falls on all.

It prints one Markdown row per page (and variant): requests/s, latency p50/p90/p99/max,
requests, responses that were not 2xx, socket errors, the server's CPU per request, the CPU that
wrk itself used (the client shares the machine's cores with the server), and the SQL queries of
one request to the page under the same settings (Django's test client, in a child process), with
those on the database cache's table: all, and the writes. --append FILE adds the table to FILE
with the command, the commit, the versions and the load average, unless some response was not
2xx or a socket failed (the run then exits with status 1).
"""

import argparse
import contextlib
import datetime
import json
import math
import os
import platform
import resource
import shlex
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

from load import HOST, PRODUCTION_ENV, free_port, manage
from tqdm import tqdm
from vs_bakerydemo import Worker, our_site

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from tests.services import demo_server  # noqa: E402 (the repository's root is on the path from here)

# (name, path): a path, or "model:app_label.Model" for that model's first live page (the page
# bench/vs_bakerydemo.py times in-process); "static:NAME" is NAME's hashed URL (collectstatic).
PAGES = [
    ("home", "/"),
    ("product list", "/san-pham/"),
    ("product page", "model:cms.ProductPage"),
    ("search", "/search/?q=ca+phe"),
    ("static file (floor)", "static:ocop/site.css"),
]

# wrk's own hooks: every thread counts the statuses it receives and the X-Page-Cache headers
# (hit or miss, from the page cache); `done` (in wrk's main state, after the threads stopped)
# adds them up and writes the summary as JSON to $WRK_JSON_OUT. Latencies are in microseconds.
WRK_LUA = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
  page_cache = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  local state = headers["X-Page-Cache"] or headers["x-page-cache"]
  if state then
    page_cache[state] = (page_cache[state] or 0) + 1
  end
end

local function add_up(name, format)
  local total = {}
  for _, thread in ipairs(threads) do
    for key, n in pairs(thread:get(name)) do
      total[key] = (total[key] or 0) + n
    end
  end
  local parts = {}
  for key, n in pairs(total) do
    table.insert(parts, string.format(format, key, n))
  end
  return "{" .. table.concat(parts, ", ") .. "}"
end

function done(summary, latency, requests)
  local e = summary.errors
  local out = io.open(os.getenv("WRK_JSON_OUT"), "w")
  out:write(string.format(
    '{"duration_us": %d, "requests": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d}, ' ..
    '"statuses": %s, "page_cache": %s}',
    summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    add_up("statuses", '"%d": %d'), add_up("page_cache", '"%s": %d')))
  out:close()
end
"""

# production.py accepts only a PostgreSQL URL; throughput_settings.py replaces the database.
PLACEHOLDER_DATABASE_URL = "postgres://unused@127.0.0.1:1/unused"


def say(what):
    tqdm.write(what, file=sys.stderr)


def prepare_demo(scratch, log):
    """The demo database (tests/services/demo_server.py's `prepare`); answer (dir, product path, versions)."""
    python, env = our_site(scratch)
    say(f"preparing the demo database in {env['OCOP_DEMO_DIR']} (the first time: migrate and load the demo data)")
    worker = Worker("ours", python, env, REPO, prepare="tests.services.demo_server.prepare", log=log)
    try:
        paths = {spec: worker.path(spec) for _, spec in PAGES if spec.startswith("model:")}
        info = worker.ask("info")
    finally:
        worker.close()
    return Path(env["OCOP_DEMO_DIR"]), paths, info


def bench_env(scratch, demo_dir, cache_url):
    return {
        **os.environ,
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "bench.throughput_settings",
        "OCOP_DATABASE_URL": PLACEHOLDER_DATABASE_URL,
        "OCOP_BENCH_SQLITE": str(demo_dir / "db.sqlite3"),
        "OCOP_MEDIA_ROOT": str(demo_dir / "media"),
        "OCOP_STATIC_ROOT": str(scratch / "static"),
        "OCOP_CACHE_URL": cache_url,
        "PYTHONPATH": str(REPO),
    }


def prepare_production(env, cache_urls):
    for url in dict.fromkeys(cache_urls):
        if url.startswith("db://"):
            say(f"manage.py createcachetable ({url})")
            manage({**env, "OCOP_CACHE_URL": url}, "createcachetable")
    say("manage.py migrate (the site's address) and collectstatic")
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput")
    manifest = json.loads((Path(env["OCOP_STATIC_ROOT"]) / "staticfiles.json").read_text())
    return manifest["paths"]


def get(port, path):
    headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def start_gunicorn(env, args, log):
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "-c", "storefront/deploy/gunicorn.conf.py"]
    env = {**env, "OCOP_BIND": f"127.0.0.1:{port}", "OCOP_WORKERS": str(args.workers)}
    if args.max_requests is not None:
        env["OCOP_MAX_REQUESTS"] = str(args.max_requests)
    proc = subprocess.Popen(
        command,
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            if get(port, "/healthz") == 200:
                return proc, port
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc)
            raise SystemExit(f"gunicorn did not answer /healthz with 200 (see {log.name})")
        time.sleep(0.5)


def stop(proc):
    demo_server.stop(proc, timeout=40)  # gunicorn's workers finish their requests first


def wrk(url, seconds, args, script, out):
    """One wrk run; answers its JSON summary plus wrk's CPU time (s) and wall time (s)."""
    out.unlink(missing_ok=True)
    command = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        str(script),
        "-H",
        f"Host: {HOST}",
        "-H",
        "X-Forwarded-Proto: https",
        url,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "WRK_JSON_OUT": str(out)})
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result = json.loads(out.read_text())
    result["wrk_cpu_s"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["wall_s"] = wall
    result["command"] = " ".join(command)
    return result


COUNT_QUERIES = "--count-queries"  # internal: count_queries() runs this script so, in a child


def count_queries(env, paths):
    """SQL statements of one request to each path under the benchmark's settings, in a child process.

    Django's test client (no socket), with the Host and X-Forwarded-Proto that wrk sends and no
    cookies; the third request of each path is counted, once the caches are filled. Answers
    {path: {"all": n, "cache": statements on the database cache's table, "cache_writes": …}}.
    """
    said = subprocess.run(
        [sys.executable, __file__, COUNT_QUERIES, json.dumps(paths)],
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if said.returncode:
        raise SystemExit(f"counting the queries failed:\n{said.stderr[-3000:]}")
    return json.loads(said.stdout.splitlines()[-1])


def _count_queries(paths):
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    cache = settings.CACHES["default"]
    table = cache["LOCATION"] if cache["BACKEND"].endswith(".DatabaseCache") else None
    client = Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    counts = {}
    for path in paths:
        for _ in range(3):
            client.cookies.clear()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            if response.status_code != 200:
                raise SystemExit(f"GET {path}: {response.status_code}")
        statements = [query["sql"] for query in captured.captured_queries]
        on_cache = [sql for sql in statements if table and f'"{table}"' in sql]
        writes = [sql for sql in on_cache if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
        counts[path] = {"all": len(statements), "cache": len(on_cache), "cache_writes": len(writes)}
    print(json.dumps(counts))


def wrk_version():
    # `wrk --version` prints "wrk debian/4.1.0-3+b2 [epoll] Copyright …" (and its usage).
    said = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return (said.stdout + said.stderr).split()[1]


def non_2xx(result):
    return sum(n for status, n in result["statuses"].items() if not 200 <= int(status) < 300)


def socket_errors(result):
    errors = {k: v for k, v in result["errors"].items() if k != "status" and v}
    return ", ".join(f"{k} {v}" for k, v in errors.items()) or "none"


def page_cache_hits(result):
    """'hits / requests' from the X-Page-Cache headers; '—' when no response had one."""
    if not result["page_cache"]:
        return "—"
    return f"{result['page_cache'].get('hit', 0)} / {sum(result['page_cache'].values())}"


def ms(microseconds):
    return f"{microseconds / 1000:.1f}"


def table(rows, variants):
    head = ["variant"] if len(variants) > 1 else []
    head += ["page", "path", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "requests", "non-2xx"]
    head += [
        "socket errors",
        "SQL queries (on the cache table: all, writes)",
        "server CPU ms a request",
        "wrk CPU (% of one core)",
        "load avg (1 min, after)",
    ]
    align = ["---" if h in ("variant", "page", "path", "socket errors") else "---:" for h in head]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(align) + "|"]
    for row in rows:
        r = row["result"]
        lat = r["latency_us"]
        cells = [row["variant"]] if len(variants) > 1 else []
        cells += [
            row["page"],
            f"`{row['path']}`",
            f"{r['requests'] / (r['duration_us'] / 1e6):.1f}",
            ms(lat["p50"]),
            ms(lat["p90"]),
            ms(lat["p99"]),
            ms(lat["max"]),
            str(r["requests"]),
            str(non_2xx(r)),
            socket_errors(r),
            page_cache_hits(r),
            "{all} ({cache}, {cache_writes})".format(**row["queries"]),
            "—" if math.isnan(r["server_cpu_ms"]) else f"{r['server_cpu_ms']:.1f}",
            f"{100 * r['wrk_cpu_s'] / r['wall_s']:.0f} %",
            f"{row['load']:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def variant(text):
    """'LABEL:NAME=VALUE NAME=VALUE…' (environment for that variant's gunicorn) → (label, dict)."""
    label, _, assignments = text.partition(":")
    pairs = [item.partition("=") for item in shlex.split(assignments)]
    if not label.strip() or any(not name or not sep for name, sep, _ in pairs):
        raise argparse.ArgumentTypeError(f"not LABEL:NAME=VALUE …: {text!r}")
    return label.strip(), {name: value for name, _, value in pairs}


def children_cpu():
    """CPU seconds (user + system) of this process's children that have ended and been waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(variants, env, pages, args, script, out, logs):
    """Every page on every variant's server, the variants taking turns page by page (their order too).

    Each (page, variant) gets a server of its own, stopped after its run: once gunicorn's master
    has waited for its workers (those max_requests replaced too) and this process for the
    master, their CPU time is in RUSAGE_CHILDREN. Less wrk's own and a start and stop with no
    load (measured first), that is the server's CPU for the run's requests.
    """
    start_stop = {}
    for label, extra in variants:
        before = children_cpu()
        server, _ = start_gunicorn({**env, **extra}, args, logs[label])
        stop(server)
        start_stop[label] = children_cpu() - before
        say(f"{label}: gunicorn's start and stop took {start_stop[label]:.2f} s of CPU")
    rows = []
    total = len(pages) * len(variants) * (args.warmup + args.duration)
    with tqdm(total=total, unit="s", file=sys.stderr) as bar:
        for number, (name, path) in enumerate(pages):
            for label, extra in variants[:: 1 if number % 2 == 0 else -1]:
                prefix = f"{label}, {name}" if len(variants) > 1 else name
                bar.set_description(f"{prefix}: starting gunicorn")
                before = children_cpu()
                server, port = start_gunicorn({**env, **extra}, args, logs[label])
                try:
                    url = f"http://127.0.0.1:{port}{path}"
                    runs = []
                    if args.warmup:
                        bar.set_description(f"{prefix}: warm-up")
                        runs.append(wrk(url, args.warmup, args, script, out))
                        if non_2xx(runs[-1]):
                            raise SystemExit(f"{label}: {path}: statuses {runs[-1]['statuses']} while warming up")
                        bar.update(args.warmup)
                    bar.set_description(f"{prefix}: timed")
                    runs.append(wrk(url, args.duration, args, script, out))
                    bar.update(args.duration)
                finally:
                    stop(server)
                server_cpu = children_cpu() - before - start_stop[label] - sum(r["wrk_cpu_s"] for r in runs)
                result = runs[-1]
                answered = sum(r["requests"] for r in runs)
                result["server_cpu_ms"] = 1000 * server_cpu / answered if answered else math.nan
                row = {"variant": label, "page": name, "path": path, "result": result, "load": os.getloadavg()[0]}
                rows.append(row)
                say(
                    f"{prefix}: {result['requests'] / (result['duration_us'] / 1e6):.1f} req/s, "
                    f"p50 {ms(result['latency_us']['p50'])} ms, server CPU {result['server_cpu_ms']:.1f} ms "
                    f"a request, statuses {result['statuses']}"
                )
    order = {label: i for i, (label, _) in enumerate(variants)}
    return sorted(rows, key=lambda row: order[row["variant"]])


def main():
    if len(sys.argv) == 3 and sys.argv[1] == COUNT_QUERIES:
        return _count_queries(json.loads(sys.argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scratch", type=Path, default=Path("/tmp/ocop-throughput"))
    parser.add_argument("--duration", type=int, default=15, help="seconds of timed load per page")
    parser.add_argument("--warmup", type=int, default=3, help="seconds of untimed load per page before")
    parser.add_argument("--connections", type=int, default=8, help="wrk's open connections (-c)")
    parser.add_argument("--threads", type=int, default=2, help="wrk's threads (-t)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's workers")
    parser.add_argument("--cache", default="db://ocop_cache", help="OCOP_CACHE_URL (production's default)")
    parser.add_argument(
        "--max-requests",
        type=int,
        help="OCOP_MAX_REQUESTS: a worker is replaced after this many (0: never; default: the config's 2000)",
    )
    parser.add_argument(
        "--variant",
        type=variant,
        action="append",
        metavar="'LABEL:NAME=VALUE …'",
        help="a server with these environment variables besides the others (repeatable): all the "
        "variants' servers run at once and take turns page by page",
    )
    parser.add_argument("--append", type=Path, help="append the table to this file (bench/RESULTS.md)")
    args = parser.parse_args()
    if args.duration < 1 or args.warmup < 0 or args.connections < args.threads or args.threads < 1:
        parser.error("--duration ≥ 1, --warmup ≥ 0, --threads ≥ 1 and --connections ≥ --threads")
    variants = args.variant or [("as configured", {})]
    if len({label for label, _ in variants}) < len(variants):
        parser.error("two variants with the same label")
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk: apt-get install wrk")

    scratch = args.scratch.resolve()
    scratch.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()
    started = time.monotonic()
    with open(scratch / "prepare.log", "a") as log:
        demo_dir, model_paths, info = prepare_demo(scratch, log)
        env = bench_env(scratch, demo_dir, args.cache)
        static_paths = prepare_production(env, [extra.get("OCOP_CACHE_URL", args.cache) for _, extra in variants])
    pages = []
    for name, spec in PAGES:
        if spec.startswith("model:"):
            path = model_paths[spec]
        elif spec.startswith("static:"):
            path = "/static/" + static_paths[spec[len("static:") :]]
        else:
            path = spec
        pages.append((name, path))
    script = scratch / "wrk-summary.lua"
    script.write_text(WRK_LUA)
    out = scratch / "wrk-summary.json"

    with contextlib.ExitStack() as stack:
        logs = {}
        for number, (label, _) in enumerate(variants):
            logs[label] = stack.enter_context(open(scratch / f"gunicorn-{number}.log", "w"))
            say(f"{label}: gunicorn with {args.workers} workers, log {logs[label].name}")
        say("counting the SQL queries of each page")
        queries = {label: count_queries({**env, **extra}, [path for _, path in pages]) for label, extra in variants}
        rows = measure(variants, env, pages, args, script, out, logs)
    for row in rows:
        row["queries"] = queries[row["variant"]][row["path"]]

    text = table(rows, variants)
    print(text)
    say(f"done in {time.monotonic() - started:.0f} s")
    failed = [row["page"] for row in rows if non_2xx(row["result"]) or socket_errors(row["result"]) != "none"]
    if failed:
        say(f"not 2xx or socket errors on: {', '.join(failed)}; see the gunicorn logs in {scratch}")
        if args.append:
            say(f"not appended to {args.append}")
        raise SystemExit(1)
    if args.append:
        commit = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
        import gunicorn

        versions = (
            f"Django {info['django']}, Wagtail {info['wagtail']}, django-oscar {info['oscar']}, "
            f"gunicorn {gunicorn.__version__}, Python {info['python']}, wrk {wrk_version()}"
        )
        described = "; ".join(
            f"{label}: " + (" ".join(f"{k}={v}" for k, v in extra.items()) or "nothing changed")
            for label, extra in variants
        )
        load_after = os.getloadavg()
        about = textwrap.fill(
            f"Commit {commit or '(unknown)'}. Machine: {platform.machine()}, {os.cpu_count()} cores, shared "
            f"with other work; wrk runs on the same cores as the server. Load average (1, 5, 15 min) "
            f"before the run {', '.join(f'{x:.2f}' for x in load_before)}, after it "
            f"{', '.join(f'{x:.2f}' for x in load_after)}. {versions}. "
            f"gunicorn with storefront/deploy/gunicorn.conf.py, {args.workers} sync workers"
            + (f" (OCOP_MAX_REQUESTS={args.max_requests})" if args.max_requests is not None else "")
            + ", on loopback; "
            f"the production settings with the demo data's SQLite file (bench/throughput_settings.py), "
            f"cache {args.cache}, the database search backend. "
            + (f"Variants ({described}), taking turns page by page. " if len(variants) > 1 else "")
            + "A new server for each page; its CPU per request: master and workers' CPU time, less a "
            "start and stop with no load, over the requests answered (warm-up included). " + f"wrk -t{args.threads} "
            f"-c{args.connections}, {args.warmup} s untimed then {args.duration} s timed per page, "
            f"Host: {HOST} and X-Forwarded-Proto: https, no cookies; latency from wrk's own "
            f"histogram (from sending the request to the response's last byte), statuses counted by "
            f"its Lua hooks.",
            width=96,
            break_on_hyphens=False,
        )
        command = "`.venv/bin/python bench/throughput.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]) + "`"
        today = datetime.date.today().isoformat()
        with open(args.append, "a") as results:
            results.write(
                f"\n### Throughput under gunicorn with wrk ({today})\n\nCommand: {command}\n{about}\n\n{text}\n"
            )
        say(f"appended to {args.append}")


if __name__ == "__main__":
    main()
