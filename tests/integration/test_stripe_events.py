"""Applying Stripe webhook events, without a Stripe server: events are built and signed here.

The end-to-end path with localstripe is in test_stripe.py; these pin the rules.
"""

import json
import time
from decimal import Decimal

import pytest
import stripe
from oscar.test.factories import OrderFactory

from storefront.stripe_payment import facade
from storefront.stripe_payment.models import StripeEvent, StripePayment

pytestmark = pytest.mark.django_db

WEBHOOK_SECRET = "whsec_events_test"
URL = "/shop/stripe/webhook/"


def make_event(event_type, intent_id="pi_test1", order_number="100010", created=None, event_id=None, **intent):
    created = int(time.time()) if created is None else created
    obj = {
        "id": intent_id,
        "object": "payment_intent",
        "amount": 125000,
        "currency": "vnd",
        "status": event_type.rsplit(".", 1)[-1],
        "metadata": {"order_number": order_number, "basket_id": "10"} if order_number else {},
        **intent,
    }
    return {
        "id": event_id or f"evt_{event_type}_{intent_id}_{created}",
        "object": "event",
        "type": event_type,
        "created": created,
        "data": {"object": obj},
    }


@pytest.fixture
def keys(settings):
    settings.OCOP_STRIPE_SECRET_KEY = "sk_test_1"
    settings.OCOP_STRIPE_PUBLISHABLE_KEY = "pk_test_1"
    settings.OCOP_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return settings


def test_a_paid_intent_without_an_order_is_logged_from_its_metadata():
    assert facade.handle_event(make_event("payment_intent.succeeded")) == facade.PROCESSED

    payment = StripePayment.objects.get(intent_id="pi_test1")
    assert (payment.order_number, payment.basket_id, payment.amount, payment.status) == (
        "100010",
        10,
        125000,
        "succeeded",
    )
    assert facade.paid_payment_for("100010") == payment


def test_the_default_hook_records_the_payment_on_an_existing_order():
    order = OrderFactory(number="100011", total_incl_tax=Decimal("125000"), total_excl_tax=Decimal("125000"))
    created = int(time.time())

    facade.handle_event(make_event("payment_intent.succeeded", order_number="100011", created=created))
    # The same payment reported again under another event id: recorded once.
    again = make_event("payment_intent.succeeded", order_number="100011", created=created + 1, event_id="evt_again")
    assert facade.handle_event(again) == facade.STALE

    source = order.sources.get()
    assert (source.source_type.code, source.reference, source.currency) == ("stripe", "pi_test1", "VND")
    assert source.amount_debited == Decimal("125000")
    event = order.payment_events.get()
    assert (event.event_type.name, event.amount, event.reference) == ("paid", Decimal("125000"), "pi_test1")


HOOK_CALLS = []


def hook_calls(order_number, intent):
    HOOK_CALLS.append(order_number)


def failing_hook(order_number, intent):
    raise RuntimeError("the order could not be updated")


def test_a_replayed_event_changes_nothing(settings):
    settings.OCOP_STRIPE_ON_PAID = "tests.integration.test_stripe_events.hook_calls"
    HOOK_CALLS.clear()
    event = make_event("payment_intent.succeeded")

    assert facade.handle_event(event) == facade.PROCESSED
    before = StripePayment.objects.get()
    assert facade.handle_event(event) == facade.DUPLICATE
    assert facade.handle_event(json.loads(json.dumps(event))) == facade.DUPLICATE

    after = StripePayment.objects.get()
    assert (after.status, after.last_event_created, after.date_updated) == (
        before.status,
        before.last_event_created,
        before.date_updated,
    )
    assert StripeEvent.objects.count() == 1
    assert HOOK_CALLS == ["100010"]


def test_when_the_hook_fails_nothing_is_recorded_and_a_redelivery_applies(settings):
    event = make_event("payment_intent.succeeded")
    settings.OCOP_STRIPE_ON_PAID = "tests.integration.test_stripe_events.failing_hook"
    with pytest.raises(RuntimeError):
        facade.handle_event(event)
    assert not StripeEvent.objects.exists()
    assert not StripePayment.objects.exists()

    settings.OCOP_STRIPE_ON_PAID = "tests.integration.test_stripe_events.hook_calls"
    HOOK_CALLS.clear()
    assert facade.handle_event(event) == facade.PROCESSED
    assert HOOK_CALLS == ["100010"]


def test_out_of_order_events_end_at_the_latest_forward_state():
    t = int(time.time())
    facade.handle_event(make_event("payment_intent.processing", created=t))
    facade.handle_event(make_event("payment_intent.payment_failed", created=t + 1))
    assert StripePayment.objects.get().status == "failed"
    facade.handle_event(make_event("payment_intent.succeeded", created=t + 2))  # a retry
    facade.handle_event(make_event("payment_intent.processing", created=t + 1, event_id="evt_late"))
    facade.handle_event(make_event("payment_intent.canceled", created=t + 3))
    assert StripePayment.objects.get().status == "succeeded"
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 5


def test_events_we_do_not_follow_are_recorded_and_ignored():
    assert facade.handle_event(make_event("payment_intent.succeeded", order_number=None)) == facade.IGNORED
    other = make_event("customer.created")
    other["data"]["object"]["object"] = "customer"
    assert facade.handle_event(other) == facade.IGNORED
    assert not StripePayment.objects.exists()
    assert StripeEvent.objects.filter(processed_at__isnull=False).count() == 2


def _post(client, event, secret=WEBHOOK_SECRET, header=None):
    payload = json.dumps(event)
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(payload, secret)
    return client.post(URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)


def test_the_webhook_answers_200_for_applied_and_duplicate_events(client, keys):
    event = make_event("payment_intent.succeeded")
    first = _post(client, event)
    assert first.status_code == 200
    assert first.json() == {"received": event["id"], "outcome": "processed"}
    assert _post(client, event).json()["outcome"] == "duplicate"


def test_the_webhook_refuses_bad_signatures_with_400(client, keys):
    event = make_event("payment_intent.succeeded")
    assert _post(client, event, secret="whsec_wrong").status_code == 400
    assert _post(client, event, header="t=1,v1=00").status_code == 400
    assert _post(client, event, header="").status_code == 400
    stale = stripe.WebhookSignature.generate_signature_header(
        json.dumps(event), WEBHOOK_SECRET, int(time.time()) - 3600
    )
    assert _post(client, event, header=stale).status_code == 400  # outside the 5-minute tolerance
    signed_other = stripe.WebhookSignature.generate_signature_header("not json", WEBHOOK_SECRET)
    response = client.post(URL, "not json", content_type="application/json", HTTP_STRIPE_SIGNATURE=signed_other)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_the_webhook_is_hidden_without_keys_and_takes_only_post(client, keys):
    assert client.get(URL).status_code == 405
    keys.OCOP_STRIPE_WEBHOOK_SECRET = ""
    assert _post(client, make_event("payment_intent.succeeded")).status_code == 404


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_one_event_apply_it_once(settings):
    """Stripe may deliver an event twice at once: the unique event id and the row lock
    let exactly one delivery apply it (on PostgreSQL, where the lock is real)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    settings.OCOP_STRIPE_ON_PAID = "tests.integration.test_stripe_events.hook_calls"
    HOOK_CALLS.clear()
    event = make_event("payment_intent.succeeded")
    deliveries = 8
    barrier = Barrier(deliveries)

    def deliver(_):
        try:
            barrier.wait()
            return facade.handle_event(json.loads(json.dumps(event)))
        finally:
            connection.close()

    with ThreadPoolExecutor(deliveries) as pool:
        outcomes = sorted(pool.map(deliver, range(deliveries)))

    assert outcomes == ["duplicate"] * (deliveries - 1) + ["processed"]
    assert HOOK_CALLS == ["100010"]
    assert StripeEvent.objects.count() == 1
    assert StripePayment.objects.get().status == "succeeded"


def test_staff_can_read_the_log_in_the_django_admin(admin_client):
    facade.handle_event(make_event("payment_intent.succeeded"))
    page = admin_client.get("/django-admin/stripe_payment/stripepayment/")
    assert page.status_code == 200
    assert "pi_test1" in page.content.decode()
    assert admin_client.get("/django-admin/stripe_payment/stripeevent/").status_code == 200
    assert admin_client.get("/django-admin/stripe_payment/stripepayment/add/").status_code == 403
