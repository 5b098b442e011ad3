"""The transaction log: one StripePayment per PaymentIntent, one StripeEvent per webhook event.

StripeEvent.event_id is unique: it is how a replayed or duplicated delivery is recognised
and skipped. StripePayment remembers the `created` time of the last event applied to it,
so that events arriving out of order never move a payment backwards (see `accepts`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Progress of an intent, in the order Stripe moves it forwards.
RANK = {
    "requires_payment_method": 0,
    "requires_confirmation": 0,
    "requires_action": 0,
    "processing": 1,
    "requires_capture": 1,
    "succeeded": 2,
}
# Once here nothing moves the payment: Stripe never takes a succeeded or canceled intent
# anywhere else (refunds are recorded against the charge, not the intent).
FINAL_STATUSES = frozenset({"succeeded", "canceled"})


class StripePayment(models.Model):
    """A PaymentIntent started for an order, and where its payment stands."""

    class Status(models.TextChoices):
        REQUIRES_PAYMENT_METHOD = "requires_payment_method", _("Awaiting card")
        REQUIRES_CONFIRMATION = "requires_confirmation", _("Awaiting confirmation")
        REQUIRES_ACTION = "requires_action", _("Awaiting authentication")
        PROCESSING = "processing", _("Processing")
        REQUIRES_CAPTURE = "requires_capture", _("Awaiting capture")
        SUCCEEDED = "succeeded", _("Paid")
        FAILED = "failed", _("Failed")
        CANCELED = "canceled", _("Canceled")

    order_number = models.CharField(_("order number"), max_length=128, db_index=True)
    basket_id = models.PositiveBigIntegerField(_("basket id"), null=True, blank=True)
    intent_id = models.CharField(_("PaymentIntent id"), max_length=255, unique=True)
    amount = models.PositiveBigIntegerField(
        _("amount"), help_text=_("In the currency's smallest unit: whole đồng for VND.")
    )
    currency = models.CharField(_("currency"), max_length=3)
    status = models.CharField(_("status"), max_length=32, choices=Status.choices)
    last_event_created = models.DateTimeField(_("created time of the last event applied"), null=True, blank=True)
    date_created = models.DateTimeField(auto_now_add=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stripe payment")
        verbose_name_plural = _("Stripe payments")
        ordering = ["-date_created"]

    def __str__(self):
        return f"{self.intent_id} ({self.order_number}: {self.status})"

    def accepts(self, status, created):
        """Whether an event bringing `status`, created at `created`, may change this payment.

        - an event older than the last one applied is ignored, whatever it says;
        - succeeded and canceled are final;
        - failed and canceled apply when not older (so never over a success); a failed
          payment can still move on, because Stripe lets the customer retry the same intent;
        - otherwise only forwards: requires_* < processing < succeeded.
        """
        if status == self.status:
            return False
        if self.last_event_created is not None and created < self.last_event_created:
            return False
        if self.status in FINAL_STATUSES:
            return False
        if status in ("failed", "canceled") or self.status == "failed":
            return True
        return RANK.get(status, 0) > RANK.get(self.status, 0)


class StripeEvent(models.Model):
    """A webhook event as received; processed_at is set once it has been applied."""

    event_id = models.CharField(_("event id"), max_length=255, unique=True)
    type = models.CharField(_("type"), max_length=128)
    created = models.DateTimeField(_("created at Stripe"))
    payload = models.JSONField(_("payload"))
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        verbose_name_plural = _("Stripe events")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.event_id} {self.type}"
