"""A paid card intent that cannot become an order is refunded; a placed one is confirmed.

The real stripe SDK against localstripe; the webhook's hook (place_order_for_intent) is
called as the webhook calls it, with the intent Stripe returns.
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from storefront.checkout import stripe_orders
from storefront.checkout.models import StripeCheckout
from storefront.stripe_payment import gateway
from tests.integration.test_stripe_checkout import _vietnamese, intent_of, pay_with_visa, stripe_settings, to_card_page  # noqa: F401
from tests.shop import add

pytestmark = pytest.mark.stripe

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
PaymentDetailsView = get_class("checkout.views", "PaymentDetailsView")


@pytest.fixture
def paid(tree, client, stripe_settings):  # noqa: F811
    """A customer paid by card for 2 of product A and closed the tab: (number, intent)."""
    tree.consumer.email = "khach@example.vn"
    tree.consumer.save()
    client.force_login(tree.consumer)
    add(client, tree.product_a, 2)
    page = to_card_page(client)
    intent_id, number = intent_of(page), page.context["stripe_order_number"]
    pay_with_visa(intent_id)
    return number, gateway.retrieve_payment_intent(intent_id).to_dict()


def refunds_of(intent_id):
    return list(gateway.client().v1.refunds.list(params={"payment_intent": intent_id}).data)


def test_the_webhook_confirms_the_order_to_the_customer(tree, paid, django_capture_on_commit_callbacks):
    number, intent = paid
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_orders.place_order_for_intent(number, intent) is True
    order = Order.objects.get(number=number)
    to_customer = [m for m in mail.outbox if m.to == ["khach@example.vn"]]
    assert len(to_customer) == 1 and number in to_customer[0].subject
    assert "Xác nhận" in to_customer[0].subject
    assert "Bơ núi lửa thử" in to_customer[0].body and "Lâm Đồng" in to_customer[0].body
    assert any(m.to != ["khach@example.vn"] for m in mail.outbox)  # the producer's notice
    assert refunds_of(intent["id"]) == [] and order.sources.get().reference == intent["id"]


def test_a_checkout_that_finds_the_webhooks_order_only_records_the_payment(
    tree, paid, django_capture_on_commit_callbacks
):
    """The webhook placed the order while the customer's "place order" was under way: the
    checkout's placement finds it, records nothing twice and sends no second confirmation."""
    number, intent = paid
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_orders.place_order_for_intent(number, intent) is True
    order = Order.objects.get(number=number)
    mail.outbox.clear()

    view = PaymentDetailsView()
    view._card_payment = stripe_orders.CardPayment.of(intent)
    found = view.place_order(
        order_number=number,
        user=tree.consumer,
        basket=order.basket,
        shipping_address=None,
        shipping_method=None,
        shipping_charge=None,
        order_total=None,
    )
    view.send_order_placed_email(found)

    assert found == order and Order.objects.count() == 1
    assert order.payment_events.count() == 1 and order.sources.count() == 1
    assert mail.outbox == []


def revoke(certificate):
    certificate.revoked_on = timezone.localdate() - datetime.timedelta(days=1)
    certificate.revocation_reason = "thử"
    certificate.save()


def sell_out(tree):
    record = StockRecord.objects.get(product__upc=f"OCOP-{tree.product_a.pk}")
    record.allocate(record.net_stock_level)


@pytest.mark.parametrize(
    "meanwhile, reason",
    [(lambda tree: revoke(tree.certificate_a), "đã bị thu hồi"), (sell_out, "hết hàng")],
    ids=["certificate revoked", "stock sold"],
)
def test_a_paid_intent_that_cannot_become_an_order_is_refunded_once(
    tree, client, paid, django_capture_on_commit_callbacks, meanwhile, reason
):
    number, intent = paid
    meanwhile(tree)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_orders.place_order_for_intent(number, intent) is False
    assert not Order.objects.exists()

    (refund,) = refunds_of(intent["id"])
    assert (refund.amount, refund.currency, refund.status) == (intent["amount"], "vnd", "succeeded")
    remembered = StripeCheckout.objects.get(order_number=number)
    assert remembered.refund_id == refund.id and reason in remembered.refund_reason
    assert remembered.refunded_at is not None
    (message,) = mail.outbox
    assert message.to == ["khach@example.vn"]
    assert number in message.subject and "hoàn tiền" in message.subject
    assert reason in message.body and f"{intent['amount']:,}".replace(",", ".") + "\u00a0₫" in message.body

    # A replayed event (or Stripe's retry) refunds nothing twice and writes no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_orders.place_order_for_intent(number, intent) is False
    assert len(refunds_of(intent["id"])) == 1 and len(mail.outbox) == 1

    # The customer who comes back cannot place that order on the refunded payment.
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert not Order.objects.exists()


def test_a_card_order_cancelled_by_its_customer_is_refunded_once(
    tree, client, paid, django_capture_on_commit_callbacks
):
    number, intent = paid
    with django_capture_on_commit_callbacks(execute=True):
        assert stripe_orders.place_order_for_intent(number, intent) is True
    record = StockRecord.objects.get(product__upc=f"OCOP-{tree.product_a.pk}")
    allocated = record.num_allocated
    url = reverse("customer-order-cancel", kwargs={"order_number": number})

    response = client.post(url, {"reason": ""})
    assert response.status_code == 302
    (refund,) = refunds_of(intent["id"])
    assert (refund.amount, refund.status) == (intent["amount"], "succeeded")
    order = Order.objects.get(number=number)
    source = order.sources.get()
    assert order.status == "cancelled" and source.amount_refunded == source.amount_debited == order.total_incl_tax
    assert order.payment_events.filter(event_type__name="refunded", reference=refund.id).count() == 1
    record.refresh_from_db()
    assert record.num_allocated == allocated - 2

    assert client.post(url).status_code == 302  # a second cancel refunds nothing more
    assert len(refunds_of(intent["id"])) == 1
    assert "Đã hoàn tiền" in client.get(reverse("customer:order", kwargs={"order_number": number})).content.decode()
