"""Load test: the site under gunicorn (storefront/deploy/gunicorn.conf.py, two workers) with wrk.

    python bench/load.py --db sqlite      # the embedded default: SQLite (WAL), DEBUG off
    python bench/load.py --db postgres    # the production settings on a throwaway PostgreSQL

Each run builds a fresh database with the demo data, starts gunicorn on loopback and sends
wrk's load (8 connections, 2 threads, 30 s by default) to the home page, the product list, a
product page, a search and add-to-basket (a POST with a CSRF token), one after the other.
It prints one Markdown row per page: requests/s, latency p50 and p99, the status counts (a
Lua script counts every response) and wrk's socket errors. Loopback only; the loops end
with wrk's duration. Needs Debian's `wrk` (apt-get install wrk) and, for --db postgres,
Debian's `postgresql` (started by tests/services/postgres.sh on a port of its own).
"""

import argparse
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "ocop.example.vn"
PG_PORT = "54359"
# postgres.sh runs the server as the postgres user, who must reach the cluster's folder.
PG_DIR = f"/tmp/ocop-load-pg-{os.getuid()}"
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "storefront.settings.production",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz-0123456789",
    "DJANGO_ALLOWED_HOSTS": HOST,
    "OCOP_BASE_URL": f"https://{HOST}",
    "OCOP_VIETQR_BANK_BIN": "970436",
    "OCOP_VIETQR_ACCOUNT": "0011001234567",
    "OCOP_VIETQR_ACCOUNT_NAME": "HTX OCOP",
    "OCOP_LOG_FORMAT": "plain",
    "OCOP_GUNICORN_LOG_LEVEL": "warning",
}

# Counts every response's status per thread and prints them as JSON when wrk is done.
STATUS_LUA = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) counts = {} end
function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    local c = t:get("counts")
    for k, v in pairs(c) do total[k] = (total[k] or 0) + v end
  end
  local parts = {}
  for k, v in pairs(total) do table.insert(parts, string.format('"%d": %d', k, v)) end
  io.write("STATUS " .. "{" .. table.concat(parts, ", ") .. "}\\n")
end
"""
POST_LUA = """
wrk.method = "POST"
wrk.body = "quantity=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "csrftoken={token}"
wrk.headers["X-CSRFToken"] = "{token}"
wrk.headers["Referer"] = "https://{host}/"
"""


def run(args, env, **kwargs):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, args))} failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result


def manage(env, *args):
    return run([sys.executable, "manage.py", *args], env)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port, host, method, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(method, path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def sqlite_site(scratch):
    """The embedded default: a SQLite file with the demo data, DEBUG off."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.services.demo_settings", "OCOP_DEMO_DIR": str(scratch)}
    env["PYTHONPATH"] = str(ROOT)
    manage(env, "migrate", "--noinput")
    manage(env, "load_demo_data", "--quiet-accounts")
    # The demo settings accept 127.0.0.1 and localhost; send that Host instead of the site's.
    return env, "127.0.0.1"


def postgres_site(scratch):
    """The production settings on a throwaway PostgreSQL cluster, set up as README says."""
    pg_env = {**os.environ, "OCOP_PG_PORT": PG_PORT, "OCOP_PG_DIR": PG_DIR}
    run(["bash", "tests/services/postgres.sh", "start"], pg_env)
    url = run(["bash", "tests/services/postgres.sh", "env"], pg_env).stdout.strip().split("=", 1)[1]
    env = {
        **os.environ,
        **PRODUCTION_ENV,
        "OCOP_DATABASE_URL": url,
        "OCOP_MEDIA_ROOT": str(scratch / "media"),
        "OCOP_PRIVATE_ROOT": str(scratch / "private"),
        "OCOP_STATIC_ROOT": str(scratch / "static"),
        "PYTHONPATH": str(ROOT),
    }
    for step in (("createcachetable",), ("migrate", "--noinput"), ("setup_roles",), ("collectstatic", "--noinput")):
        manage(env, *step)
    # The production settings refuse demo data: it is loaded under the test settings.
    manage({**env, "DJANGO_SETTINGS_MODULE": "tests.services.prod_data_settings"}, "load_demo_data", "--quiet-accounts")
    return env, HOST


def stop_postgres(scratch):
    pg_env = {**os.environ, "OCOP_PG_PORT": PG_PORT, "OCOP_PG_DIR": PG_DIR}
    subprocess.run(["bash", "tests/services/postgres.sh", "stop"], cwd=ROOT, env=pg_env, capture_output=True)


def start_gunicorn(env, host, port, log):
    env = {**env, "OCOP_BIND": f"127.0.0.1:{port}", "OCOP_WORKERS": "2"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "storefront/deploy/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if request(port, host, "GET", "/")[0] == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.5)
    proc.terminate()
    sys.exit("gunicorn did not answer; see its log")


def wrk(url, host, seconds, connections, script):
    result = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "--timeout",
            "10s",
            "-s",
            script,
            "-H",
            f"Host: {host}",
            "-H",
            "X-Forwarded-Proto: https",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": latency.get("50"),
        "p99": latency.get("99"),
        "statuses": json.loads(re.search(r"^STATUS (.*)$", out, re.M).group(1)),
        "errors": errors.group(1) if errors else "none",
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("needs wrk: apt-get install wrk")
    scratch = Path(tempfile.mkdtemp(prefix="ocop-load-"))
    print(f"setting up {args.db} in {scratch} …", flush=True)
    try:
        env, host = sqlite_site(scratch) if args.db == "sqlite" else postgres_site(scratch)
        port = free_port()
        with open(scratch / "gunicorn.log", "w") as log:
            server = start_gunicorn(env, host, port, log)
            try:
                product = manage(
                    env,
                    "shell",
                    "-c",
                    "from cms.models import ProductPage; from storefront.partner import sync\n"
                    "p = ProductPage.objects.live().certified().order_by('pk').first()\n"
                    "print(p.url, sync.product_for(p).pk)",
                ).stdout.split()
                product_path, product_pk = product[-2], product[-1]
                status, headers, _ = request(port, host, "GET", product_path)
                token = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
                stat = scratch / "status.lua"
                stat.write_text(STATUS_LUA)
                post = scratch / "post.lua"
                post.write_text(POST_LUA.format(token=token, host=host) + STATUS_LUA)
                pages = [
                    ("home", "/", stat),
                    ("product list", "/san-pham/", stat),
                    ("product page", product_path, stat),
                    ("search", "/search/?q=ca+phe", stat),
                    ("add to basket (POST)", f"/shop/basket/add/{product_pk}/", post),
                ]
                print(f"\n{args.db}, gunicorn 2 workers, wrk {args.connections} connections × {args.seconds} s\n")
                print("| page | req/s | p50 | p99 | statuses | socket errors |")
                print("|---|---:|---:|---:|---|---|")
                for name, path, script in pages:
                    r = wrk(f"http://127.0.0.1:{port}{path}", host, args.seconds, args.connections, str(script))
                    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
                    print(
                        f"| {name} | {r['rps']:.1f} | {r['p50']} | {r['p99']} | {statuses} | {r['errors']} |",
                        flush=True,
                    )
            finally:
                server.terminate()
                server.wait(timeout=40)
        errors_5xx = sum(1 for line in (scratch / "gunicorn.log").read_text().splitlines() if '" 5' in line)
        print(f"\ngunicorn's log: {errors_5xx} lines with a 5xx status")
    finally:
        if args.db == "postgres":
            stop_postgres(scratch)


if __name__ == "__main__":
    main()
