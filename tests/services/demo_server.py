"""Serve the site with the demo data on loopback, for the browser tests and bench/page_budget.py.

    python tests/services/demo_server.py --dir DIR [--port N]    (0, the default: any free port)

DIR holds the server's own SQLite database (DIR/db.sqlite3) and media (DIR/media); see
tests/services/demo_settings.py. A missing database is migrated; an existing one (the
browser tests hand over a copy of their already migrated test database) is migrated only
as far as needed. The demo data is loaded when the site has no home page yet. Then the
server prints `demo server listening on 127.0.0.1:<port>` once its socket is bound, so a
caller can ask for port 0 and read the port it got, and serves until it is terminated.

The server is Django's threaded WSGI server (the one behind runserver and the test live
server), with DEBUG off; static files are served from the finders and media from DIR/media,
as Django's LiveServerTestCase does. Requests are logged to stderr.
"""

import argparse
import os
import selectors
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
READY = "demo server listening on "


def start(directory, log, *, env=None, timeout=900):
    """Run this script in a child process; return (process, base URL) once the home page answers.

    `log` is an open file for the server's stderr (migrations, demo data, requests).
    The timeout covers a migration from scratch on a busy machine.
    """
    proc = subprocess.Popen(
        [sys.executable, __file__, "--dir", str(directory)],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + timeout
        with selectors.DefaultSelector() as sel:
            sel.register(proc.stdout, selectors.EVENT_READ)
            if not sel.select(timeout):
                raise TimeoutError(f"no '{READY.strip()}' line in {timeout} s")
        line = proc.stdout.readline()
        if not line.startswith(READY):
            raise RuntimeError(f"exit code {proc.poll()}, said {line!r} (see {log.name})")
        url = "http://" + line[len(READY) :].strip()
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=30):
                    return proc, url
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    except BaseException:
        stop(proc)
        raise


def stop(proc, timeout=10):
    """Terminate a server process; kill it if it has not ended after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def prepare():
    """Migrate, put back migration-made rows a test flush may have removed, load the demo data."""
    from django.core.management import call_command

    from cms.models import HomePage
    from tests.factories import restore_migration_rows

    started = time.monotonic()

    def say(what):
        print(f"demo server: {what} at {time.monotonic() - started:.1f}s", file=sys.stderr, flush=True)

    call_command("migrate", "--noinput", verbosity=1, stdout=sys.stderr)
    say("migrated")
    restore_migration_rows()
    if not HomePage.objects.exists():
        call_command("load_demo_data", "--quiet-accounts", stdout=sys.stderr)
    say("database ready")


def application():
    from django.conf import settings
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application
    from django.test.testcases import FSFilesHandler

    class MediaFilesHandler(FSFilesHandler):
        def get_base_dir(self):
            return settings.MEDIA_ROOT

        def get_base_url(self):
            return settings.MEDIA_URL

    return StaticFilesHandler(MediaFilesHandler(get_wsgi_application()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, type=Path)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()

    args.dir.mkdir(parents=True, exist_ok=True)
    os.environ["OCOP_DEMO_DIR"] = str(args.dir.resolve())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.services.demo_settings"
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)

    import django

    django.setup()
    prepare()

    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.db import connections

    connections.close_all()  # each request thread opens its own
    server = ThreadedWSGIServer(("127.0.0.1", args.port), WSGIRequestHandler, allow_reuse_address=False)
    server.set_app(application())
    print(f"{READY}127.0.0.1:{server.server_address[1]}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
