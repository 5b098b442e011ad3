from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StripePaymentConfig(AppConfig):
    name = "storefront.stripe_payment"
    label = "stripe_payment"
    verbose_name = _("Stripe payments")
    default_auto_field = "django.db.models.BigAutoField"
