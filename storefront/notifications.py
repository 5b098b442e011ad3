"""E-mails about orders, in Vietnamese.

The customer's order confirmation is Oscar's ORDER_PLACED communication (its templates are
translated; we send it in Vietnamese whatever the page language), built without a request so
the Stripe webhook can send it too. Each producer with lines in the order gets a new-order
notice listing only its own lines, sent to its accounts' addresses. A card payer whose
payment could not become an order is told it was refunded, and why.

These functions send at once; the site calls them only from the task worker's tasks
(storefront/tasks.py), queued after the order's transaction commits.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from oscar.core.loading import get_class

from catalog.models import Producer

logger = logging.getLogger(__name__)


def confirm_to_customer(order):
    OrderDispatcher = get_class("order.utils", "OrderDispatcher")
    context = {"user": order.user, "order": order, "lines": order.lines.all(), "request": None}
    try:
        if order.user_id:
            context["status_path"] = reverse("customer:order", kwargs={"order_number": order.number})
        else:
            context["status_path"] = reverse(
                "customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()}
            )
    except NoReverseMatch:
        pass
    with translation.override("vi"):
        OrderDispatcher(logger=logger).send_order_placed_email_for_user(order, context)


def card_refunded(email, order_number, amount, reason):
    """Tell a card payer that the payment for `order_number` was refunded, and why."""
    if not email:
        logger.warning("Order %s: refunded, but no e-mail address to tell the customer", order_number)
        return
    context = {"order_number": order_number, "amount": amount, "reason": reason}
    with translation.override("vi"):
        subject = render_to_string("storefront/emails/card_refunded_subject.txt", context).strip()
        body = render_to_string("storefront/emails/card_refunded_body.txt", context)
    send_mail(subject, body, settings.OSCAR_FROM_EMAIL, [email])


def producer_recipients(producer):
    if producer.group_id is None:
        return []
    return sorted({u.email for u in producer.group.user_set.filter(is_active=True) if u.email})


def notify_producers(order):
    partner_ids = set(order.lines.values_list("partner_id", flat=True))
    producers = Producer.objects.filter(partner__in=partner_ids).select_related("group", "partner")
    with translation.override("vi"):
        for producer in producers:
            recipients = producer_recipients(producer)
            if not recipients:
                logger.warning("Order %s: producer %s has no account with an e-mail", order.number, producer.pk)
                continue
            context = {
                "order": order,
                "producer": producer,
                "lines": order.lines.filter(partner_id=producer.partner.pk),
                "orders_path": reverse("producer-orders"),
            }
            subject = render_to_string("storefront/emails/producer_new_order_subject.txt", context).strip()
            body = render_to_string("storefront/emails/producer_new_order_body.txt", context)
            send_mail(subject, body, settings.OSCAR_FROM_EMAIL, recipients)
