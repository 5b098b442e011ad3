"""An order as its customer follows it: its steps, its payment, its mails, its cancellation.

- steps(order): the step view (placed → paid or awaiting payment → processing → shipped →
  delivered, or cancelled), each step done, current or to come;
- payment_state(order): where the payment stands, in words;
- the customer's mail at each step: an order that reaches processing, shipped, delivered
  or cancelled, and a transfer or cash payment recorded in full (payment.facade.mark_paid),
  queues one task after the transaction commits (storefront.tasks.order_update); the task
  sends through Oscar's OrderDispatcher and records a CommunicationEvent of the step's type,
  and sends nothing when that event exists already: one mail per step, however often the
  task runs. The order's status only moves forwards, so each step happens once.
- cancel(order, user, reason): the customer's own cancellation before anything has
  shipped, in one transaction: every line and the order become "cancelled" (Oscar's status
  change, with an order note producers and officials read), the stock allocations are
  released, and the payment is undone: a card payment is refunded through Stripe, a
  transfer already received is marked "to refund" for the producer or the office, cash on
  delivery needs nothing.

Status changes reach here through Oscar's order_status_changed signal (receiver below):
Order.set_status (the back office's set_status, cancel()) and the roll-up of a producer's
line moves (storefront/producer/actions.roll_up_order_status) both send it.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.sites.models import Site
from django.db import transaction
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_class, get_model

from storefront import statuses, tasks
from storefront.payment import facade
from storefront.producer import actions
from storefront.stripe_payment import gateway

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
PaymentEventType = get_model("order", "PaymentEventType")
PaymentEvent = get_model("order", "PaymentEvent")
CommunicationEvent = get_model("order", "CommunicationEvent")
CommunicationEventType = get_model("communication", "CommunicationEventType")

PENDING, PROCESSING, SHIPPED, DELIVERED, CANCELLED = "pending", "processing", "shipped", "delivered", "cancelled"
CANCELLABLE = (PENDING, PROCESSING)
REFUNDED, TO_REFUND = "refunded", "to refund"  # PaymentEventType names beside facade's

# The customer's mails, by step: the CommunicationEventType code of each.
PAID_CODE = "ORDER_PAID"
MAILED_STATUSES = (PROCESSING, SHIPPED, DELIVERED, CANCELLED)
LANGUAGES = ("vi", "en")


def mail_code(status):
    return f"ORDER_{status.upper()}"


# --- What the customer reads ---------------------------------------------------------------


@dataclass
class Step:
    label: str
    state: str  # "done", "current" or "todo"


def steps(order):
    """The order's steps as the customer follows them."""
    paid = facade.is_paid(order)
    source = facade.source_for(order)
    paid_label = _("Paid") if paid or source is None else _("Awaiting payment")
    if source is not None and source.source_type.code == facade.COD and not paid:
        paid_label = _("Pay on delivery")
    if order.status == CANCELLED:
        return [Step(_("Order placed"), "done"), Step(statuses.label(CANCELLED), "current")]
    reached = [PENDING, PROCESSING, SHIPPED, DELIVERED].index(order.status) if order.status in statuses.LABELS else 0
    result = [Step(_("Order placed"), "done")]
    for index, status in enumerate((PROCESSING, SHIPPED, DELIVERED), start=1):
        state = "done" if index < reached else "current" if index == reached else "todo"
        if status == DELIVERED and index == reached:
            state = "done"
        result.append(Step(statuses.label(status), state))
    # Cash is paid to the courier: that step comes before delivery, any other payment first.
    cash = source is not None and source.source_type.code == facade.COD
    result.insert(len(result) - 1 if cash else 1, Step(paid_label, "done" if paid else "todo"))
    return result


def payment_method(order):
    source = facade.source_for(order)
    if source is None:
        return ""
    name = facade.METHOD_NAMES.get(source.source_type.code)
    return name or source.source_type.name


def payment_state(order):
    """Where the payment stands, in words."""
    names = set(order.payment_events.values_list("event_type__name", flat=True))
    if REFUNDED in names:
        return _("Refunded")
    if TO_REFUND in names:
        return _("Paid; to be refunded")
    if facade.is_paid(order):
        return _("Paid")
    if order.status == CANCELLED:
        return _("Not paid; nothing to pay")
    source = facade.source_for(order)
    if source is not None and source.source_type.code == facade.COD:
        return _("To be paid in cash on delivery")
    return _("Awaiting payment")


def refusal(order):
    """Why the customer may not cancel the order, or "" when they may."""
    if order.status == CANCELLED:
        return _("Order %(number)s is already cancelled.") % {"number": order.number}
    if order.status not in CANCELLABLE or order.lines.filter(status__in=(SHIPPED, DELIVERED)).exists():
        return _(
            "Order %(number)s has already been shipped and can no longer be cancelled. Please contact the producer."
        ) % {"number": order.number}
    return ""


def can_cancel(order):
    return not refusal(order)


# --- Cancellation ----------------------------------------------------------------------------


class CannotCancel(Exception):
    """The order cannot be cancelled; the message says why, for the customer."""


@transaction.atomic
def cancel(order, user, reason=""):
    """Cancel the customer's order; raises CannotCancel (nothing changed) when it may not be.

    The card refund is asked for last, so that a refusal by Stripe (StripeError) undoes the
    rest; Stripe's idempotency key makes a repeated call return the same refund.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    refused = refusal(order)
    if refused:
        raise CannotCancel(refused)
    # The lines with it, their stock allocations released, Oscar's OrderStatusChange and
    # signal (the mail: receiver below), and a note naming the customer.
    order = actions.set_status(order, CANCELLED, user)
    with translation.override("vi"):
        note = _("Cancelled by the customer.")
        if reason.strip():
            note += " " + _("Reason: %(reason)s") % {"reason": reason.strip()}
        note += " " + _undo_payment(order)
    OrderNote.objects.create(order=order, user=user, note_type=OrderNote.SYSTEM, message=note)
    return order


def _undo_payment(order):
    """Undo the order's payment; returns what was done, for the order note."""
    source = order.sources.select_for_update().select_related("source_type").first()
    paid = source.amount_debited - source.amount_refunded if source is not None else Decimal(0)
    if source is None or paid <= 0:
        return _("Nothing had been paid.")
    if source.source_type.code == facade.STRIPE:
        refund = gateway.refund_payment_intent(source.reference, metadata={"order_number": order.number})
        source.refund(paid, reference=refund.id, status=refund.status)
        _payment_event(order, REFUNDED, paid, refund.id)
        logger.info("Order %s cancelled: card payment %s refunded (%s)", order.number, source.reference, refund.id)
        return _("The card payment was refunded.")
    _payment_event(order, TO_REFUND, paid, source.source_type.code)
    logger.warning("Order %s cancelled after payment by %s: to refund", order.number, source.source_type.code)
    return _("The payment received must be refunded to the customer.")


def _payment_event(order, name, amount, reference):
    event_type = PaymentEventType.objects.get_or_create(name=name)[0]
    return PaymentEvent.objects.create(order=order, event_type=event_type, amount=amount, reference=reference)


# --- The customer's mails --------------------------------------------------------------------


@receiver(order_status_changed, dispatch_uid="storefront.orders.status_changed")
def _status_changed(sender, order, old_status, new_status, **kwargs):
    if new_status in MAILED_STATUSES:
        tasks.after_commit("storefront.tasks.order_update", order.pk, mail_code(new_status))


def payment_recorded(order):
    """A payment was recorded on the order; the customer is told once it is paid in full."""
    if facade.is_paid(order):
        tasks.after_commit("storefront.tasks.order_update", order.pk, PAID_CODE)


def order_path(order):
    try:
        if order.user_id:
            return reverse("customer:order", kwargs={"order_number": order.number})
        return reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
    except NoReverseMatch:
        return ""


STEP_SUBJECTS = {
    PAID_CODE: gettext_lazy("payment received"),
    mail_code(PROCESSING): gettext_lazy("being prepared"),
    mail_code(SHIPPED): gettext_lazy("on its way"),
    mail_code(DELIVERED): gettext_lazy("delivered"),
    mail_code(CANCELLED): gettext_lazy("cancelled"),
}


STEP_STATUS = {mail_code(status): status for status in MAILED_STATUSES}


def _event_type(code):
    with translation.override("vi"):
        name = str(STEP_SUBJECTS[code])
    return CommunicationEventType.objects.get_or_create(
        code=code, defaults={"name": name, "category": CommunicationEventType.ORDER_RELATED}
    )[0]


def send_update(order_id, code):
    """Send the customer's mail of one step of the order, once (the task's body)."""
    OrderDispatcher = get_class("order.utils", "OrderDispatcher")
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order_id)
        event_type = _event_type(code)
        if CommunicationEvent.objects.filter(order=order, event_type=event_type).exists():
            logger.info("Order %s: mail %s was sent already", order.number, code)
            return False
        context = {
            "order": order,
            "code": code,
            "site": Site.objects.get_current(),
            "status_path": order_path(order),
        }
        subjects, bodies = [], []
        for language in LANGUAGES:
            with translation.override(language):
                # The step's own status: a mail sent late still tells of its step.
                step_status = STEP_STATUS.get(code, order.status)
                context.update(step=STEP_SUBJECTS[code], status=statuses.label(step_status))
                context.update(payment_state=payment_state(order))
                subjects.append(render_to_string("storefront/emails/order_update_subject.txt", context).strip())
                bodies.append(render_to_string("storefront/emails/order_update_body.txt", context).strip())
        messages = {"subject": " / ".join(subjects), "body": "\n\n----------\n\n".join(bodies), "html": "", "sms": ""}
        OrderDispatcher(logger=logger).dispatch_order_messages(order, messages, code)
    return True
