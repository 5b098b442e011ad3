"""How much delivery costs: priced by weight and by how far each parcel goes.

Each producer sends its own parcel. A parcel's zone is where it goes from the producer's
province: "province" (the same province), "region" (another province of the same region)
or "country" (another region); regions group the current provinces by code
(OCOP_SHIPPING_REGIONS, North / Central and Central Highlands / South). Each zone has a
price for the first kilogram and one per further started kilogram (OCOP_SHIPPING_RATES,
whole đồng, VAT included). Until the address is known (the basket page's estimate) parcels
are priced at the "country" rate, the most a customer may pay.

The weight of a line is its product page's net weight (grams) times the quantity; a product
without a weight counts as OCOP_SHIPPING_DEFAULT_WEIGHT_G. Baskets worth
OCOP_FREE_SHIPPING_THRESHOLD or more ship free. Baskets of tourism services only (group 6:
their product class does not require shipping) never reach this: Oscar skips the shipping
steps for them and uses NoShippingRequired; a service line in a mixed basket weighs nothing.
"""

import math
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.core import prices

from catalog.models import Producer, Province

PROVINCE, REGION, COUNTRY = "province", "region", "country"


def line_weight_grams(line):
    if not line.product.get_product_class().requires_shipping:
        return 0
    page = line.stockrecord.page if line.stockrecord_id else None
    grams = page.net_weight if page is not None else None
    return (grams or settings.OCOP_SHIPPING_DEFAULT_WEIGHT_G) * line.quantity


def basket_weight_grams(basket):
    return sum(line_weight_grams(line) for line in basket.all_lines())


def region_of(province_code):
    for region, codes in settings.OCOP_SHIPPING_REGIONS.items():
        if province_code in codes:
            return region
    return None


def zone(origin_code, destination_code):
    """PROVINCE, REGION or COUNTRY for a parcel between two province codes (None: unknown)."""
    if origin_code is None or destination_code is None:
        return COUNTRY
    if origin_code == destination_code:
        return PROVINCE
    origin = region_of(origin_code)
    if origin is not None and origin == region_of(destination_code):
        return REGION
    return COUNTRY


def parcel_charge(weight_grams, zone_name):
    """The charge in whole đồng for one parcel of `weight_grams` sent within `zone_name`."""
    if weight_grams <= 0:
        return 0
    rate = settings.OCOP_SHIPPING_RATES[zone_name]
    extra_kg = max(0, math.ceil(weight_grams / 1000) - 1)
    return rate["first_kg"] + extra_kg * rate["per_kg"]


def destination_code(address):
    """The province code of a shipping address (its `state` holds the province's name)."""
    if address is None or not getattr(address, "state", ""):
        return None
    return Province.objects.filter(name=address.state).values_list("code", flat=True).first()


def parcels(basket):
    """{origin province code (None if unknown): weight in grams}, one parcel per producer
    merged by province (the same producer's lines always travel together)."""
    partner_ids = {line.stockrecord.partner_id for line in basket.all_lines() if line.stockrecord_id}
    origins = dict(Producer.objects.filter(partner__in=partner_ids).values_list("partner__id", "province__code"))
    by_producer = {}
    for line in basket.all_lines():
        partner_id = line.stockrecord.partner_id if line.stockrecord_id else None
        by_producer[partner_id] = by_producer.get(partner_id, 0) + line_weight_grams(line)
    return [(origins.get(partner_id), grams) for partner_id, grams in by_producer.items()]


def charge_for_basket(basket, destination, goods_total):
    """The delivery charge in whole đồng for `basket` to the province code `destination`."""
    if goods_total >= settings.OCOP_FREE_SHIPPING_THRESHOLD:
        return 0
    return sum(parcel_charge(grams, zone(origin, destination)) for origin, grams in parcels(basket))


class FlatRateByWeight(methods.Base):
    """Standard delivery to `shipping_addr` (None: not known yet)."""

    code = "giao-hang-tieu-chuan"
    name = _("Standard delivery")

    def __init__(self, shipping_addr=None):
        self.shipping_addr = shipping_addr

    @property
    def description(self):
        return _(
            "Priced by weight and distance, one parcel per producer. Free for orders of %(threshold)s or more."
        ) % {"threshold": f"{settings.OCOP_FREE_SHIPPING_THRESHOLD:,}".replace(",", ".") + "\u00a0₫"}

    def calculate(self, basket):
        charge = Decimal(charge_for_basket(basket, destination_code(self.shipping_addr), basket.total_incl_tax))
        return prices.Price(currency=basket.currency, excl_tax=charge, incl_tax=charge)
