"""Eight customers place orders at the same moment, over real HTTP, on the embedded default.

Two demo servers (tests/services/demo_server.py: threaded WSGI, DEBUG off) share one SQLite
file, with the demo data; eight new customers log in, put the same product in their baskets
and walk the checkout with cash on delivery, and a barrier releases their "place order"
clicks together. The product has 6 left: 6 orders, and 2 clear Vietnamese out-of-stock
messages, nothing else (no 500, no "A problem occurred while placing this order", no
"database is locked"). Before SQLITE_OPTIONS (WAL, immediate transactions, a busy timeout)
some of the eight failed.

SQLite only by design (the PostgreSQL pass skips it; tests/integration/test_no_overselling.py
covers PostgreSQL); marked slow: about a minute, most of it loading the demo data.
"""

import re
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.urls import reverse

from tests.services import demo_server
from tests.shop import ADDRESS

REPO = Path(__file__).resolve().parents[2]
CUSTOMERS = 8
STOCK = 6
PASSWORD = "dong-thoi-2026"  # noqa: S105

pytestmark = pytest.mark.slow

SETUP = f"""
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "tests.services.demo_settings"
sys.path.insert(0, {str(REPO)!r})
django.setup()
from django.contrib.auth import get_user_model
from oscar.core.loading import get_class, get_model

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
strategy = get_class("partner.strategy", "Selector")().strategy()
for product in Product.objects.filter(structure="standalone").order_by("pk"):
    info = strategy.fetch_for_product(product)
    if info.availability.is_available_to_buy and info.stockrecord:
        break
record = info.stockrecord
StockRecord.objects.filter(pk=record.pk).update(num_in_stock=(record.num_allocated or 0) + {STOCK})
for i in range({CUSTOMERS}):
    get_user_model().objects.create_user(f"dongthoi{{i}}", f"dongthoi{{i}}@example.vn", {PASSWORD!r})
print(product.pk, record.pk)
"""


@pytest.fixture
def two_servers(db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only by design: the embedded default's concurrency")
    # A copy of the migrated test database. `db`, not `transactional_db`: nothing of this test
    # is written here, and a transactional test's flush would take the migrations' rows (the
    # Wagtail root page...) away from the tests that follow.
    connection.ensure_connection()
    target = sqlite3.connect(tmp_path / "db.sqlite3")
    connection.connection.backup(target)  # a migrated database: the servers only load the demo data
    target.close()
    with open(tmp_path / "servers.log", "w") as log:
        first, url_a = demo_server.start(tmp_path, log)
        try:
            env = {"OCOP_DEMO_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
            done = subprocess.run(
                [sys.executable, "-c", SETUP], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
            )
            assert done.returncode == 0, done.stderr
            product_pk, record_pk = map(int, done.stdout.split()[-2:])
            second, url_b = demo_server.start(tmp_path, log)
        except BaseException:
            demo_server.stop(first)
            raise
        try:
            yield tmp_path, (url_a, url_b), product_pk, record_pk
        finally:
            demo_server.stop(second)
            demo_server.stop(first)


class Customer:
    """One browser: its own cookies, the CSRF cookie sent back with every form."""

    def __init__(self, base):
        self.base = base
        self.session = requests.Session()

    def get(self, path, expect):
        response = self.session.get(self.base + path, allow_redirects=False, timeout=120)
        assert response.status_code == expect, (path, response.status_code, response.text[:500])
        return response

    def post(self, path, data):
        data = {**data, "csrfmiddlewaretoken": self.session.cookies.get("csrftoken", "")}
        return self.session.post(self.base + path, data=data, allow_redirects=False, timeout=120)


def messages_in(html):
    return " ".join(re.sub(r"<[^>]+>", " ", m) for m in re.findall(r'class="[^"]*alert[^"]*"[^>]*>(.*?)</', html, re.S))


def buy(base, number, product_pk, barrier):
    """Log in, fill the basket, walk the checkout, wait for the others, place the order.
    Returns ("order", number), ("out-of-stock", message) or ("failed", what was seen)."""
    try:
        me = Customer(base)
        me.get(reverse("customer:login"), 200)
        response = me.post(
            reverse("customer:login"),
            {"login-username": f"dongthoi{number}@example.vn", "login-password": PASSWORD, "login_submit": "1"},
        )
        assert response.status_code == 302, ("login", response.status_code, response.text[:500])
        response = me.post(reverse("basket:add", args=[product_pk]), {"quantity": 1})
        assert response.status_code == 302, ("basket", response.status_code, response.text[:500])
        me.get(reverse("checkout:index"), 302)
        response = me.post(reverse("checkout:shipping-address"), ADDRESS)
        assert response.status_code == 302, ("address", response.status_code, response.text[:2000])
        me.get(reverse("checkout:shipping-method"), 302)
        me.get(reverse("checkout:payment-method"), 302)
        me.get(reverse("checkout:payment-details"), 200)
        response = me.post(reverse("checkout:preview"), {"method": "cod"})
        assert response.status_code == 200, ("preview", response.status_code, response.text[:500])
    except BaseException:
        barrier.abort()
        raise
    barrier.wait()
    response = me.post(reverse("checkout:preview"), {"action": "place_order"})
    if response.status_code == 302 and response.headers["Location"].endswith(reverse("checkout:thank-you")):
        return "order", me.get(reverse("checkout:thank-you"), 200).status_code
    if response.status_code == 302 and response.headers["Location"].endswith(reverse("basket:summary")):
        shown = messages_in(me.get(reverse("basket:summary"), 200).text)
    elif response.status_code == 200:  # the preview again, with the reason
        shown = messages_in(response.text)
    else:
        return "failed", (response.status_code, response.text[:1000])
    if re.search(r"đã hết hàng|chỉ còn \d+", shown) and "problem" not in shown:
        return "out-of-stock", shown
    return "failed", (response.status_code, shown or response.text[:1000])


def test_eight_simultaneous_orders_on_two_server_processes(two_servers):
    directory, urls, product_pk, record_pk = two_servers
    barrier = threading.Barrier(CUSTOMERS, timeout=240)
    with ThreadPoolExecutor(CUSTOMERS) as pool:
        futures = [pool.submit(buy, urls[i % 2], i, product_pk, barrier) for i in range(CUSTOMERS)]
        results = [f.result() for f in futures]
    log = (directory / "servers.log").read_text()
    failed = [r for r in results if r[0] == "failed"]
    assert not failed, (failed, log[-5000:])
    assert sorted(kind for kind, _ in results) == ["order"] * STOCK + ["out-of-stock"] * (CUSTOMERS - STOCK)
    db = sqlite3.connect(directory / "db.sqlite3")
    try:
        orders = db.execute("SELECT count(*) FROM order_order").fetchone()[0]
        left = db.execute(
            "SELECT num_in_stock - coalesce(num_allocated, 0) FROM partner_stockrecord WHERE id = ?", (record_pk,)
        ).fetchone()[0]
    finally:
        db.close()
    assert (orders, left) == (STOCK, 0)
    assert "database is locked" not in log and " 500 " not in log
