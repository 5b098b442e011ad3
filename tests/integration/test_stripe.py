"""Stripe end to end: the real stripe SDK against localstripe on loopback.

localstripe (started by the `localstripe` session fixture) creates and confirms
PaymentIntents.
"""

from decimal import Decimal

import pytest

from storefront.stripe_payment import facade, gateway, hooks
from storefront.stripe_payment.models import StripePayment

pytestmark = pytest.mark.stripe

WEBHOOK_SECRET = "whsec_ocop_test"

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
