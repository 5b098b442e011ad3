"""The production path, run as README's "Production" section says, on PostgreSQL.

A fresh database on the test run's PostgreSQL server is set up with the production settings
(createcachetable, migrate, setup_roles, collectstatic into a temporary folder), the demo
data is loaded into it under the test settings (the production settings refuse it), and
gunicorn serves it with storefront/deploy/gunicorn.conf.py: two workers on a free loopback
port, requests sent as the front server would (Host and X-Forwarded-Proto: https). Then the
backup of storefront/deploy/backup.sh is restored with restore.sh into another database and
served again.

Marked postgres: runs in the PostgreSQL pass only (one migration from scratch, two gunicorn
starts, about a minute and a half).
"""

import glob
import gzip
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from html import unescape
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
import pytest
from django.db import connection

from tests.conftest import missing_service
from tests.integration.test_project import ROOT, SAMPLE_ENV

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

HOST = "ocop.example.vn"  # SAMPLE_ENV's DJANGO_ALLOWED_HOSTS and OCOP_BASE_URL
DEPLOY = ROOT / "storefront" / "deploy"


def pg_tool(name):
    """Debian's newest server binaries (like tests/services/postgres.sh), else PATH's."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    return found[-1] if found else name


def database_url(name):
    parts = urlsplit(os.environ["OCOP_DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + name))


def admin_sql(sql):
    with psycopg.connect(os.environ["OCOP_DATABASE_URL"], autocommit=True) as conn:
        conn.execute(sql)


def base_env():
    return {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "OCOP_"))}


def run(args, env, timeout=600):
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result


def manage(*args, env):
    return run([sys.executable, "manage.py", *args], env=env)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port, path, headers=None):
    """GET as nginx forwards it (HTTPS, the site's host); returns (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": HOST, "X-Forwarded-Proto": "https", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


class Gunicorn:
    """gunicorn -c storefront/deploy/gunicorn.conf.py in a child process, stopped by stop()."""

    def __init__(self, env, log_path, workers=2):
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        env = {**env, "OCOP_BIND": f"127.0.0.1:{self.port}", "OCOP_WORKERS": str(workers)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(DEPLOY / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 90
        while True:
            try:
                if get(self.port, "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"gunicorn did not start:\n{Path(log_path).read_text()[-3000:]}")
            time.sleep(0.3)

    def text(self):
        self.log.flush()
        return Path(self.log_path).read_text()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=35)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    """A database set up as README's "Production" says, with the demo data; yields its env."""
    if connection.vendor != "postgresql":
        missing_service("needs PostgreSQL: set OCOP_DATABASE_URL (the test command does)")
    tmp = tmp_path_factory.mktemp("production")
    name = f"ocop_prod_{uuid.uuid4().hex[:8]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    env = {
        **base_env(),
        **SAMPLE_ENV,
        "DJANGO_SETTINGS_MODULE": "storefront.settings.production",
        "OCOP_DATABASE_URL": database_url(name),
        "OCOP_MEDIA_ROOT": str(tmp / "media"),
        "OCOP_PRIVATE_ROOT": str(tmp / "private"),
        "OCOP_STATIC_ROOT": str(tmp / "static"),
        "OCOP_LOG_FORMAT": "json",
    }
    try:
        # The cache table first: migrate already uses the cache (Wagtail clears its site cache).
        for step in (("createcachetable",), ("migrate", "--noinput"), ("setup_roles",), ("collectstatic", "--noinput")):
            manage(*step, env=env)
        # The production settings refuse demo data: it is loaded under the test settings.
        manage(
            "load_demo_data",
            "--quiet-accounts",
            env={**env, "DJANGO_SETTINGS_MODULE": "tests.services.prod_data_settings"},
        )
        # A private file (a dossier, say) to show that the backup carries them.
        (tmp / "private" / "dossiers").mkdir(parents=True)
        (tmp / "private" / "dossiers" / "ho-so.txt").write_text("hồ sơ")
        yield {"env": env, "tmp": tmp, "name": name}
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def product_url(env):
    script = "from cms.models import ProductPage; print(ProductPage.objects.live().order_by('pk').first().url)"
    return manage("shell", "-c", script, env=env).stdout.strip().splitlines()[-1]


def test_production_settings_serve_the_site_under_gunicorn(production_site, tmp_path):
    env = production_site["env"]
    product = product_url(env)
    assert product.startswith("/") and product.count("/") >= 3, product
    server = Gunicorn(env, tmp_path / "gunicorn.log")
    try:
        pages = {
            "home": "/",
            "product": product,
            "search": "/search/?q=" + quote("mật ong"),
            "basket": "/shop/basket/",
            "admin login": "/admin/login/",
        }
        for label, path in pages.items():
            status, headers, body = get(server.port, path)
            assert status == 200, f"{label} {path}: {status} {body[:500]!r}"
            assert headers["Strict-Transport-Security"].startswith("max-age=31536000"), label
            assert headers["X-Content-Type-Options"] == "nosniff", label
            assert headers["Referrer-Policy"] == "same-origin", label
            assert headers["X-Frame-Options"] == "SAMEORIGIN", label
            csp_header = "Content-Security-Policy" + ("-Report-Only" if label == "admin login" else "")
            assert "script-src 'self'" in headers[csp_header], label
        html = get(server.port, product)[2].decode()
        assert "add-to-basket" in html  # the demo product is on sale
        search = get(server.port, pages["search"])[2].decode()
        assert "mật ong" in unescape(search).lower()

        # Static files: hashed names from the manifest, compressed, cached for a year.
        css = re.search(r'href="(/static/ocop/site\.[0-9a-f]{12}\.css)"', html).group(1)
        status, headers, body = get(server.port, css, {"Accept-Encoding": "gzip"})
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert b".error-page" in gzip.decompress(body)
        assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]

        # Plain HTTP is sent to HTTPS; unknown hosts are refused; /django-admin/ is not mounted.
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        conn.request("GET", "/", headers={"Host": HOST})
        response = conn.getresponse()
        assert (response.status, response.getheader("Location")) == (301, f"https://{HOST}/")
        conn.close()
        assert get(server.port, "/", {"Host": "evil.example"})[0] == 400
        assert get(server.port, "/django-admin/")[0] == 404
        status, _, body = get(server.port, "/khong-co-trang-nay/")
        assert status == 404 and "Không tìm thấy trang" in body.decode()

        status, _, body = get(server.port, "/healthz")
        health = __import__("json").loads(body)
        assert health["checks"]["database"] == {"status": "ok", "vendor": "postgresql"}
        assert health["checks"]["cache"]["status"] == "ok"

        log = server.text()
        assert log.count("Booting worker with pid") == 2
    finally:
        server.stop()
    # Nothing answered 5xx; gunicorn's access log has a line per request.
    assert not re.search(r'" 5\d\d ', log), log[-3000:]
    assert '"GET / HTTP/1.1" 200' in log


def test_backup_restores_into_a_new_database_that_serves_the_site(production_site, tmp_path):
    env = production_site["env"]
    backup_env = {**env, "PG_DUMP": pg_tool("pg_dump"), "PG_RESTORE": pg_tool("pg_restore")}
    run(["bash", str(DEPLOY / "backup.sh"), str(tmp_path / "backup")], env=backup_env)
    assert {p.name for p in (tmp_path / "backup").iterdir()} == {"database.dump", "media.tar.gz", "private.tar.gz"}

    name = f"ocop_restore_{uuid.uuid4().hex[:8]}"
    admin_sql(f'CREATE DATABASE "{name}"')
    restored = {
        **env,
        "OCOP_DATABASE_URL": database_url(name),
        "OCOP_MEDIA_ROOT": str(tmp_path / "media"),
        "OCOP_PRIVATE_ROOT": str(tmp_path / "private"),
    }
    server = None
    try:
        run(["bash", str(DEPLOY / "restore.sh"), str(tmp_path / "backup")], env={**backup_env, **restored})
        assert (tmp_path / "private" / "dossiers" / "ho-so.txt").read_text() == "hồ sơ"
        product = product_url(restored)
        server = Gunicorn(restored, tmp_path / "gunicorn.log", workers=1)
        assert get(server.port, "/")[0] == 200
        status, _, body = get(server.port, product)
        assert status == 200
        # The page's pictures are in the restored media folder (nginx serves them from there).
        images = re.findall(r'src="/media/([^"]+)"', body.decode())
        assert images and all((tmp_path / "media" / path).is_file() for path in images)
    finally:
        if server:
            server.stop()
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
