"""Shared fixtures, and the rule for tests that need a service.

A test marked `postgres` (or `elasticsearch`, `browser`, `stripe`) skips with a one-line
reason when the service is missing, and fails instead when REQUIRE_SERVICES=1 (CI sets it).
A `browser` test (tests/e2e/) drives Debian's Chromium with Playwright against a demo server
(tests/e2e/conftest.py). A `stripe` test gets localstripe from the session fixture `localstripe`, which starts it
on a free loopback port (tests/services/localstripe_server.py) and stops it at the end.
"""

import importlib.util
import os
import selectors
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from tests import factories
from tests.services import chromium

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing_service("needs PostgreSQL: set OCOP_DATABASE_URL (the test command does)")
    if request.node.get_closest_marker("stripe") and importlib.util.find_spec("localstripe") is None:
        missing_service("needs localstripe: pip install -r requirements-dev.txt")
    if request.node.get_closest_marker("elasticsearch") and not os.environ.get("OCOP_ELASTICSEARCH_URL"):
        missing_service("needs a search node: set OCOP_ELASTICSEARCH_URL (the test command does)")
    if request.node.get_closest_marker("browser") and (reason := chromium.missing()):
        missing_service(reason)


LOCALSTRIPE_SERVER = Path(__file__).parent / "services" / "localstripe_server.py"


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """A localstripe on 127.0.0.1 for the session (in memory, fresh); yields its base URL.

    Its access log (webhook deliveries included) goes to <pytest basetemp>/localstripe.log.
    OCOP_LOCALSTRIPE_PORT picks the port; by default any free one.
    """
    if importlib.util.find_spec("localstripe") is None:
        missing_service("needs localstripe: pip install -r requirements-dev.txt")
    log = open(tmp_path_factory.getbasetemp() / "localstripe.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, str(LOCALSTRIPE_SERVER), "--port", os.environ.get("OCOP_LOCALSTRIPE_PORT", "0")],
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        url = _wait_for_localstripe(proc, timeout=30)
    except Exception as exc:
        proc.kill()
        proc.wait()
        log.close()
        missing_service(f"localstripe did not start: {exc}")
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def _wait_for_localstripe(proc, timeout):
    deadline = time.monotonic() + timeout
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            raise TimeoutError(f"no 'listening' line in {timeout} s")
    line = proc.stdout.readline()
    if not line.startswith("localstripe listening on "):
        raise RuntimeError(f"exit code {proc.poll()}, said {line!r}")
    url = "http://" + line.split()[-1]
    request = urllib.request.Request(url + "/v1/balance", headers={"Authorization": "Bearer sk_test_ping"})
    while True:
        try:
            with urllib.request.urlopen(request, timeout=2):
                return url
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture(autouse=True)
def _forget_cached_pages_data():
    # The Wagtail sites, site settings, whether any page is restricted (cms/site_cache.py) and
    # figures of the register (cms/register_cache.py) are cached and dropped on change; a test's
    # rollback sends no signal, so no test starts with what the one before cached.
    from cms import page_cache, register_cache, site_cache

    site_cache.forget_all()
    register_cache.renew()
    page_cache.renew()  # nor with the pages the one before stored (cms/page_cache.py)


@pytest.fixture
def no_page_cache(settings):
    """Every page computed (cms/page_cache.py off): for tests of what computing a page does."""
    settings.OCOP_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def tree(db):
    """A small site: home, the four index pages, two producers with products, roles."""
    return factories.build_tree()


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path_factory):
    # Evidence files of dossiers (cms/evaluation): never the developer's own private/.
    settings.OCOP_PRIVATE_ROOT = tmp_path_factory.getbasetemp() / "private"


def _load_rulebook():
    from catalog import rules_data
    from catalog.rulebook import ScoringSheet

    if not ScoringSheet.objects.exists():
        rules_data.load()
    return rules_data


@pytest.fixture(scope="session")
def _rulebook_committed(django_db_setup, django_db_blocker):
    # Loaded outside any test's transaction (it takes seconds), so a test's rollback keeps it.
    with django_db_blocker.unblock():
        _load_rulebook()


@pytest.fixture
def rulebook(_rulebook_committed, db):
    """The rule sets and their 26 sheets per version (fixtures/rules), loaded once per
    database: a test's rollback keeps them; a transactional test's flush makes the next
    user load them again."""
    return _load_rulebook()
