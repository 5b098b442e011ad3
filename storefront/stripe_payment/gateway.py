"""The wire protocol: a thin wrapper over the stripe SDK. No Django models here.

Amounts cross this boundary in the currency's smallest unit, as Stripe counts them. VND is
a zero-decimal currency: 125000 means 125.000 ₫, and a fraction of a đồng is refused
rather than rounded.
"""

from decimal import Decimal, InvalidOperation

import stripe
from django.conf import settings

# https://docs.stripe.com/currencies#zero-decimal
ZERO_DECIMAL_CURRENCIES = frozenset("bif clp djf gnf jpy kmf krw mga pyg rwf ugx vnd vuv xaf xof xpf".split())


class InvalidAmount(ValueError):
    """An amount Stripe cannot charge exactly (a fraction of a đồng, zero, negative)."""


def to_minor_units(amount, currency):
    """Decimal/int amount in major units -> int in Stripe's unit; never rounds."""
    if isinstance(amount, bool):
        raise InvalidAmount(f"not an amount: {amount!r}")
    try:
        value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    except (InvalidOperation, TypeError, ValueError):
        raise InvalidAmount(f"not an amount: {amount!r}") from None
    code = currency.lower()
    minor = value if code in ZERO_DECIMAL_CURRENCIES else value * 100
    if not minor.is_finite() or minor != minor.to_integral_value():
        raise InvalidAmount(
            f"{amount} {currency.upper()} is not a whole number of "
            f"{'units' if code in ZERO_DECIMAL_CURRENCIES else 'cents'}; "
            f"{currency.upper()} has {0 if code in ZERO_DECIMAL_CURRENCIES else 2} decimals"
        )
    if minor <= 0:
        raise InvalidAmount(f"amount must be positive: {amount} {currency.upper()}")
    return int(minor)


def from_minor_units(minor, currency):
    """int in Stripe's unit -> Decimal in major units (what Oscar stores)."""
    value = Decimal(int(minor))
    return value if currency.lower() in ZERO_DECIMAL_CURRENCIES else value / 100


def idempotency_key(order_number, minor, currency):
    # One intent per order and total: a retried request gets the same intent back, while a
    # changed basket total (same order number) gets a new one instead of Stripe's
    # "keys for idempotent requests can only be used with the same parameters" error.
    return f"ocop-pi-{order_number}-{minor}{currency.lower()}"


def client():
    options = {"max_network_retries": 2}
    if getattr(settings, "OCOP_STRIPE_API_BASE", ""):
        options["base_addresses"] = {"api": settings.OCOP_STRIPE_API_BASE}
    return stripe.StripeClient(settings.OCOP_STRIPE_SECRET_KEY, **options)


def create_payment_intent(order_number, amount, currency="VND", basket_id=None, payment_method=None):
    """Create a card PaymentIntent for `amount` (major units) and return it."""
    minor = to_minor_units(amount, currency)
    metadata = {"order_number": str(order_number)}
    if basket_id is not None:
        metadata["basket_id"] = str(basket_id)
    params = {
        "amount": minor,
        "currency": currency.lower(),
        "payment_method_types": ["card"],
        "metadata": metadata,
    }
    if payment_method:
        params["payment_method"] = payment_method
    return client().v1.payment_intents.create(
        params=params, options={"idempotency_key": idempotency_key(order_number, minor, currency)}
    )


def retrieve_payment_intent(intent_id):
    return client().v1.payment_intents.retrieve(intent_id)


def confirm_payment_intent(intent_id):
    """Server-side confirmation (the browser normally confirms with Stripe.js)."""
    return client().v1.payment_intents.confirm(intent_id)


def refund_payment_intent(intent_id, metadata=None):
    """Refund the whole of a succeeded intent; one refund per intent, however often asked."""
    params = {"payment_intent": intent_id}
    if metadata:
        params["metadata"] = metadata
    return client().v1.refunds.create(params=params, options={"idempotency_key": f"ocop-re-{intent_id}"})


def construct_event(payload, sig_header, secret=None):
    """Verify a webhook's Stripe-Signature with the library's check and return the event.

    Raises stripe.SignatureVerificationError (bad or stale signature) or ValueError
    (not JSON).
    """
    return stripe.Webhook.construct_event(payload, sig_header, secret or settings.OCOP_STRIPE_WEBHOOK_SECRET)
