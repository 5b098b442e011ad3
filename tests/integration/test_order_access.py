"""Who sees and changes which orders, with crafted requests.

Producer A cannot read or change producer B's order lines, nor mark B's orders paid;
customer X cannot open customer Y's order by number or URL; payment is recorded as Oscar
sources, transactions and payment events.
"""

import pytest
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from storefront.payment import facade
from tests import factories
from tests.shop import add, checkout, product_of

pytestmark = pytest.mark.django_db

Line = get_model("order", "Line")
Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def place(client, user, *pages, method="cod"):
    client.force_login(user)
    for page in pages:
        add(client, page)
    order = checkout(client, method).context["order"]
    client.logout()
    return order


@pytest.fixture
def orders(tree, client):
    """One order with lines of both producers, one with B's line only."""
    both = place(client, tree.consumer, tree.product_a, tree.product_b)
    only_b = place(client, tree.consumer, tree.product_b, method="vietqr")
    return both, only_b


def line_of(order, page):
    return order.lines.get(product=product_of(page))


def test_a_producer_lists_only_its_own_lines(tree, client, orders):
    both, only_b = orders
    client.force_login(tree.producer_user_a)
    response = client.get(reverse("producer-orders"))
    assert response.status_code == 200
    assert [order.number for order in response.context["orders"]] == [both.number]
    assert [line.pk for line in response.context["orders"][0].visible_lines] == [line_of(both, tree.product_a).pk]
    body = response.content.decode()
    assert "Bơ núi lửa thử" in body and "Mật ong thử" not in body and only_b.number not in body


def test_an_official_lists_every_line(tree, client, orders):
    client.force_login(tree.official)
    response = client.get(reverse("producer-orders"))
    assert sum(len(order.visible_lines) for order in response.context["orders"]) == 3


def test_customers_and_strangers_have_no_producer_page(tree, client, orders):
    assert client.get(reverse("producer-orders")).status_code == 302  # to the login page
    client.force_login(tree.consumer)
    assert client.get(reverse("producer-orders")).status_code == 403


def test_a_producer_moves_its_own_line_and_the_stock_follows(tree, client, orders):
    both, _ = orders
    line = line_of(both, tree.product_a)
    client.force_login(tree.producer_user_a)
    for status in ("processing", "shipped"):
        response = client.post(reverse("producer-line-status", args=[line.pk]), {"status": status})
        assert response.status_code == 302
    line.refresh_from_db()
    assert line.status == "shipped"
    both.refresh_from_db()
    assert both.status == "pending"  # producer B's line has not moved yet
    record = StockRecord.objects.get(pk=line.stockrecord_id)
    assert (record.num_in_stock, record.num_allocated) == (9, 0)  # the unit left the producer


def test_the_order_follows_once_every_line_has_moved(tree, client, orders):
    both, _ = orders
    client.force_login(tree.producer_user_a)
    client.post(reverse("producer-line-status", args=[line_of(both, tree.product_a).pk]), {"status": "processing"})
    client.force_login(tree.producer_user_b)
    client.post(reverse("producer-line-status", args=[line_of(both, tree.product_b).pk]), {"status": "processing"})
    both.refresh_from_db()
    assert both.status == "processing"


def test_a_producer_cannot_change_another_producers_line(tree, client, orders):
    both, only_b = orders
    client.force_login(tree.producer_user_a)
    for order in (both, only_b):
        line = line_of(order, tree.product_b)
        response = client.post(reverse("producer-line-status", args=[line.pk]), {"status": "cancelled"})
        assert response.status_code == 404
        line.refresh_from_db()
        assert line.status == "pending"
    assert client.get(reverse("producer-line-status", args=[line.pk])).status_code == 405


def test_a_line_status_outside_the_pipeline_is_refused(tree, client, orders):
    both, _ = orders
    line = line_of(both, tree.product_a)
    client.force_login(tree.producer_user_a)
    client.post(reverse("producer-line-status", args=[line.pk]), {"status": "delivered"})
    line.refresh_from_db()
    assert line.status == "pending"


def test_a_producer_marks_paid_only_its_own_lines(tree, client, orders):
    both, only_b = orders
    client.force_login(tree.producer_user_a)
    assert client.post(reverse("order-mark-paid", args=[only_b.number])).status_code == 404
    assert not facade.is_paid(only_b)

    response = client.post(reverse("order-mark-paid", args=[both.number]))
    assert response.status_code == 302
    source = both.sources.get()
    assert source.amount_debited == line_of(both, tree.product_a).line_price_incl_tax
    assert not facade.is_paid(both)
    assert list(facade.paid_lines(both)) == [line_of(both, tree.product_a)]
    # Marking again records nothing more.
    client.post(reverse("order-mark-paid", args=[both.number]))
    source.refresh_from_db()
    assert source.transactions.count() == 1

    client.force_login(tree.producer_user_b)
    client.post(reverse("order-mark-paid", args=[both.number]))
    source.refresh_from_db()
    assert source.amount_debited == source.amount_allocated == both.total_incl_tax
    assert facade.is_paid(both)
    assert [t.txn_type for t in source.transactions.all()] == ["Debit", "Debit"]
    assert both.payment_events.filter(event_type__name=facade.PAID).count() == 2


def test_an_official_marks_a_vietqr_order_paid(tree, client, orders):
    _, only_b = orders
    client.force_login(tree.official)
    client.post(reverse("order-mark-paid", args=[only_b.number]))
    assert facade.is_paid(only_b)
    client.force_login(tree.consumer)
    detail = client.get(reverse("customer:order", args=[only_b.number])).content.decode()
    assert "Đã thanh toán" in detail and "vietqr-payload" not in detail


def test_a_customer_cannot_mark_their_own_order_paid(tree, client, orders):
    both, _ = orders
    client.force_login(tree.consumer)
    assert client.post(reverse("order-mark-paid", args=[both.number])).status_code == 404
    assert not facade.is_paid(both)


def test_a_customer_cannot_open_someone_elses_order(tree, client, orders):
    both, only_b = orders
    other = factories.UserFactory()
    client.force_login(other)
    for order in (both, only_b):
        assert client.get(reverse("customer:order", args=[order.number])).status_code == 404
        assert client.get(f"/shop/accounts/orders/{order.number}/").status_code == 404
        guessed = reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": "0" * 40})
        # Oscar asks for the order's e-mail address before showing anything.
        response = client.get(guessed, follow=True)
        assert "order-status-form" in response.redirect_chain[-1][0]
        assert "Mật ong thử" not in response.content.decode()
    listing = client.get(reverse("customer:order-list"))
    assert list(listing.context["orders"]) == []
    # Nor by replaying the thank-you page of someone else's checkout.
    response = client.get(reverse("checkout:thank-you"), {"order_number": both.number})
    assert response.status_code == 302


def test_the_owner_can_open_their_order(tree, client, orders):
    both, _ = orders
    client.force_login(tree.consumer)
    assert client.get(reverse("customer:order", args=[both.number])).status_code == 200


def test_mark_paid_goes_back_only_to_a_page_of_this_site(tree, client, orders):
    both, _ = orders
    client.force_login(tree.official)
    url = reverse("order-mark-paid", args=[both.number])
    for hostile in ("https://evil.example/phish", "//evil.example/", "javascript:alert(1)", "https:///evil.example"):
        response = client.post(url, {"next": hostile})
        assert response.status_code == 302 and response.url == reverse("producer-orders"), hostile
    response = client.post(url, {"next": reverse("customer:order", args=[both.number])})
    assert response.url == reverse("customer:order", args=[both.number])
