"""E-mails about orders, in Vietnamese.

The customer's order confirmation is Oscar's ORDER_PLACED communication (its templates are
translated; we send it in Vietnamese whatever the page language). Each producer with lines
in the order gets a new-order notice listing only its own lines, sent to its accounts'
addresses.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from catalog.models import Producer

logger = logging.getLogger(__name__)


def producer_recipients(producer):
    if producer.group_id is None:
        return []
    return sorted({u.email for u in producer.group.user_set.filter(is_active=True) if u.email})


def notify_producers(order):
    partner_ids = set(order.lines.values_list("partner_id", flat=True))
    producers = Producer.objects.filter(partner_id__in=partner_ids).select_related("group")
    with translation.override("vi"):
        for producer in producers:
            recipients = producer_recipients(producer)
            if not recipients:
                logger.warning("Order %s: producer %s has no account with an e-mail", order.number, producer.pk)
                continue
            context = {
                "order": order,
                "producer": producer,
                "lines": order.lines.filter(partner_id=producer.partner_id),
                "orders_path": reverse("producer-orders"),
            }
            subject = render_to_string("storefront/emails/producer_new_order_subject.txt", context).strip()
            body = render_to_string("storefront/emails/producer_new_order_body.txt", context)
            send_mail(subject, body, settings.OSCAR_FROM_EMAIL, recipients)
