"""How much delivery costs: one flat-rate method priced by weight, free above a threshold.

The weight of a line is its product page's net weight (grams) times the quantity; a product
without a weight counts as OCOP_SHIPPING_DEFAULT_WEIGHT_G. The charge is a base price for
the first kilogram plus a price per further started kilogram, in whole đồng, VAT included.
Baskets worth OCOP_FREE_SHIPPING_THRESHOLD or more ship free. Baskets of tourism services
only (group 6: their product class does not require shipping) never reach this: Oscar skips
the shipping steps for them and uses NoShippingRequired.
"""

import math
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.core import prices


def line_weight_grams(line):
    if not line.product.get_product_class().requires_shipping:
        return 0
    try:
        grams = line.product.ocop_page.net_weight
    except ObjectDoesNotExist:
        grams = None
    return (grams or settings.OCOP_SHIPPING_DEFAULT_WEIGHT_G) * line.quantity


def basket_weight_grams(basket):
    return sum(line_weight_grams(line) for line in basket.all_lines())


def charge_for(weight_grams, goods_total):
    """The charge in whole đồng for a parcel of `weight_grams` worth `goods_total`."""
    if goods_total >= settings.OCOP_FREE_SHIPPING_THRESHOLD:
        return 0
    extra_kg = max(0, math.ceil(weight_grams / 1000) - 1)
    return settings.OCOP_SHIPPING_BASE_CHARGE + extra_kg * settings.OCOP_SHIPPING_CHARGE_PER_KG


class FlatRateByWeight(methods.Base):
    code = "giao-hang-tieu-chuan"
    name = _("Standard delivery")

    @property
    def description(self):
        return _("Free for orders of %(threshold)s or more.") % {
            "threshold": f"{settings.OCOP_FREE_SHIPPING_THRESHOLD:,}".replace(",", ".") + "\u00a0₫"
        }

    def calculate(self, basket):
        charge = Decimal(charge_for(basket_weight_grams(basket), basket.total_incl_tax))
        return prices.Price(currency=basket.currency, excl_tax=charge, incl_tax=charge)
