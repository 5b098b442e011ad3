"""Customers follow their orders: the status in their account, a mail at each step, and
cancelling their own order before it ships (stock back, payment undone), with crafted
requests for what they may not do."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from storefront import orders, tasks
from storefront.payment import facade
from tests import factories
from tests.shop import add, checkout, messages_of, product_of

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
CommunicationEvent = get_model("order", "CommunicationEvent")


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def place(client, tree, method="cod", quantity=2):
    tree.consumer.email = "khach@example.vn"
    tree.consumer.save()
    client.force_login(tree.consumer)
    add(client, tree.product_a, quantity)
    thanks = checkout(client, method)
    return thanks, thanks.context["order"]


def order_url(order):
    return reverse("customer:order", kwargs={"order_number": order.number})


def cancel_url(order):
    return reverse("customer-order-cancel", kwargs={"order_number": order.number})


def record_of(tree):
    return StockRecord.objects.get(product=product_of(tree.product_a))


def to_customer():
    return [m for m in mail.outbox if m.to == ["khach@example.vn"]]


def test_the_customer_follows_the_order_from_the_thank_you_page(tree, client):
    thanks, order = place(client, tree, "vietqr")
    assert order_url(order) in thanks.content.decode()

    page = client.get(order_url(order)).content.decode()
    assert '<p class="order-status">Chờ xử lý</p>' in page
    steps = page[page.index('<ol class="order-steps">') :]
    steps = steps[: steps.index("</ol>")]
    assert re.findall(r"<li class=\"step-\w+\"[^>]*>([^<]+)", steps) == [
        "Đã đặt hàng",
        "Chờ thanh toán",
        "Đang xử lý",
        "Đang giao",
        "Đã giao",
    ]
    assert "Chuyển khoản qua VietQR" in page and "Chờ thanh toán" in page
    assert "12 Lê Lợi" in page and cancel_url(order) in page

    listing = client.get(reverse("customer:order-list")).content.decode()
    assert order.number in listing and "Chờ xử lý" in listing and "pending" not in listing


def test_each_step_mails_the_customer_once(tree, client, django_capture_on_commit_callbacks):
    _, order = place(client, tree, "vietqr", quantity=1)
    line = order.lines.get()
    mail.outbox.clear()
    client.force_login(tree.official)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("order-mark-paid", args=[order.number])).status_code == 302
    for status in ("processing", "shipped", "delivered"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("producer-line-status", args=[line.pk]), {"status": status})
    order.refresh_from_db()
    assert order.status == "delivered"
    subjects = [m.subject for m in to_customer()]
    assert subjects == [
        f"Đơn hàng {order.number}: đã nhận thanh toán / Order {order.number}: payment received",
        f"Đơn hàng {order.number}: đang chuẩn bị / Order {order.number}: being prepared",
        f"Đơn hàng {order.number}: đang trên đường giao / Order {order.number}: on its way",
        f"Đơn hàng {order.number}: đã giao / Order {order.number}: delivered",
    ]
    body = to_customer()[2].body
    vietnamese, english = body.split("----------")
    assert "Trạng thái: Đang giao" in vietnamese and "Status: Shipped" in english
    assert f"http://example.com{order_url(order)}" in vietnamese or order_url(order) in vietnamese
    assert list(order.status_changes.order_by("date_created").values_list("new_status", flat=True)) == [
        "processing",
        "shipped",
        "delivered",
    ]

    # A retried task sends nothing twice.
    mail.outbox.clear()
    assert tasks.order_update(order.pk, orders.mail_code("shipped")) is False
    assert mail.outbox == [] and CommunicationEvent.objects.filter(order=order).count() == 4


def test_the_customer_cancels_before_shipping(tree, client, django_capture_on_commit_callbacks):
    record = record_of(tree)
    before = record.net_stock_level
    _, order = place(client, tree, "cod")
    assert record_of(tree).net_stock_level == before - 2

    page = client.get(cancel_url(order))
    assert page.status_code == 200 and "Lý do" in page.content.decode()
    assert Order.objects.get(pk=order.pk).status == "pending"  # a GET changes nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(cancel_url(order), {"reason": "Đặt nhầm"})
    assert response.status_code == 302 and response.url == order_url(order)
    assert f"Đơn hàng {order.number} đã được hủy." in messages_of(response)

    order.refresh_from_db()
    assert order.status == "cancelled" and set(order.lines.values_list("status", flat=True)) == {"cancelled"}
    assert record_of(tree).net_stock_level == before
    status_note, note = order.notes.order_by("pk")  # the status change, then the reason
    assert "Đã hủy" in status_note.message and status_note.user == tree.consumer
    assert "Đặt nhầm" in note.message and note.user == tree.consumer
    assert order.status_changes.get().new_status == "cancelled"
    (message,) = to_customer()
    assert "đã hủy" in message.subject and "cancelled" in message.subject

    page = client.get(order_url(order)).content.decode()
    assert '<li class="step-current" aria-current="step">Đã hủy</li>' in page and cancel_url(order) not in page

    # Again: refused with a message, the stock not returned twice.
    for response in (client.post(cancel_url(order)), client.get(cancel_url(order))):
        assert response.status_code == 302 and "đã bị hủy" in messages_of(response)
    assert record_of(tree).net_stock_level == before


def test_nobody_else_cancels_a_customers_order(tree, client):
    _, order = place(client, tree, "cod")
    client.logout()
    response = client.post(cancel_url(order))
    assert response.status_code == 302 and reverse("customer:login") in response.url
    client.force_login(factories.UserFactory())
    assert client.get(cancel_url(order)).status_code == 404
    assert client.post(cancel_url(order)).status_code == 404
    client.force_login(tree.producer_user_a)  # the producer of its lines is not its customer
    assert client.post(cancel_url(order)).status_code == 404
    assert client.post(reverse("customer-order-cancel", kwargs={"order_number": "x' OR 1=1"})).status_code == 404
    assert Order.objects.get(pk=order.pk).status == "pending"


def test_a_shipped_order_cannot_be_cancelled(tree, client):
    _, order = place(client, tree, "cod")
    client.force_login(tree.producer_user_a)
    line = order.lines.get()
    for status in ("processing", "shipped"):
        client.post(reverse("producer-line-status", args=[line.pk]), {"status": status})
    client.force_login(tree.consumer)
    assert cancel_url(order) not in client.get(order_url(order)).content.decode()
    response = client.post(cancel_url(order))
    assert response.status_code == 302 and "đã được giao đi" in messages_of(response)
    order.refresh_from_db()
    assert order.status == "shipped" and order.lines.get().status == "shipped"


def test_a_paid_transfer_cancelled_is_marked_to_refund(tree, client):
    _, order = place(client, tree, "vietqr")
    client.force_login(tree.official)
    client.post(reverse("order-mark-paid", args=[order.number]))
    client.force_login(tree.consumer)
    client.post(cancel_url(order))
    order.refresh_from_db()
    assert order.status == "cancelled"
    (event,) = order.payment_events.filter(event_type__name=orders.TO_REFUND)
    assert event.amount == order.total_incl_tax
    paid_note, _, cancel_note = order.notes.order_by("pk")  # marked paid, the status, the cancel
    assert "xác nhận đã nhận" in paid_note.message and "hoàn tiền" in cancel_note.message
    assert orders.payment_state(order) == "Đã thanh toán, chờ hoàn tiền"
    assert facade.is_paid(order)  # the money is still the shop's until refunded
