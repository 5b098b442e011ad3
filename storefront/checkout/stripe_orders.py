"""Card payment by Stripe in the checkout: what is kept before paying, checked when placing.

- remember(): when the payment page starts the intent, keep what the webhook will need to
  place the order without the customer's session (StripeCheckout, keyed by order number);
- paid_intent(): at "place order", whether the intent of that order number has succeeded;
  the answer is a CardPayment, which placement.place_order records on the new order;
- place_order_for_intent(): OCOP_STRIPE_ON_PAID. The customer paid and may have closed
  the tab: place the order (placement.place_order) from the basket in the intent's metadata,
  with the shipping address and method remembered, unless the order exists already; record
  the payment and send the confirmation (customer) and notices (producers).
- When the paid intent cannot become an order (stock sold meanwhile, certificate revoked,
  basket changed or gone) and our checkout started it, refund it in full through Stripe, record the refund on the
  StripeCheckout (a replayed event then refunds nothing twice; Stripe's idempotency key
  guards the call itself) and tell the customer why, in Vietnamese.

The checkout view and the webhook may both try to place the same paid order: each locks
its StripeCheckout row first (lock_objects.stripe_checkout), so one places it and the other
only records the payment on it (hooks.record_payment is idempotent).
"""

import dataclasses
import logging

import stripe
from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.core.loading import get_class, get_model

from storefront import tasks
from storefront.checkout import lock_objects, placement
from storefront.checkout.models import StripeCheckout
from storefront.payment import facade
from storefront.stripe_payment import facade as stripe_facade
from storefront.stripe_payment import gateway, hooks
from storefront.stripe_payment.models import StripePayment

logger = logging.getLogger(__name__)

UnableToPlaceOrder = get_class("order.exceptions", "UnableToPlaceOrder")
Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
SurchargeApplicator = get_class("checkout.applicator", "SurchargeApplicator")

ADDRESS_EXCLUDE = ("id", "search_text")


@dataclasses.dataclass(frozen=True)
class CardPayment:
    """A succeeded PaymentIntent, as placement.Payment: recorded once on its order."""

    intent_id: str
    amount: int  # in the currency's smallest unit, as Stripe counts it
    currency: str

    @classmethod
    def of(cls, intent):
        return cls(intent["id"], intent["amount"], intent["currency"])

    def record(self, order):
        hooks.record_payment(order, self.intent_id, self.amount, self.currency)


def remember(order_number, basket, user, guest_email, shipping_address, shipping_method):
    fields = None
    if shipping_address is not None:
        fields = model_to_dict(shipping_address, exclude=ADDRESS_EXCLUDE)
        if fields.get("phone_number") is not None:
            fields["phone_number"] = str(fields["phone_number"])
        fields["country_id"] = fields.pop("country", None)
    StripeCheckout.objects.update_or_create(
        order_number=str(order_number),
        defaults={
            "basket_id": basket.id,
            "user": user if user is not None and user.is_authenticated else None,
            "guest_email": guest_email or "",
            "shipping_address": fields,
            "shipping_method_code": shipping_method.code,
        },
    )


def client_secret_to_reuse(order_number, total):
    """The client_secret of this order's unpaid intent for `total`, if the page started one.

    A reloaded payment page then confirms the same intent rather than a second one.
    """
    try:
        minor = gateway.to_minor_units(total, "VND")
    except gateway.InvalidAmount:
        return None
    started = StripePayment.objects.filter(
        order_number=str(order_number),
        amount=minor,
        status__in=[StripePayment.Status.REQUIRES_PAYMENT_METHOD, StripePayment.Status.REQUIRES_CONFIRMATION],
    ).first()
    if started is None:
        return None
    try:
        intent = gateway.retrieve_payment_intent(started.intent_id)
    except stripe.StripeError:
        return None
    if intent.status in ("requires_payment_method", "requires_confirmation", "requires_action"):
        return intent.client_secret
    return None


def paid_intent(order_number, total):
    """The order's succeeded payment for `total`, as a CardPayment.

    Our log says so once the webhook came; before that, ask Stripe about the intent the
    payment page started. Raises UnableToTakePayment when the card was not charged.
    """
    not_paid = UnableToTakePayment(_("Your card has not been charged yet. Please enter your card and pay again."))
    refunded = StripeCheckout.objects.filter(order_number=str(order_number)).exclude(refund_id="").first()
    if refunded is not None:
        raise UnableToTakePayment(
            _("Your card payment was refunded because the order could not be placed: %(reason)s")
            % {"reason": refunded.refund_reason}
        )
    payment = stripe_facade.paid_payment_for(order_number)
    if payment is not None:
        intent_id, amount, currency = payment.intent_id, payment.amount, payment.currency
    else:
        intent = None
        for started in StripePayment.objects.filter(order_number=str(order_number)):  # newest first
            try:
                intent = gateway.retrieve_payment_intent(started.intent_id)
            except stripe.StripeError as exc:
                logger.warning("Stripe: could not retrieve intent %s: %s", started.intent_id, exc)
                continue
            if intent.status == "succeeded" and (intent.to_dict().get("metadata") or {}).get("order_number") == str(
                order_number
            ):
                break
        else:
            raise not_paid
        intent_id, amount, currency = intent.id, intent.amount, intent.currency
    if amount != gateway.to_minor_units(total.incl_tax, currency):
        logger.error("Stripe: order %s paid %s %s, its total is %s", order_number, amount, currency, total.incl_tax)
        raise UnableToTakePayment(_("The amount paid by card does not match the order total. Please contact us."))
    return CardPayment(intent_id, amount, currency)


def placed_order(checkout_session):
    """The order already placed for the card payment of this checkout session, if any."""
    number = checkout_session.get_order_number()
    if not number or checkout_session.payment_method() != facade.STRIPE:
        return None
    return Order.objects.filter(number=str(number)).first()


class CannotPlace(Exception):
    """A paid intent that cannot become an order; the message says why, for the customer."""


def place_order_for_intent(order_number, intent):
    """OCOP_STRIPE_ON_PAID: place the paid order if the checkout has not; record the payment.

    Idempotent: an order that exists only gets the payment recorded (once, by intent id); a
    payment refunded already is not refunded again.
    """
    order_number = str(order_number)
    payment = CardPayment.of(intent)
    with transaction.atomic(), translation.override("vi"):
        remembered = lock_objects.stripe_checkout(order_number)
        order = Order.objects.filter(number=order_number).first()
        if order is not None:  # the checkout placed it
            payment.record(order)
        else:
            if remembered is not None and remembered.refund_id:
                logger.info("Stripe: order %s was refunded already (%s)", order_number, remembered.refund_id)
                return False
            try:
                with transaction.atomic():
                    _place(order_number, intent, payment, remembered)
            except CannotPlace as exc:
                if remembered is None:
                    # Not a checkout of this site (no customer to tell): staff decide.
                    logger.error(
                        "Stripe payment %s for order %s succeeded, but no checkout of ours started it; "
                        "not placed, not refunded.",
                        intent["id"],
                        order_number,
                    )
                    return False
                refund(order_number, intent, remembered, str(exc))
                return False
    return True


def refund(order_number, intent, remembered, reason):
    """Refund the whole intent, record it on the checkout, tell the customer (after commit)."""
    result = gateway.refund_payment_intent(intent["id"], metadata={"order_number": order_number})
    logger.warning(
        "Stripe: order %s could not be placed (%s); payment %s refunded (%s)",
        order_number,
        reason,
        intent["id"],
        result.id,
    )
    remembered.refund_id = result.id
    remembered.refund_reason = reason
    remembered.refunded_at = timezone.now()
    remembered.save(update_fields=["refund_id", "refund_reason", "refunded_at", "date_updated"])
    email = remembered.user.email if remembered.user_id else remembered.guest_email
    amount = gateway.from_minor_units(intent["amount"], intent["currency"])
    tasks.after_commit("storefront.tasks.card_refunded", email, order_number, amount, reason)
    return result


def _place(order_number, intent, payment, remembered):
    """Place the paid order from the remembered checkout; raises CannotPlace with the reason."""
    basket_id = (intent.get("metadata") or {}).get("basket_id")
    basket = Basket.objects.filter(pk=basket_id).first() if basket_id else None
    if remembered is None or basket is None or basket.is_submitted:
        raise CannotPlace(_("your basket was not found, or it has been ordered already."))
    user = remembered.user
    basket.strategy = Selector().strategy(user=user)
    for line in basket.all_lines():
        permitted, reason = line.purchase_info.availability.is_purchase_permitted(line.quantity)
        if not permitted:
            raise CannotPlace(f"“{line.product.get_title()}”: {reason}")
    shipping_address = ShippingAddress(**remembered.shipping_address) if remembered.shipping_address else None
    methods = Repository().get_shipping_methods(basket, shipping_addr=shipping_address)
    shipping_method = next((m for m in methods if m.code == remembered.shipping_method_code), None)
    if shipping_method is None:
        raise CannotPlace(_("the delivery method chosen is no longer offered."))
    shipping_charge = shipping_method.calculate(basket)
    surcharges = SurchargeApplicator(None, {}).get_applicable_surcharges(basket, shipping_charge=shipping_charge)
    total = OrderTotalCalculator(None).calculate(basket, shipping_charge, surcharges)
    if intent["amount"] != gateway.to_minor_units(total.incl_tax, intent["currency"]):
        logger.error(
            "Stripe: order %s paid %s %s, but its basket now totals %s",
            order_number,
            intent["amount"],
            intent["currency"],
            total.incl_tax,
        )
        raise CannotPlace(_("the basket's total changed after the payment."))
    order_kwargs = {"guest_email": remembered.guest_email} if user is None and remembered.guest_email else {}
    try:
        order = placement.place_order(
            order_number=order_number,
            user=user,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            order_total=total,
            surcharges=surcharges,
            payment=payment,
            **order_kwargs,
        )
    except UnableToPlaceOrder as exc:  # out of stock under the lock
        raise CannotPlace(str(exc)) from None
    basket.submit()
    tasks.order_placed_after_commit(order)
    logger.info("Stripe: order %s placed from the webhook (intent %s)", order_number, intent["id"])
    return order
