"""Stripe rules that need no server: amounts, availability, event ordering."""

import datetime
from decimal import Decimal

import pytest

from storefront.stripe_payment import availability, gateway
from storefront.stripe_payment.models import StripePayment


@pytest.mark.parametrize(
    "amount, currency, minor",
    [
        (125000, "VND", 125000),
        (Decimal("125000.00"), "VND", 125000),  # Oscar's Decimal with an empty fraction
        ("125000", "vnd", 125000),
        (Decimal("12.34"), "USD", 1234),
    ],
)
def test_amounts_in_stripe_units(amount, currency, minor):
    assert gateway.to_minor_units(amount, currency) == minor


@pytest.mark.parametrize(
    "amount, currency",
    [
        (Decimal("125000.5"), "VND"),  # VND is zero-decimal: no fraction of a đồng
        (125000.5, "VND"),
        (Decimal("12.345"), "USD"),
        (0, "VND"),
        (-1000, "VND"),
        ("abc", "VND"),
        (True, "VND"),
        (Decimal("NaN"), "VND"),
    ],
)
def test_amounts_stripe_cannot_charge_exactly_are_refused(amount, currency):
    with pytest.raises(gateway.InvalidAmount):
        gateway.to_minor_units(amount, currency)


def test_back_from_stripe_units():
    assert gateway.from_minor_units(125000, "vnd") == Decimal("125000")
    assert gateway.from_minor_units(1234, "usd") == Decimal("12.34")


@pytest.fixture
def fresh_warnings(monkeypatch):
    monkeypatch.setattr(availability, "_warned", set())


def test_without_keys_stripe_is_hidden_and_the_log_says_why_once(settings, caplog, fresh_warnings):
    settings.OCOP_STRIPE_SECRET_KEY = ""
    settings.OCOP_STRIPE_PUBLISHABLE_KEY = "pk_test_1"
    settings.OCOP_STRIPE_WEBHOOK_SECRET = ""

    assert availability.is_enabled() is False
    assert availability.is_enabled() is False

    warnings = [r for r in caplog.records if r.name == "storefront.stripe_payment.availability"]
    assert len(warnings) == 1
    assert warnings[0].levelname == "WARNING"
    message = warnings[0].getMessage()
    assert "hidden" in message
    assert "OCOP_STRIPE_SECRET_KEY" in message and "OCOP_STRIPE_WEBHOOK_SECRET" in message
    assert "OCOP_STRIPE_PUBLISHABLE_KEY" not in message


def test_test_settings_have_no_keys(caplog, fresh_warnings):
    assert availability.is_enabled() is False  # a developer's environment does not leak in


def test_with_keys_stripe_is_offered(settings, caplog, fresh_warnings):
    settings.OCOP_STRIPE_SECRET_KEY = "sk_test_1"
    settings.OCOP_STRIPE_PUBLISHABLE_KEY = "pk_test_1"
    settings.OCOP_STRIPE_WEBHOOK_SECRET = "whsec_1"
    assert availability.is_enabled() is True
    assert not caplog.records


T0 = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
EARLIER, SAME, LATER = T0 - datetime.timedelta(seconds=5), T0, T0 + datetime.timedelta(seconds=5)


@pytest.mark.parametrize(
    "current, new, created, applies",
    [
        ("requires_payment_method", "processing", LATER, True),
        ("requires_payment_method", "succeeded", SAME, True),
        ("processing", "succeeded", SAME, True),
        ("processing", "requires_payment_method", LATER, False),  # never backwards
        ("succeeded", "processing", LATER, False),
        ("succeeded", "processing", EARLIER, False),
        ("processing", "succeeded", EARLIER, False),  # an older event is ignored, whatever it says
        ("succeeded", "canceled", EARLIER, False),  # a cancel older than the success
        ("succeeded", "failed", SAME, False),  # never over a success
        ("succeeded", "canceled", LATER, False),  # succeeded is final
        ("processing", "failed", SAME, True),
        ("processing", "canceled", LATER, True),
        ("canceled", "succeeded", LATER, False),  # canceled is final
        ("failed", "succeeded", LATER, True),  # Stripe lets the customer retry the intent
        ("failed", "processing", SAME, True),
        ("succeeded", "succeeded", LATER, False),  # nothing to change
    ],
)
def test_an_event_never_moves_a_payment_backwards(current, new, created, applies):
    payment = StripePayment(status=current, last_event_created=T0)
    assert payment.accepts(new, created) is applies


def test_the_first_event_applies_whatever_its_time():
    payment = StripePayment(status="requires_payment_method", last_event_created=None)
    assert payment.accepts("succeeded", EARLIER) is True


def test_what_people_see_is_in_vietnamese():
    from django.utils import translation

    from storefront.stripe_payment.models import StripeEvent

    with translation.override("vi"):
        assert str(StripePayment.Status.SUCCEEDED.label) == "Đã thanh toán"
        assert str(StripePayment.Status.REQUIRES_PAYMENT_METHOD.label) == "Chờ nhập thẻ"
        assert str(StripeEvent._meta.verbose_name) == "Sự kiện Stripe"
        assert translation.gettext("Card payment is not available.") == "Hiện không thể thanh toán bằng thẻ."
