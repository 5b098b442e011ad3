"""What happens when a Stripe payment succeeds: the OCOP_STRIPE_ON_PAID hook.

Contract: OCOP_STRIPE_ON_PAID is a dotted path to `callable(order_number, intent)`, where
`intent` is the PaymentIntent as a dict (the webhook event's data.object: id, amount in
the smallest unit, currency, metadata with order_number and basket_id). It is called once
per payment, when the payment first becomes succeeded, inside the transaction that records
the event: if it raises, nothing is recorded, the webhook answers 500 and Stripe retries.
It must tolerate "no order yet": a customer who pays and closes the tab has no order until
the checkout places it from the intent's metadata (facade.paid_payment_for tells it so).

The site's setting points at the checkout's `place_order_for_intent`
(storefront/checkout/stripe_orders.py), which places the order from the intent when the
customer never came back. `mark_order_paid` here is the minimal hook: it only records the
payment on the Oscar order if one exists (the Stripe app's own tests use it).
"""

import logging

from oscar.core.loading import get_model

from .gateway import from_minor_units

logger = logging.getLogger(__name__)

SOURCE_TYPE_NAME = "Stripe"
PAYMENT_EVENT_TYPE_NAME = "Paid"


def record_payment(order, intent_id, amount_minor, currency):
    """Add the Stripe Source and a "Paid" PaymentEvent to `order`, once per intent.

    Idempotent (keyed on the intent id as reference), so the checkout's handle_payment and
    the webhook may both call it.
    """
    SourceType = get_model("payment", "SourceType")
    Source = get_model("payment", "Source")
    PaymentEventType = get_model("order", "PaymentEventType")
    PaymentEvent = get_model("order", "PaymentEvent")

    amount = from_minor_units(amount_minor, currency)
    source_type, _ = SourceType.objects.get_or_create(name=SOURCE_TYPE_NAME)
    Source.objects.get_or_create(
        order=order,
        source_type=source_type,
        reference=intent_id,
        defaults={"currency": currency.upper(), "amount_allocated": amount, "amount_debited": amount},
    )
    event_type, _ = PaymentEventType.objects.get_or_create(name=PAYMENT_EVENT_TYPE_NAME)
    PaymentEvent.objects.get_or_create(
        order=order, event_type=event_type, reference=intent_id, defaults={"amount": amount}
    )


def mark_order_paid(order_number, intent):
    """Minimal OCOP_STRIPE_ON_PAID: record the payment on the order, if the order exists."""
    Order = get_model("order", "Order")
    order = Order.objects.filter(number=order_number).first()
    if order is None:
        logger.info(
            "Stripe payment %s succeeded for order %s, which is not placed yet; "
            "the checkout places it from the intent's metadata.",
            intent["id"],
            order_number,
        )
        return False
    record_payment(order, intent["id"], intent["amount"], intent["currency"])
    return True
