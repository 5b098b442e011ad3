"""No overselling: 24 buyers, each with their own session and database connection, click
"place order" at the same moment for the last 5 units. Exactly 5 orders are placed, the
others are told the product is out of stock, and the stock ends at 0, never below.

Needs PostgreSQL (row locks; SQLite serialises whole-database writes instead).
"""

import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from cms.models import ProductPage
from tests import factories
from tests.shop import ADDRESS, add, product_of

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
BUYERS, UNITS = 24, 5


@pytest.fixture
def tree(transactional_db):
    """The usual tree. An earlier transactional test may have flushed the tables, taking
    with them the rows the migrations created; put back the ones this test needs (Django's
    serialized_rollback cannot, as content types are re-created by the flush)."""
    factories.restore_migration_rows()
    return factories.build_tree()


def ready_to_place(page):
    """A signed-in buyer with one unit in the basket, on the preview page."""
    client = Client()
    client.force_login(factories.UserFactory())
    add(client, page, 1)
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    client.get(reverse("checkout:shipping-method"))
    assert client.post(reverse("checkout:preview"), {"method": "cod"}).status_code == 200
    return client


def outcome(response):
    if response.status_code == 302 and response.url == reverse("checkout:thank-you"):
        return "ordered", ""
    if response.status_code == 200:  # the preview again, with the error
        text = str(response.context.get("error", ""))
    else:  # sent back to the basket by the availability check
        text = " ".join(str(m) for m in response.wsgi_request._messages)
    return "refused", text


def test_concurrent_buyers_for_the_last_units(tree):
    page = ProductPage.objects.get(pk=tree.product_a.pk)
    page.stock = UNITS
    factories.publish(page)
    record = StockRecord.objects.get(product=product_of(page))
    assert record.net_stock_level == UNITS

    clients = [ready_to_place(page) for _ in range(BUYERS)]
    barrier = threading.Barrier(BUYERS)
    results, errors, lowest = [], [], []
    watching = threading.Event()

    def buy(client):
        try:
            barrier.wait(timeout=30)
            response = client.post(reverse("checkout:preview"), {"action": "place_order"})
            results.append(outcome(response))
        except Exception as error:  # noqa: BLE001  (reported below)
            errors.append(repr(error))
        finally:
            connection.close()

    def watch():
        # Sample the committed stock level while the buyers race.
        try:
            while not watching.is_set():
                current = StockRecord.objects.get(pk=record.pk)
                lowest.append((current.num_in_stock or 0) - (current.num_allocated or 0))
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))
        finally:
            connection.close()

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=buy, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    watching.set()
    watcher.join()
    connections.close_all()

    assert errors == []
    ordered = [r for r in results if r[0] == "ordered"]
    refused = [r for r in results if r[0] == "refused"]
    assert len(ordered) == UNITS, results
    assert len(refused) == BUYERS - UNITS
    for _, message in refused:
        assert "hết hàng" in message, message
    assert Order.objects.count() == UNITS
    record.refresh_from_db()
    assert record.num_in_stock == UNITS and record.num_allocated == UNITS
    assert record.net_stock_level == 0
    assert lowest and min(lowest) >= 0
