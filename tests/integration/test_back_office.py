"""Order handling as a back office (storefront/producer): what the producers' page and the
admin's order views show, the confirmation before marking paid, the status actions, the
admin menu item per role, and crafted requests against all of it.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model
from wagtail.admin.menu import admin_menu

from cms.evaluation import access as evaluation_access
from storefront.payment import facade
from tests import factories
from tests.shop import ADDRESS, add, checkout, product_of

pytestmark = pytest.mark.django_db

OrderNote = get_model("order", "OrderNote")
StockRecord = get_model("partner", "StockRecord")

NOTE = "Giao sau 17 giờ, gọi trước"


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def orders(tree, client):
    """A VietQR order with lines of both producers, a cash order with B's line only."""
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    add(client, tree.product_b)
    both = checkout(client, "vietqr", address=dict(ADDRESS, notes=NOTE)).context["order"]
    add(client, tree.product_b)
    only_b = checkout(client, "cod").context["order"]
    client.logout()
    return both, only_b


def test_the_producers_page_shows_each_order_with_payment_totals_and_contact(tree, client, orders):
    both, only_b = orders
    client.force_login(tree.producer_user_b)
    body = client.get(reverse("producer-orders")).content.decode()
    # Grouped by order, newest first.
    assert body.index(f"order-{only_b.number}") < body.index(f"order-{both.number}")
    card = body[body.index(f'id="order-{both.number}"') :]
    for text in (
        "Chuyển khoản qua VietQR",
        f"OCOP {both.number}",
        "0912 345 678",
        NOTE,
        "Chờ xử lý",
        "Chưa thanh toán",
    ):
        assert text in card, text
    assert "Thanh toán khi nhận hàng" in body
    assert f'href="{reverse("producer-orders")}"' in body  # the header's link, for producers
    shipping = f"{both.shipping_incl_tax:,.0f}".replace(",", ".")
    total = f"{both.total_incl_tax:,.0f}".replace(",", ".")
    assert both.shipping_incl_tax > 0 and shipping in card and total in card
    # The status filter: B's lines are pending, none processing.
    assert (
        f"order-{both.number}" not in client.get(reverse("producer-orders"), {"status": "processing"}).content.decode()
    )
    assert client.get(reverse("producer-orders"), {"status": "nonsense"}).status_code == 200


def test_marking_paid_asks_first_and_records_who(tree, client, orders):
    both, _ = orders
    client.force_login(tree.producer_user_a)
    url = reverse("order-mark-paid", args=[both.number])
    page = client.get(url)
    assert page.status_code == 200 and 'method="post"' in page.content.decode()
    assert "Vâng, xác nhận đã thanh toán" in page.content.decode()
    assert not both.sources.get().transactions.exists()  # GET changed nothing
    assert url in client.get(reverse("producer-orders")).content.decode()
    assert client.post(url).status_code == 302
    assert url not in client.get(reverse("producer-orders")).content.decode()  # nothing left for A
    (note,) = OrderNote.objects.filter(order=both)
    assert note.user == tree.producer_user_a and "xác nhận đã nhận" in note.message
    # The official sees who marked it on the order's page in the admin.
    client.force_login(tree.official)
    detail = client.get(reverse("orders-admin:detail", args=[both.number])).content.decode()
    assert note.message in detail and tree.producer_user_a.get_username() in detail


def test_crafted_requests_on_another_producers_order(tree, client, orders):
    both, only_b = orders
    line_b = both.lines.get(product=product_of(tree.product_b))
    client.force_login(tree.producer_user_a)
    assert client.get(reverse("order-mark-paid", args=[only_b.number])).status_code == 404
    assert client.post(reverse("order-mark-paid", args=[only_b.number])).status_code == 404
    assert client.get(reverse("orders-admin:detail", args=[only_b.number])).status_code == 404
    assert client.post(reverse("orders-admin:mark-paid", args=[only_b.number])).status_code == 404
    # An order's status is the officials' (a producer moves its own lines only).
    assert client.post(reverse("orders-admin:status", args=[both.number]), {"status": "processing"}).status_code == 403
    url = reverse("orders-admin:line-status", args=[both.number, line_b.pk])
    assert client.post(url, {"status": "cancelled"}).status_code == 404
    line_b.refresh_from_db()
    both.refresh_from_db()
    assert (line_b.status, both.status, facade.is_paid(only_b)) == ("pending", "pending", False)
    # The admin's list holds A's order only.
    listing = client.get(reverse("orders-admin:list"))
    assert [s.order.number for s in listing.context["summaries"]] == [both.number]


def test_customers_and_get_requests_change_nothing(tree, client, orders):
    both, _ = orders
    client.force_login(tree.consumer)
    assert client.get(reverse("orders-admin:list")).status_code == 302  # Wagtail: no admin access
    assert f'href="{reverse("producer-orders")}"' not in client.get(reverse("basket:summary")).content.decode()
    assert client.get(reverse("order-mark-paid", args=[both.number])).status_code == 404
    client.force_login(tree.official)
    for name in ("orders-admin:status",):
        assert client.get(reverse(name, args=[both.number]), {"status": "processing"}).status_code == 405
    line = both.lines.first()
    assert client.get(reverse("orders-admin:line-status", args=[both.number, line.pk])).status_code == 405
    assert client.get(reverse("orders-admin:mark-paid", args=[both.number])).status_code == 200
    both.refresh_from_db()
    assert both.status == "pending" and not facade.is_paid(both) and not OrderNote.objects.exists()


def test_an_official_moves_an_order_through_set_status(tree, client, orders):
    both, only_b = orders
    seen = []

    def receiver(sender, order, old_status, new_status, **kwargs):
        seen.append((order.number, old_status, new_status))

    order_status_changed.connect(receiver)
    try:
        client.force_login(tree.official)
        url = reverse("orders-admin:status", args=[only_b.number])
        for code in ("processing", "shipped"):
            assert client.post(url, {"status": code}).status_code == 302
        assert client.post(url, {"status": "pending"}).status_code == 302  # refused with a message
        assert client.post(url, {"status": "cancelled"}).status_code == 302  # not an official's button
    finally:
        order_status_changed.disconnect(receiver)
    only_b.refresh_from_db()
    assert only_b.status == "shipped" and set(only_b.lines.values_list("status", flat=True)) == {"shipped"}
    assert seen == [(only_b.number, "pending", "processing"), (only_b.number, "processing", "shipped")]
    record = StockRecord.objects.get(pk=only_b.lines.get().stockrecord_id)
    assert record.num_allocated == 1  # only `both`'s unit of B is still allocated
    notes = list(OrderNote.objects.filter(order=only_b).values_list("user", flat=True))
    assert notes == [tree.official.pk, tree.official.pk]
    page = client.get(reverse("orders-admin:detail", args=[only_b.number])).content.decode()
    assert "Đang giao" in page and "Chờ xử lý" in page  # the history, in words
    # Filters: status, producer, payment method.
    listing = reverse("orders-admin:list")
    numbers = lambda **q: [s.order.number for s in client.get(listing, q).context["summaries"]]  # noqa: E731
    assert numbers(status="shipped") == [only_b.number]
    assert numbers(method="vietqr") == [both.number]
    assert numbers(partner=str(product_of(tree.product_a).stockrecords.get().partner_id)) == [both.number]
    assert numbers(status="x", partner="y", method="z") == [only_b.number, both.number]


def menu_of(user):
    """{url: label} of the admin menu's top-level items the user is shown."""
    request = RequestFactory().get(reverse("wagtailadmin_home"))
    request.user = user
    return {item.url: str(item.label) for item in admin_menu.menu_items_for_request(request)}


def test_the_admin_menu_and_the_old_dashboard(tree, client):
    listing = reverse("orders-admin:list")
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    for user in (tree.producer_user_a, tree.official, superuser):
        client.force_login(user)
        assert menu_of(user).get(listing) == "Đơn hàng"
        response = client.get("/shop/dashboard/", follow=True)
        assert response.redirect_chain[-1][0] == listing and response.status_code == 200
        assert "/static/oscar/" not in response.content.decode()  # none of the dashboard's Bootstrap 3 + jQuery
    # A role with admin access but no orders to handle.
    office = factories.UserFactory()
    office.groups.add(Group.objects.get(name=evaluation_access.OCOP_OFFICE))
    client.force_login(office)
    assert menu_of(office) and listing not in menu_of(office)
    assert client.get(listing).status_code == 403
