"""The home page's counts of certified products are cached (cms/register_cache.py) and
recomputed after every change that can move them, on a new day, and never per language."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import District, ProductGroup
from cms import register_cache, stats
from cms.models import HomePageFeaturedProduct
from tests import factories

pytestmark = pytest.mark.usefixtures("no_page_cache")  # the counts are read from each page's context


@pytest.fixture
def computed(monkeypatch):
    """How many times the counts were computed (read from the rows, not the cache)."""
    calls = []
    real = stats.certified_counts

    def counting(pages):
        calls.append(1)
        return real(pages)

    monkeypatch.setattr(stats, "certified_counts", counting)
    return calls


def counts(client, url="/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.context["counts"]


def test_counts_are_computed_once_then_read_from_the_cache(client, tree, computed):
    first = counts(client)
    assert (first["total"], first["producers"]) == (2, 2)
    assert dict(first["by_stars"]) == {5: 0, 4: 1, 3: 1}
    assert counts(client) == first
    assert counts(client, "/en/")["total"] == 2
    assert len(computed) == 1


def test_a_certificate_change_is_counted_at_once(client, tree, computed):
    assert counts(client)["total"] == 2
    tree.certificate_b.revoked_on = timezone.localdate()
    tree.certificate_b.revocation_ground = tree.certificate_b.Ground.CRITERIA_NOT_KEPT
    tree.certificate_b.save()
    assert counts(client)["total"] == 1
    factories.certificate(tree.product_b, score=(38, 24, 30))  # a new 5★ decision
    assert dict(counts(client)["by_stars"]) == {5: 1, 4: 1, 3: 0}
    tree.certificate_a.delete()
    assert counts(client)["total"] == 1
    assert len(computed) == 4


def test_publishing_unpublishing_moving_and_deleting_pages_are_counted(client, tree, computed):
    assert counts(client)["total"] == 2
    tree.product_b.unpublish()
    assert counts(client)["total"] == 1
    factories.publish(tree.product_b)
    assert counts(client)["total"] == 2
    extra = factories.product_page(tree.producer_a)
    factories.certificate(extra)
    assert counts(client)["total"] == 3
    extra.move(tree.producer_b, pos="last-child")
    assert counts(client)["producers"] == 2
    extra.delete()
    assert counts(client)["total"] == 2


def test_register_changes_are_counted(client, tree):
    before = counts(client)
    # The product's group (the counts by group).
    group = ProductGroup.objects.create(code="9", name="Nhóm mới", name_en="New group")
    product = tree.product_a.register_product
    product.group = group
    product.save()
    assert dict((g.code, n) for g, n in counts(client)["by_group"])["9"] == 1
    # A group renamed, in the language the page is read in.
    group.name_en = "Renamed group"
    group.save()
    assert "Renamed group" in client.get("/en/").content.decode()
    # The producer's district, then the district's name.
    district = District.objects.create(
        slug="huyen-moi", name="Huyện Mới", former_province="Lâm Đồng", province=tree.producer_a.producer.province
    )
    producer = tree.producer_a.producer
    producer.district = district
    producer.save()
    assert district.pk in [d.pk for d, n in counts(client)["by_district"]]
    district.name = "Huyện Đổi Tên"
    district.save()
    assert "Huyện Đổi Tên" in client.get("/").content.decode()
    assert counts(client)["total"] == before["total"]


def test_a_new_day_recomputes(client, tree, computed, monkeypatch):
    counts(client)
    counts(client)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(register_cache.timezone, "localdate", lambda *a, **k: tomorrow)
    counts(client)
    assert len(computed) == 2


def test_the_generation_is_renewed_again_when_the_change_commits(tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tree.certificate_a.save()
        during = register_cache.generation()
    assert callbacks and register_cache.generation() != during


def test_featured_products_best_first_or_in_the_officials_order_certified_only(client, tree, settings):
    """The home page's cards and counts (queries compiled once, cms/models.py), with the data cache
    off too: the same answers, and as many queries for two featured products as for one."""

    def featured():
        response = client.get("/")
        assert response.status_code == 200
        return [page.pk for page in response.context["featured_products"]]

    a, b = tree.product_a.pk, tree.product_b.pk
    assert featured() == [a, b]  # 4★ before 3★
    for order, page in enumerate((tree.product_b, tree.product_a)):
        HomePageFeaturedProduct.objects.create(page=tree.home, product=page, sort_order=order)
    assert featured() == [b, a]  # the officials' order
    tree.certificate_b.revoked_on = timezone.localdate()
    tree.certificate_b.revocation_ground = tree.certificate_b.Ground.CRITERIA_NOT_KEPT
    tree.certificate_b.save()
    assert featured() == [a]
    settings.OCOP_DATA_CACHE = False
    assert featured() == [a] and counts(client)["total"] == 1
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    factories.certificate(tree.product_b, score=(38, 24, 30))  # certified again, 5★
    assert featured() == [b, a] and dict(counts(client)["by_stars"]) == {5: 1, 4: 1, 3: 0}
    with CaptureQueriesContext(connection) as two:
        client.get("/")
    assert len(two.captured_queries) == len(one.captured_queries)


def test_a_preview_shows_the_featured_products_being_edited(rf, tree):
    """An official previewing the home page sees the featured products in the form, not the saved ones."""
    home = tree.home.specific
    home.featured_products = [
        HomePageFeaturedProduct(product=tree.product_b),
        HomePageFeaturedProduct(product=tree.product_a),
    ]
    request = rf.get("/")
    request._wagtail_site = None
    context = home.get_context(request)
    assert [page.pk for page in context["featured_products"]] == [tree.product_b.pk, tree.product_a.pk]
    assert not HomePageFeaturedProduct.objects.filter(page=home).exists()
