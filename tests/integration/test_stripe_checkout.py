"""Card payment (Stripe) in the checkout: the real stripe SDK against localstripe.

The test does Stripe.js's part (confirming the intent with a test card) server-side.
"""

import json

import pytest
import stripe
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from storefront.checkout.models import StripeCheckout
from storefront.payment import facade as payment_facade
from storefront.stripe_payment import gateway
from storefront.stripe_payment.models import StripeEvent, StripePayment
from tests import factories
from tests.integration.test_stripe import WEBHOOK_PATH, WEBHOOK_SECRET, _post, register_webhook, wait_for
from tests.shop import ADDRESS, add, messages_of

pytestmark = pytest.mark.stripe

Order = get_model("order", "Order")
STRIPE = payment_facade.STRIPE


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def stripe_settings(settings, localstripe):
    settings.OCOP_STRIPE_SECRET_KEY = "sk_test_12345"
    settings.OCOP_STRIPE_PUBLISHABLE_KEY = "pk_test_12345"
    settings.OCOP_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.OCOP_STRIPE_API_BASE = localstripe
    settings.OCOP_STRIPE_JS_URL = f"{localstripe}/js.stripe.com/v3/"
    return settings


@pytest.fixture
def shop(transactional_db):
    """The usual tree, for tests the live server answers. An earlier transactional test may
    have flushed the rows the migrations made: put back those the tree needs."""
    factories.restore_migration_rows()
    return factories.build_tree()


def to_card_page(client):
    """Walk the checkout to the preview with card payment chosen; return that page."""
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    client.get(reverse("checkout:shipping-method"))
    response = client.get(reverse("checkout:payment-details"))
    assert response.status_code == 200
    assert "Thẻ quốc tế (Stripe)" in response.content.decode()
    response = client.post(reverse("checkout:preview"), {"method": STRIPE})
    assert response.status_code == 200 and response.context["view"].preview, messages_of(response)
    return response


def intent_of(response):
    return response.context["stripe_client_secret"].split("_secret_")[0]


def pay_with_visa(intent_id):
    """What Stripe.js's confirmCardPayment does in the browser."""
    client = gateway.client()
    client.v1.payment_intents.update(intent_id, params={"payment_method": "pm_card_visa"})
    intent = client.v1.payment_intents.confirm(intent_id)
    assert intent.status == "succeeded"


def assert_paid(order, intent_id):
    """Paid in full by the intent, once, and every line is a paid line (as for cash)."""
    assert payment_facade.is_paid(order)
    source = order.sources.get()
    assert (source.reference, source.amount_debited) == (intent_id, order.total_incl_tax)
    assert source.source_type.code == STRIPE
    (event,) = order.payment_events.filter(reference=intent_id)
    assert event.event_type.name == payment_facade.PAID
    assert set(payment_facade.paid_lines(order)) == set(order.lines.all())


def test_card_payment_then_place_order(tree, client, stripe_settings, localstripe):
    client.force_login(tree.consumer)
    add(client, tree.product_a, 2)
    page = to_card_page(client)
    body = page.content.decode()
    assert f'<script src="{localstripe}/js.stripe.com/v3/"></script>' in body
    assert 'id="stripe-card-element"' in body and "pk_test_12345" in body
    assert page.context["stripe_client_secret"] in body
    intent_id = intent_of(page)
    payment = StripePayment.objects.get(intent_id=intent_id)
    number = page.context["stripe_order_number"]
    assert payment.order_number == number == StripeCheckout.objects.get().order_number

    # "Place order" before the card was charged: refused, in Vietnamese, nothing placed.
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 200 and "chưa bị trừ tiền" in response.context["error"]
    assert not Order.objects.exists()

    # Back on the card page, the same order number and intent.
    page = client.post(reverse("checkout:preview"), {"method": STRIPE})
    assert (page.context["stripe_order_number"], intent_of(page)) == (number, intent_id)

    pay_with_visa(intent_id)
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("checkout:thank-you"), messages_of(response)
    order = Order.objects.get()
    assert order.number == number and order.user == tree.consumer
    assert payment.amount == order.total_incl_tax
    assert_paid(order, intent_id)


def test_a_card_paid_order_shows_paid_lines_to_its_producers(tree, client, stripe_settings):
    client.force_login(tree.consumer)
    add(client, tree.product_a, 2)
    add(client, tree.product_b, 1)
    page = to_card_page(client)
    intent_id = intent_of(page)
    pay_with_visa(intent_id)
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("checkout:thank-you"), messages_of(response)
    order = Order.objects.get()
    assert_paid(order, intent_id)
    assert payment_facade.paid_lines(order).count() == 2

    client.force_login(tree.producer_user_a)
    response = client.get("/shop/producer/orders/")
    assert response.status_code == 200
    (shown,) = response.context["orders"]
    (line,) = shown.visible_lines
    assert shown == order and line in payment_facade.paid_lines(order)
    body = response.content.decode()
    assert "Đã thanh toán" in body and reverse("order-mark-paid", args=[order.number]) not in body
    # Nothing is left to mark paid by hand: a crafted request debits the card's source no more.
    client.post(reverse("order-mark-paid", args=[order.number]))
    source = order.sources.get()
    assert source.amount_debited == order.total_incl_tax and not source.transactions.exists()
    assert order.payment_events.count() == 1


def test_the_webhook_places_the_order_of_a_customer_who_closed_the_tab(
    shop, client, stripe_settings, localstripe, live_server
):
    webhook_url = live_server.url.replace("localhost", "127.0.0.1") + WEBHOOK_PATH
    register_webhook(localstripe, "ocop", webhook_url, ["payment_intent.succeeded"])
    client.force_login(shop.consumer)
    add(client, shop.product_a, 2)
    add(client, shop.product_b, 1)
    page = to_card_page(client)
    intent_id, number = intent_of(page), page.context["stripe_order_number"]

    pay_with_visa(intent_id)  # and the tab is closed

    assert wait_for(lambda: Order.objects.filter(number=number).exists()), "the webhook placed no order"
    # The live server shares the in-memory database: wait until the event is fully applied.
    assert wait_for(lambda: StripeEvent.objects.filter(processed_at__isnull=False).exists())
    order = Order.objects.get()
    assert order.user == shop.consumer
    assert order.shipping_address.line1 == ADDRESS["line1"]
    assert {line.partner_id for line in order.lines.all()} == {
        shop.producer_a.producer.partner.pk,
        shop.producer_b.producer.partner.pk,
    }
    assert order.basket.status == "Submitted"
    assert_paid(order, intent_id)
    event = StripeEvent.objects.get(type="payment_intent.succeeded")

    # (c) Replaying the event changes nothing: no second order, no second payment.
    status, answer = _post(
        webhook_url,
        json.dumps(event.payload).encode(),
        {"Stripe-Signature": _signature(event.payload)},
    )
    assert status == 200 and json.loads(answer)["outcome"] == "duplicate"
    assert Order.objects.count() == 1
    assert_paid(Order.objects.get(), intent_id)

    # A customer who comes back and clicks "place order" after all places no second order
    # and is shown the one the webhook placed.
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302 and response.url == reverse("checkout:thank-you")
    assert client.get(response.url).context["order"] == order
    assert Order.objects.count() == 1


def _signature(payload):
    return stripe.WebhookSignature.generate_signature_header(json.dumps(payload), WEBHOOK_SECRET)


def test_without_keys_the_card_is_not_offered(tree, client, settings):
    settings.OCOP_STRIPE_SECRET_KEY = settings.OCOP_STRIPE_PUBLISHABLE_KEY = ""
    client.force_login(tree.consumer)
    add(client, tree.product_a)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.get(reverse("checkout:shipping-method"))
    response = client.get(reverse("checkout:payment-details"))
    assert "Thẻ quốc tế" not in response.content.decode()
    assert STRIPE not in dict(response.context["payment_form"].fields["method"].choices)
    response = client.post(reverse("checkout:preview"), {"method": STRIPE})
    assert not response.context["view"].preview
    assert not StripePayment.objects.exists()
