"""Shared fixtures, and the rule for tests that need a service.

A test marked `postgres` (or `elasticsearch`, `browser`) skips with a one-line reason when
the service is missing, and fails instead when REQUIRE_SERVICES=1 (CI sets it).
"""

import os

import pytest
from django.db import connection

from tests import factories

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def missing_service(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        missing_service("needs PostgreSQL: set OCOP_DATABASE_URL (the test command does)")
    if request.node.get_closest_marker("elasticsearch") and not os.environ.get("OCOP_ELASTICSEARCH_URL"):
        missing_service("needs a search node: set OCOP_ELASTICSEARCH_URL (the test command does)")


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    settings.MEDIA_ROOT = str(tmp_path_factory.getbasetemp() / "media")


@pytest.fixture
def tree(db):
    """A small site: home, the four index pages, two producers with products, roles."""
    return factories.build_tree()
