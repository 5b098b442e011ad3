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

record_payment() writes a card payment the way the shop reads every payment
(storefront/payment/facade.py): a Source of the "stripe" source type, and the facade's
"paid" PaymentEvent naming every line of the order, so paid_lines() and is_paid() say the
same of a card order as of a cash order marked paid.
"""

import logging

from django.db import transaction
from oscar.core.loading import get_model

from storefront.payment import facade as payment_facade

from .gateway import from_minor_units

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Source = get_model("payment", "Source")


@transaction.atomic
def record_payment(order, intent_id, amount_minor, currency):
    """Record the succeeded intent on `order`: its Stripe Source, debited in full, and a
    "paid" PaymentEvent covering every line. Once per intent.

    Idempotent (keyed on the intent id as reference, under a lock on the order row), so the
    checkout and the webhook may both call it, even at the same moment.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    amount = from_minor_units(amount_minor, currency)
    Source.objects.get_or_create(
        order=order,
        source_type=payment_facade.source_type(payment_facade.STRIPE),
        reference=intent_id,
        defaults={"currency": currency.upper(), "amount_allocated": amount, "amount_debited": amount},
    )
    recorded = order.payment_events.filter(event_type__name=payment_facade.PAID, reference=intent_id)
    if not recorded.exists():
        payment_facade.record_paid_event(order, amount, intent_id, order.lines.all())


def mark_order_paid(order_number, intent):
    """Minimal OCOP_STRIPE_ON_PAID: record the payment on the order, if the order exists."""
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
