"""Republishing a product page does not undo the sales made since its stock was last set."""

import pytest
from django.utils import translation
from oscar.core.loading import get_model

from cms.models import ProductPage
from storefront.producer.actions import change_line_status
from tests import factories
from tests.shop import add, checkout, product_of

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


def record(tree):
    return StockRecord.objects.get(product=product_of(tree.product_a))


def edit_and_publish(page, **changes):
    page = ProductPage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    return factories.publish(page)


def test_sales_survive_republication_until_the_producer_counts_again(tree, client):
    assert (record(tree).num_in_stock, record(tree).page_stock) == (10, 10)
    client.force_login(tree.consumer)
    add(client, tree.product_a, 3)
    with translation.override("vi"):
        order = checkout(client, "cod").context["order"]
    line = order.lines.get()
    change_line_status(tree.producer_user_a, line.pk, "processing")
    change_line_status(tree.producer_user_a, line.pk, "shipped")
    assert (record(tree).num_in_stock, record(tree).num_allocated) == (7, 0)

    # The producer edits the story only; the page still says 10.
    edit_and_publish(tree.product_a, intro="Giới thiệu mới")
    assert record(tree).num_in_stock == 7
    # An official republishes the first revision, also saying 10.
    ProductPage.objects.get(pk=tree.product_a.pk).revisions.order_by("created_at", "pk").first().publish()
    assert ProductPage.objects.get(pk=tree.product_a.pk).stock == 10
    assert record(tree).num_in_stock == 7

    # The producer counts its goods again: that figure is the stock.
    edit_and_publish(tree.product_a, stock=25)
    assert (record(tree).num_in_stock, record(tree).page_stock, record(tree).net_stock_level) == (25, 25, 25)
