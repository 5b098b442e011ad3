"""A certificate that leaves force with no write: search_refresh_expiring re-indexes its product."""

import datetime
import io
import socket

from django.core.management import call_command
from django.utils import timezone

from catalog.models import Certificate
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.models import OutboxEntry, SearchDocument
from tests import factories, search_engine


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def refresh():
    out = io.StringIO()
    call_command("search_refresh_expiring", stdout=out)
    return out.getvalue()


def indexed_stars(page):
    return SearchDocument.objects.filter(kind="product", object_id=page.pk).values_list("stars", flat=True).first()


def star_facet(**params):
    result = DatabaseBackend().search(SearchQuery.from_params(params))
    return {v.value: v.count for v in result.facets["stars"]}


def test_expired_and_revoked_certificates_reach_the_index_through_the_outbox(tree, settings):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    # The engine is the active backend (never reached here): changes go through the outbox.
    settings.OCOP_SEARCH = search_engine.engine_settings(
        f"http://127.0.0.1:{closed_port()}", INDEX="ocop-refresh-test", TIMEOUT=1
    )
    expiring = factories.product_page(tree.producer_a, title="Trà atiso hết hạn")
    only = factories.certificate(expiring, score=(32, 20, 26))  # 4★
    stepping_down = factories.product_page(tree.producer_a, title="Mật ong hạ sao")
    factories.certificate(stepping_down, score=(32, 20, 26), age_days=400)  # 4★, older
    newer = factories.certificate(stepping_down, score=(38, 24, 30), age_days=50)  # 5★ in force
    revoked = factories.product_page(tree.producer_a, title="Gạo bị thu hồi")
    revoked_certificate = factories.certificate(
        revoked, score=(25, 15, 20), revoked_on=timezone.localdate() + datetime.timedelta(days=3)
    )
    assert (indexed_stars(expiring), indexed_stars(stepping_down), indexed_stars(revoked)) == (4, 5, 3)
    before = star_facet()
    OutboxEntry.objects.all().delete()

    # Days pass: dates alone take the certificates out of force (no save, so no signal).
    Certificate.objects.filter(pk__in=[only.pk, newer.pk]).update(expiry_date=yesterday)
    Certificate.objects.filter(pk=revoked_certificate.pk).update(revoked_on=timezone.localdate())
    assert star_facet() == before  # the index does not know yet
    assert not OutboxEntry.objects.exists()

    output = refresh()
    assert "3/3" in output
    assert indexed_stars(expiring) is None and indexed_stars(revoked) is None
    assert indexed_stars(stepping_down) == 4
    after = star_facet()
    assert after.get("5", 0) == before.get("5", 0) - 1
    assert after.get("4", 0) == before.get("4", 0)  # one 4★ product gone, one came down from 5★
    assert after.get("3", 0) == before.get("3", 0) - 1
    assert sorted(OutboxEntry.objects.filter(done_at__isnull=True).values_list("kind", "object_id")) == sorted(
        ("product", page.pk) for page in (expiring, stepping_down, revoked)
    )

    # Idempotent: nothing changed since, nothing is recorded.
    assert "current" in refresh()
    assert OutboxEntry.objects.count() == 3


def test_a_certified_product_missing_from_the_index_is_put_back(tree):
    product = factories.product_page(tree.producer_a, title="Nấm linh chi chờ")
    factories.certificate(product, score=(32, 20, 26))
    SearchDocument.objects.filter(kind="product", object_id=product.pk).delete()
    assert "1/1" in refresh()
    assert indexed_stars(product) == 4
    assert "current" in refresh()
