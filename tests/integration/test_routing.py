"""Routing by url_path (cms/routing.py): one query for a product page, the only type at its
depth; two for other pages; a page of another type where the types allow one only still found."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from cms.models import AnnouncementPage, HomePage, ProducerPage, ProductPage
from cms.routing import only_type_at, tree_range
from tests import factories

pytestmark = pytest.mark.usefixtures("no_page_cache")  # the pages' routing, each page computed


def route_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in queries.captured_queries if '"wagtailcore_page"."url_path" =' in q["sql"]]


def test_only_product_pages_are_alone_at_their_depth():
    assert only_type_at(HomePage, 3) is ProductPage
    assert only_type_at(HomePage, 1) is None and only_type_at(HomePage, 2) is None
    assert only_type_at(ProducerPage, 1) is ProductPage


def test_a_product_page_is_found_in_one_query(client, tree):
    response, lookups = route_queries(client, tree.product_a.url)
    assert type(response.context["page"]) is ProductPage and response.context["page"].pk == tree.product_a.pk
    assert len(lookups) == 1 and '"cms_productpage"' in lookups[0]
    assert " LIKE " not in lookups[0]  # a tree range: SQLite prepares a LIKE parameter's statement again at every run
    response, lookups = route_queries(client, tree.producer_a.url)
    assert response.context["page"].pk == tree.producer_a.pk and len(lookups) == 1  # then its specific row


def test_a_tree_range_holds_the_pages_at_that_depth_under_a_page_and_no_other(tree):
    home = factories.home_page()
    depth = tree.product_a.depth
    first, last = tree_range(home, depth)
    at_depth = Page.objects.filter(depth=depth)
    inside = set(at_depth.filter(path__range=(first, last)).values_list("pk", flat=True))
    assert inside == set(at_depth.descendant_of(home).values_list("pk", flat=True)) and tree.product_a.pk in inside
    other = factories.publish(Page.get_first_root_node().add_child(instance=HomePage(title="Khác", slug="khac")))
    assert tree_range(other, depth - 1)[0] > last  # a later root's pages come after


def test_a_product_pages_register_product_and_groups_come_with_its_row(client, tree):
    group = tree.product_a.register_product.group
    client.get(tree.product_a.url)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(tree.product_a.url).content.decode()
    assert not [q for q in queries.captured_queries if q["sql"].startswith('SELECT "catalog_product"')]
    top = group.parent or group
    assert top.name in html and (group.parent is None or group.name in html)


def test_another_type_where_only_products_may_be_is_still_served(client, tree):
    stray = factories.publish(
        tree.producer_a.add_child(instance=AnnouncementPage(title="Tin lạc chỗ", slug="tin-lac-cho"))
    )
    response, _ = route_queries(client, stray.url)
    assert type(response.context["page"]) is AnnouncementPage and response.context["page"].pk == stray.pk
    assert client.get(tree.producer_a.url + "khong-co/").status_code == 404
