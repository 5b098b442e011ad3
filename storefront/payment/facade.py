"""Payment methods in Oscar's terms: sources, transactions and payment events.

The domestic methods take no money at checkout:
- cash on delivery ("cod"): the order is placed unpaid, the courier collects the cash;
- bank transfer by VietQR ("vietqr"): the order is placed unpaid with its own payload
  (vietqr.py), kept as the payment source's reference so the QR shown later is exactly the
  one issued, whatever happens to the settings.

Either way the order gets one Source for its total (amount_allocated) and a "placed" event.
Marking it paid, by an official or by a producer for its own lines, records a debit
Transaction on the source and a "paid" PaymentEvent naming the lines it covers; the order is
paid when the source's debits reach its total. Stripe ("stripe", only when its keys are
set) takes the money at checkout: storefront/stripe_payment, wired in storefront/checkout;
its payment is recorded with the same source type ("stripe") and the same "paid" event,
covering every line (record_paid_event).

PAID is the one name of the "paid" event type, whoever records it: paid_lines() and the
producers' order pages read it. Migration 0006 renamed Stripe's old "Paid" events to it.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from storefront import access
from storefront.payment import vietqr
from storefront.stripe_payment import availability

Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventQuantity = get_model("order", "PaymentEventQuantity")

COD, VIETQR, STRIPE = "cod", "vietqr", "stripe"
METHOD_NAMES = {
    COD: _("Cash on delivery"),
    VIETQR: _("Bank transfer by VietQR"),
    STRIPE: _("International card (Stripe)"),
}
PLACED, PAID = "placed", "paid"  # PaymentEventType names
EVENT_LABELS = {PLACED: _("Awaiting payment"), PAID: _("Paid")}


def available_methods():
    """(code, name) of the methods offered at checkout, in the order shown."""
    codes = [COD] + ([VIETQR] if settings.OCOP_VIETQR_ENABLED else [])
    if availability.is_enabled():
        codes.append(STRIPE)
    return [(code, METHOD_NAMES[code]) for code in codes]


def shop_account():
    return vietqr.Account(
        bank_bin=settings.OCOP_VIETQR_BANK_BIN,
        number=settings.OCOP_VIETQR_ACCOUNT,
        name=settings.OCOP_VIETQR_ACCOUNT_NAME,
    )


def source_type(method):
    # The code is the stable key; the name is what the dashboard shows.
    with translation.override("vi"):
        name = str(METHOD_NAMES[method])
    source_type, _ = SourceType.objects.get_or_create(code=method, defaults={"name": name})
    return source_type


def unsaved_source(method, order_number, total):
    """The order's payment source, before the order exists (Oscar saves it with the order)."""
    amount = Decimal(total.incl_tax)
    reference = ""
    if method == VIETQR:
        reference = vietqr.payload(shop_account(), amount, vietqr.purpose_for(order_number))
    source = Source(
        source_type=source_type(method), currency=total.currency, amount_allocated=amount, reference=reference
    )
    return source


def source_for(order):
    return order.sources.select_related("source_type").first()


@dataclass
class VietQR:
    payload: str
    svg: str
    amount: Decimal
    account: vietqr.Account
    purpose: str


def vietqr_for(order):
    """What the customer needs to pay the order by transfer, or None for other methods."""
    source = source_for(order)
    if source is None or source.source_type.code != VIETQR or not source.reference:
        return None
    return VietQR(
        payload=source.reference,
        svg=vietqr.svg(source.reference),
        amount=source.amount_allocated,
        account=shop_account(),
        purpose=vietqr.purpose_for(order.number),
    )


def paid_lines(order):
    return order.lines.filter(payment_event_quantities__event__event_type__name=PAID).distinct()


def source_paid(source):
    """Whether the order's payment source (None: no payment yet) is debited in full."""
    return source is not None and source.amount_debited >= source.amount_allocated


def is_paid(order):
    return source_paid(source_for(order))


def lines_user_may_mark_paid(order, user):
    """Officials and superusers may settle the whole order; a producer only its own lines."""
    lines = order.lines.all()
    if not access.is_staff_for_orders(user):
        lines = lines.filter(partner_id__in=access.partner_ids_of(user))
    return lines


def settlement(order, user, source=None):
    """(lines, amount) that mark_paid would record for `user` now: ([], 0) when nothing is left.

    The debit is the lines' value; whoever settles the last unpaid lines settles the rest
    of the order (shipping) with them."""
    source = source or source_for(order)
    if source is None:
        return [], Decimal(0)
    already = set(paid_lines(order).values_list("pk", flat=True))
    lines = [line for line in lines_user_may_mark_paid(order, user) if line.pk not in already]
    if not lines:
        return [], Decimal(0)
    remaining = order.lines.exclude(pk__in=already | {line.pk for line in lines}).exists()
    amount = sum((line.line_price_incl_tax for line in lines), Decimal(0))
    if not remaining:
        amount = source.amount_allocated - source.amount_debited
    return lines, amount


@transaction.atomic
def mark_paid(order, user, reference=""):
    """Record payment of the lines `user` may settle that are not paid yet.

    Returns the amount recorded (0 when there was nothing left for this user to mark); what
    it covers is settlement()'s.
    """
    order = type(order).objects.select_for_update().get(pk=order.pk)
    source = order.sources.select_for_update().first()
    lines, amount = settlement(order, user, source)
    if not lines:
        return Decimal(0)
    reference = reference or f"{user.get_username()}"
    source.debit(amount, reference=reference, status="paid")
    record_paid_event(order, amount, reference, lines)
    from storefront import orders  # orders reads this module: imported here, not at the top

    orders.payment_recorded(order)  # the customer's mail, once paid in full
    return amount


def record_paid_event(order, amount, reference, lines):
    """Add the PAID PaymentEvent for `amount`, covering `lines` (each in its whole quantity).

    The lines named are what paid_lines() reports as paid; every method records its payment
    through here so that they all read the same.
    """
    event_type = PaymentEventType.objects.get_or_create(name=PAID)[0]
    event = PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount, reference=reference)
    PaymentEventQuantity.objects.bulk_create(
        PaymentEventQuantity(event=event, line=line, quantity=line.quantity) for line in lines
    )
    return event
