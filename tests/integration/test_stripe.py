"""Stripe end to end: the real stripe SDK against localstripe on loopback.

localstripe (started by the `localstripe` session fixture) creates and confirms
PaymentIntents and delivers signed webhooks to our view on pytest-django's live server.
"""

import http.server
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from decimal import Decimal

import pytest
import stripe

from storefront.stripe_payment import facade, gateway, hooks
from storefront.stripe_payment.models import StripeEvent, StripePayment

pytestmark = pytest.mark.stripe

WEBHOOK_SECRET = "whsec_ocop_test"
WEBHOOK_PATH = "/shop/stripe/webhook/"

PAID_CALLS = []


def record_paid(order_number, intent):
    """OCOP_STRIPE_ON_PAID for these tests: remember the call, then do the default."""
    PAID_CALLS.append((order_number, intent["id"]))
    return hooks.mark_order_paid(order_number, intent)


@pytest.fixture
def stripe_settings(settings, localstripe):
    settings.OCOP_STRIPE_SECRET_KEY = "sk_test_12345"
    settings.OCOP_STRIPE_PUBLISHABLE_KEY = "pk_test_12345"
    settings.OCOP_STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.OCOP_STRIPE_API_BASE = localstripe
    settings.OCOP_STRIPE_ON_PAID = "tests.integration.test_stripe.record_paid"
    PAID_CALLS.clear()
    return settings


def _post(url, data, headers=None):
    """POST and return (status, body); HTTP errors are answers, not exceptions."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def register_webhook(localstripe, hook_id, url, events):
    form = [("url", url), ("secret", WEBHOOK_SECRET)] + [("events[]", e) for e in events]
    status, body = _post(f"{localstripe}/_config/webhooks/{hook_id}", urllib.parse.urlencode(form).encode())
    assert status == 200, body


class _Recorder(http.server.BaseHTTPRequestHandler):
    """Keeps every POST (body and Stripe-Signature) it receives, answers 200."""

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((body, self.headers["Stripe-Signature"]))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook_recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def wait_for(predicate, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_payment_intent_in_vnd_is_created_and_confirmed(stripe_settings):
    intent = gateway.create_payment_intent(
        "100001", Decimal("125000"), "VND", basket_id=7, payment_method="pm_card_visa"
    )
    assert intent.amount == 125000
    assert intent.currency == "vnd"
    assert intent.status == "requires_confirmation"
    assert intent.metadata.to_dict() == {"order_number": "100001", "basket_id": "7"}

    confirmed = gateway.confirm_payment_intent(intent.id)
    assert confirmed.status == "succeeded"

    again = gateway.retrieve_payment_intent(intent.id)
    assert (again.amount, again.currency, again.status) == (125000, "vnd", "succeeded")


@pytest.mark.django_db
def test_start_payment_logs_the_intent_and_returns_its_client_secret(stripe_settings):
    start = facade.start_payment("100002", Decimal("125000.00"), basket_id=2)

    assert start.client_secret.startswith(start.intent_id + "_secret_")
    assert (start.amount, start.currency) == (125000, "vnd")
    payment = StripePayment.objects.get(intent_id=start.intent_id)
    assert (payment.order_number, payment.basket_id, payment.amount, payment.currency) == ("100002", 2, 125000, "vnd")
    assert payment.status == "requires_payment_method"


@pytest.mark.django_db
def test_a_fraction_of_a_dong_is_refused_before_reaching_stripe(stripe_settings):
    client = gateway.client()
    before = len(client.v1.payment_intents.list().data)

    with pytest.raises(gateway.InvalidAmount, match="VND"):
        facade.start_payment("100003", Decimal("125000.5"))

    assert len(client.v1.payment_intents.list().data) == before
    assert not StripePayment.objects.exists()


def _signed(payload_dict, secret=WEBHOOK_SECRET):
    payload = json.dumps(payload_dict)
    return payload.encode(), stripe.WebhookSignature.generate_signature_header(payload, secret)


def test_webhook_from_localstripe_completes_the_payment_once_and_never_backwards(
    stripe_settings, live_server, localstripe, webhook_recorder, caplog
):
    caplog.set_level("INFO", logger="storefront.stripe_payment")
    # 127.0.0.1 rather than live_server's "localhost", which may resolve to ::1 first.
    webhook_url = live_server.url.replace("localhost", "127.0.0.1") + WEBHOOK_PATH
    events = ["payment_intent.succeeded", "payment_intent.payment_failed"]
    register_webhook(localstripe, "ocop", webhook_url, events)
    register_webhook(localstripe, "recorder", f"http://127.0.0.1:{webhook_recorder.server_port}/", events)

    # The payment page: our server starts the intent, the browser (Stripe.js) attaches the
    # card and confirms; here the SDK does the browser's part. No order exists yet: the
    # customer closed the tab.
    start = facade.start_payment("100004", 125000, basket_id=4)
    client = gateway.client()
    client.v1.payment_intents.update(start.intent_id, params={"payment_method": "pm_card_visa"})
    assert client.v1.payment_intents.confirm(start.intent_id).status == "succeeded"

    def succeeded():
        return StripePayment.objects.get(intent_id=start.intent_id).status == "succeeded"

    assert wait_for(succeeded), "localstripe's payment_intent.succeeded never reached the view"
    assert wait_for(lambda: webhook_recorder.received)
    payment = StripePayment.objects.get(intent_id=start.intent_id)
    event = StripeEvent.objects.get()
    assert event.type == "payment_intent.succeeded"
    assert event.processed_at is not None
    assert event.payload["data"]["object"]["id"] == start.intent_id
    assert payment.last_event_created == event.created
    assert PAID_CALLS == [("100004", start.intent_id)]
    assert "not placed yet" in caplog.text  # the default hook tolerated the missing order
    assert facade.paid_payment_for("100004") == payment

    # Replaying localstripe's delivery byte for byte changes nothing.
    body, signature = webhook_recorder.received[0]
    assert signature.startswith("t=") and ",v1=" in signature
    status, answer = _post(webhook_url, body, {"Stripe-Signature": signature, "Content-Type": "application/json"})
    assert status == 200
    assert json.loads(answer)["outcome"] == "duplicate"
    assert StripeEvent.objects.count() == 1
    assert PAID_CALLS == [("100004", start.intent_id)]
    unchanged = StripePayment.objects.get(pk=payment.pk)
    assert (unchanged.status, unchanged.last_event_created, unchanged.date_updated) == (
        "succeeded",
        payment.last_event_created,
        payment.date_updated,
    )

    # Older events, validly signed, do not move it backwards.
    delivered = json.loads(body)
    for event_type, status_in_payload in [
        ("payment_intent.processing", "processing"),
        ("payment_intent.payment_failed", "requires_payment_method"),
        ("payment_intent.canceled", "canceled"),
    ]:
        older = dict(delivered, id=f"evt_older_{status_in_payload}", type=event_type, created=delivered["created"] - 10)
        older["data"] = {"object": dict(delivered["data"]["object"], status=status_in_payload)}
        payload, header = _signed(older)
        status, answer = _post(webhook_url, payload, {"Stripe-Signature": header})
        assert status == 200, answer
        assert json.loads(answer)["outcome"] == "stale"
    assert StripePayment.objects.get(pk=payment.pk).status == "succeeded"
    assert PAID_CALLS == [("100004", start.intent_id)]

    # A bad signature, a missing one, or one made with another secret: 400, nothing recorded.
    forged = json.loads(body)
    forged["id"] = "evt_forged"
    forged_body = json.dumps(forged).encode()
    for headers in [
        {"Stripe-Signature": signature},  # localstripe's signature, but over another body
        {},
        {"Stripe-Signature": _signed(forged, secret="whsec_other")[1]},
    ]:
        status, _ = _post(webhook_url, forged_body, headers)
        assert status == 400
    assert not StripeEvent.objects.filter(event_id="evt_forged").exists()


def test_a_declined_card_is_reported_by_webhook_as_failed(stripe_settings, live_server, localstripe):
    webhook_url = live_server.url.replace("localhost", "127.0.0.1") + WEBHOOK_PATH
    register_webhook(localstripe, "ocop", webhook_url, ["payment_intent.succeeded", "payment_intent.payment_failed"])

    start = facade.start_payment("100005", 125000, basket_id=5)
    client = gateway.client()
    client.v1.payment_intents.update(start.intent_id, params={"payment_method": "pm_card_chargeCustomerFail"})
    with pytest.raises(stripe.CardError):
        client.v1.payment_intents.confirm(start.intent_id)

    def failed():
        return StripePayment.objects.get(intent_id=start.intent_id).status == "failed"

    assert wait_for(failed), "localstripe's payment_intent.payment_failed never reached the view"
    assert StripeEvent.objects.get().type == "payment_intent.payment_failed"
    assert PAID_CALLS == []
    assert facade.paid_payment_for("100005") is None
