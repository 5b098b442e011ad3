"""What the checkout remembers about a Stripe payment before the order exists.

A customer who pays by card and closes the tab has no order yet: the webhook places it
(stripe_orders.place_order_for_intent) from the frozen basket, and needs the shipping
address and method chosen in the checkout session, which it cannot see. They are written
here, keyed by the reserved order number, when the payment page starts the intent.

A paid intent that cannot become an order (stock sold meanwhile, certificate revoked, basket
changed) is refunded; the refund is recorded here so a replayed event refunds nothing twice
and the number is not reused.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StripeCheckout(models.Model):
    order_number = models.CharField(_("order number"), max_length=128, unique=True)
    basket_id = models.PositiveBigIntegerField(_("basket id"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    guest_email = models.EmailField(_("guest e-mail"), blank=True)
    shipping_address = models.JSONField(_("shipping address"), null=True, blank=True)
    shipping_method_code = models.CharField(_("shipping method"), max_length=128)
    refund_id = models.CharField(_("Stripe refund id"), max_length=255, blank=True)
    refund_reason = models.TextField(_("why the payment was refunded"), blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Stripe checkout")
        verbose_name_plural = _("Stripe checkouts")

    def __str__(self):
        return self.order_number
