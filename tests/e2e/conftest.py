"""Browser tests: Playwright for Python driving Debian's Chromium against a demo server.

The server (tests/services/demo_server.py) runs in a child process with its own SQLite file,
the demo data (`load_demo_data`: real places and producers, the demo accounts of
fixtures/demo_accounts.csv) and DEBUG off. On SQLite it starts from a copy of this session's
already migrated test database, which saves a second migration run. The tests share one
server and one browser per run; each test gets a fresh browser context (no cookies).

Each journey step saves a full-page screenshot as test-artifacts/<journey>/NN-<step>.png at
the repository root (OCOP_TEST_ARTIFACTS moves it); the server's log is
test-artifacts/demo-server.log. Tests here are marked `browser` and skip without Chromium
(failing instead under REQUIRE_SERVICES=1): see tests/conftest.py.
"""

import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest
from django.db import connection

from tests.conftest import missing_service
from tests.services import chromium, demo_server

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(os.environ.get("OCOP_TEST_ARTIFACTS", REPO / "test-artifacts"))
TIMEOUT_MS = 30_000  # one action or assertion; the machine may be busy with other work


@pytest.fixture(scope="package")
def demo_site(request, tmp_path_factory):
    """The demo server's base URL, e.g. http://127.0.0.1:41234.

    OCOP_DEMO_URL=http://127.0.0.1:PORT uses a demo server already running instead (started
    with `python tests/services/demo_server.py --dir DIR --port PORT`): quicker when writing
    tests, but its data is what earlier runs left.
    """
    reason = chromium.missing()
    if reason:
        missing_service(reason)
    if os.environ.get("OCOP_DEMO_URL"):
        yield os.environ["OCOP_DEMO_URL"].rstrip("/")
        return
    directory = tmp_path_factory.mktemp("demo-site")
    if connection.vendor == "sqlite":
        request.getfixturevalue("django_db_setup")
        with request.getfixturevalue("django_db_blocker").unblock():
            connection.ensure_connection()
            target = sqlite3.connect(directory / "db.sqlite3")
            connection.connection.backup(target)
            target.close()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with open(ARTIFACTS / "demo-server.log", "w") as log:
        try:
            proc, url = demo_server.start(directory, log)
        except Exception as exc:
            missing_service(f"the demo server did not start: {exc}")
        yield url
        demo_server.stop(proc)


@pytest.fixture(scope="package")
def browser(demo_site):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, demo_site):
    context = browser.new_context(base_url=demo_site, viewport={"width": 1280, "height": 900}, locale="vi-VN")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


class Journey:
    """Numbered full-page screenshots of one journey: test-artifacts/<name>/NN-<step>.png."""

    def __init__(self, name):
        self.folder = ARTIFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def shot(self, page, step):
        self.count += 1
        path = self.folder / f"{self.count:02d}-{re.sub(r'[^a-z0-9]+', '-', step.lower()).strip('-')}.png"
        page.screenshot(path=path, full_page=True)
        return path


@pytest.fixture
def journey(request):
    return Journey(re.sub(r"[^a-z0-9]+", "-", request.node.name.removeprefix("test_").lower()).strip("-"))


def field(scope, label):
    """The form control labelled exactly `label` (an asterisk for required fields allowed)."""
    return scope.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def fill_or_choose(control, text):
    """Type `text` into a text field, or choose it in a select (the first choice containing it,
    else the first real choice): the address form moves from free text to lists of places."""
    if control.evaluate("e => e.tagName") != "SELECT":
        control.fill(text)
        return
    value = control.evaluate(
        """(select, text) => {
            const choices = [...select.options].filter(o => o.value && !o.disabled && !o.hidden);
            const match = choices.find(o => o.textContent.includes(text)) || choices[0];
            return match ? match.value : null;
        }""",
        text,
    )
    assert value, f"no choice in {control}"
    control.select_option(value)


def fill_shipping_address(page):
    """The checkout's shipping address of the demo customer, in Lâm Đồng (cash on delivery is
    offered there), filled as a person does."""
    field(page, "Họ và tên đệm").fill("Nguyễn Thị")
    field(page, "Tên").fill("Lan")
    field(page, "Số nhà, tên đường").fill("12 Đường Hùng Vương")
    fill_or_choose(field(page, "Tỉnh/thành phố"), "Lâm Đồng")
    fill_or_choose(field(page, "Xã/phường/đặc khu"), "Thuận An")
    field(page, "Số điện thoại").fill("0912 345 678")
