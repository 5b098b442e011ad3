"""The Oscar-shaped calls: what the checkout and the webhook view use.

- start_payment(order_number, total): create the PaymentIntent, log it, and hand the
  client_secret to the payment page (Stripe.js confirms the card in the browser);
- handle_event(event): apply a verified webhook event, once, never backwards;
- paid_payment_for(order_number): the succeeded payment of an order, if any.

How the checkout fork (storefront/checkout, PaymentDetailsView) is meant to use it:
1. offer the method only when availability.is_enabled();
2. on the payment page: `start = start_payment(order_number, order_total.incl_tax,
   basket_id=basket.id)` with the number from OrderNumberGenerator, and render
   `start.client_secret` with OCOP_STRIPE_PUBLISHABLE_KEY for Stripe.js
   (`stripe.confirmCardPayment`);
3. in handle_payment: `payment = paid_payment_for(order_number)`, or
   `gateway.retrieve_payment_intent(intent_id).status == "succeeded"` when the customer
   returns before the webhook; raise UnableToTakePayment if not paid; then
   `self.add_payment_source(...)`/`add_payment_event(...)` or, after the order exists,
   hooks.record_payment(order, intent_id, amount, currency) (idempotent with the webhook's);
4. for a customer who paid and closed the tab, OCOP_STRIPE_ON_PAID is where to place the
   order from the intent's metadata (order_number, basket_id); the default only records
   the payment on an order that already exists.
"""

import dataclasses
import datetime
import logging

import stripe
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from . import availability, gateway
from .models import StripeEvent, StripePayment

PaymentError = get_class("payment.exceptions", "PaymentError")
InvalidAmount = gateway.InvalidAmount

logger = logging.getLogger(__name__)

# The intent statuses our log follows, by event type.
EVENT_STATUS = {
    "payment_intent.created": StripePayment.Status.REQUIRES_PAYMENT_METHOD,
    "payment_intent.requires_action": StripePayment.Status.REQUIRES_ACTION,
    "payment_intent.processing": StripePayment.Status.PROCESSING,
    "payment_intent.amount_capturable_updated": StripePayment.Status.REQUIRES_CAPTURE,
    "payment_intent.succeeded": StripePayment.Status.SUCCEEDED,
    "payment_intent.payment_failed": StripePayment.Status.FAILED,
    "payment_intent.canceled": StripePayment.Status.CANCELED,
}

# What handle_event did.
PROCESSED = "processed"  # the payment moved
DUPLICATE = "duplicate"  # this event id was already processed: nothing done
STALE = "stale"  # older, or not a step forward: recorded, the payment left as it was
IGNORED = "ignored"  # a type we don't follow, or an intent that isn't ours


@dataclasses.dataclass(frozen=True)
class PaymentStart:
    intent_id: str
    client_secret: str
    amount: int  # smallest unit (whole đồng)
    currency: str


def start_payment(order_number, total, currency="VND", basket_id=None):
    """Create a PaymentIntent for an order's total (Decimal/int, major units).

    Raises InvalidAmount for a total Stripe cannot charge exactly (a fraction of a đồng),
    PaymentError when Stripe is not configured or refuses.
    """
    if not availability.is_enabled():
        raise PaymentError(_("Card payment is not available."))
    try:
        intent = gateway.create_payment_intent(order_number, total, currency, basket_id=basket_id)
    except stripe.StripeError as exc:
        logger.warning("Stripe refused a PaymentIntent for order %s: %s", order_number, exc)
        raise PaymentError(_("Card payment could not be started. Please try again.")) from exc
    # A retried request may return an intent the webhook already moved on: keep its log.
    StripePayment.objects.get_or_create(
        intent_id=intent.id,
        defaults={
            "order_number": str(order_number),
            "basket_id": basket_id,
            "amount": intent.amount,
            "currency": intent.currency,
            "status": intent.status,
        },
    )
    return PaymentStart(intent.id, intent.client_secret, intent.amount, intent.currency)


def paid_payment_for(order_number):
    """The succeeded StripePayment of an order, or None."""
    return StripePayment.objects.filter(order_number=str(order_number), status=StripePayment.Status.SUCCEEDED).first()


def _as_dict(event):
    return event.to_dict() if hasattr(event, "to_dict") else dict(event)


def _created(event):
    return datetime.datetime.fromtimestamp(int(event["created"]), tz=datetime.UTC)


def handle_event(event):
    """Apply a verified webhook event (a stripe.Event or its dict); return what was done.

    Idempotent: the event id is unique in StripeEvent, and the event row is locked while
    it is applied, so a replayed or concurrently duplicated delivery changes nothing.
    """
    event = _as_dict(event)
    with transaction.atomic():
        record = StripeEvent.objects.get_or_create(
            event_id=event["id"],
            defaults={"type": event["type"], "created": _created(event), "payload": event},
        )[0]
        record = StripeEvent.objects.select_for_update().get(pk=record.pk)
        if record.processed_at is not None:
            return DUPLICATE
        outcome = _apply(event)
        record.processed_at = timezone.now()
        record.save(update_fields=["processed_at"])
    logger.info("Stripe event %s (%s): %s", event["id"], event["type"], outcome)
    return outcome


def _apply(event):
    status = EVENT_STATUS.get(event["type"])
    intent = event["data"]["object"]
    if status is None or intent.get("object") != "payment_intent":
        return IGNORED
    order_number = (intent.get("metadata") or {}).get("order_number")
    payment = StripePayment.objects.filter(intent_id=intent["id"]).first()
    if payment is None:
        if not order_number:
            logger.warning("Stripe event %s: intent %s has no order number", event["id"], intent["id"])
            return IGNORED
        # Not started here (or the log was lost): the intent's metadata says whose it is.
        basket_id = (intent.get("metadata") or {}).get("basket_id")
        payment = StripePayment.objects.get_or_create(
            intent_id=intent["id"],
            defaults={
                "order_number": order_number,
                "basket_id": int(basket_id) if basket_id and str(basket_id).isdigit() else None,
                "amount": intent["amount"],
                "currency": intent["currency"],
                "status": StripePayment.Status.REQUIRES_PAYMENT_METHOD,
            },
        )[0]
    payment = StripePayment.objects.select_for_update().get(pk=payment.pk)

    created = _created(event)
    if not payment.accepts(status, created):
        return STALE
    became_paid = status == StripePayment.Status.SUCCEEDED
    payment.status = status
    payment.last_event_created = created
    payment.save(update_fields=["status", "last_event_created", "date_updated"])
    if became_paid:
        import_string(settings.OCOP_STRIPE_ON_PAID)(payment.order_number, intent)
    return PROCESSED
