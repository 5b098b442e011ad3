"""Who may buy what, at what price: Oscar sells only certified OCOP products.

A product may be bought when the ProductPage its stock record sells is live, its register
product is certified (the rule of catalog/rules.py: a certificate in force rated 3★ or more)
and the stock record has stock. Prices are in VND and include tax: no tax is added.
This is the one place the rule is applied to selling; every Oscar path (basket, checkout)
asks the strategy.
"""

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner import strategy
from oscar.core.loading import get_class

from catalog import rules

Unavailable = get_class("partner.availability", "Unavailable")
StockRequiredAvailability = get_class("partner.availability", "StockRequired")


class NotForSale(Unavailable):
    """Refused whatever the quantity, with the reason shown to the buyer."""

    def __init__(self, reason):
        self.reason = reason

    @property
    def message(self):
        return self.reason

    def is_purchase_permitted(self, quantity):
        return False, self.reason


class CertifiedStockRequired(StockRequiredAvailability):
    """In stock, with our own words for "out of stock"."""

    def is_purchase_permitted(self, quantity):
        if self.num_available <= 0:
            return False, _("This product is out of stock.")
        return super().is_purchase_permitted(quantity)


def refusal(stockrecord):
    """Why the stock record's product may not be sold, or None when it may."""
    page = stockrecord.page
    if page is None or not page.live:
        return _("This product is not on sale.")
    if page.is_certified:
        return None
    certificate = page.current_certificate
    status = certificate.status() if certificate else None
    if status == rules.Status.REVOKED:
        return _("This product's OCOP certificate has been revoked; it cannot be sold.")
    if status == rules.Status.EXPIRED:
        return _("This product's OCOP certificate has expired; it cannot be sold.")
    return _("This product is not OCOP certified (%(stars)d stars or more); it cannot be sold.") % {
        "stars": settings.OCOP_MIN_CERTIFIED_STARS
    }


class CertifiedOnly:
    """Availability mixin: certified, live, then in stock."""

    def availability_policy(self, product, stockrecord):
        if not stockrecord:
            return Unavailable()
        reason = refusal(stockrecord)
        if reason:
            return NotForSale(reason)
        return CertifiedStockRequired(stockrecord.net_stock_level)

    def parent_availability_policy(self, product, children_stock):
        # Our products are standalone; a parent is never bought itself.
        return Unavailable()


class OCOPStrategy(strategy.UseFirstStockRecord, CertifiedOnly, strategy.NoTax, strategy.Structured):
    """One stock record per product (the producer's), VND prices including tax."""


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return OCOPStrategy(request)
