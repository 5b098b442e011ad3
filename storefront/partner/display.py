"""What the site's pages show of the shop: whether a product can be bought, at what price,
how many are left, and the header's basket count.

A product's answer is the partner strategy's (strategy.py), asked for the page's stock
record. Both reach the templates through the shop's template tags (templatetags/shop_tags.py),
so the pages (cms) never import the shop.
"""

from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_class, get_model

from catalog.prepared import prepared

Selector = get_class("partner.strategy", "Selector")
StockRecord = get_model("partner", "StockRecord")


@dataclass
class PurchaseInfo:
    """The strategy's verdict on buying one unit of the product, with the words to show."""

    product: object
    availability: object
    price: object

    @property
    def can_buy(self):
        return bool(self.availability) and self.availability.is_purchase_permitted(1)[0]

    @property
    def reason(self):
        """Why it cannot be bought (Vietnamese), empty when it can."""
        if self.availability is None:
            return _("This product is not on sale.")
        permitted, reason = self.availability.is_purchase_permitted(1)
        return "" if permitted else reason

    @property
    def num_available(self):
        return getattr(self.availability, "num_available", None)

    @property
    def out_of_stock(self):
        """Certified and live but no stock: the one state a shopper may wait for."""
        return not self.can_buy and self.num_available is not None and self.num_available <= 0

    @property
    def schema_availability(self):
        if self.can_buy:
            return "https://schema.org/InStock"
        if self.out_of_stock:
            return "https://schema.org/OutOfStock"
        return "https://schema.org/Discontinued"


@prepared
def _stockrecord_of(page_id):
    """The stock record that sells a page's product, with the product."""
    return StockRecord.objects.select_related("product").filter(page_id=page_id).order_by("pk")[:1]


def purchase_info(page, request=None):
    """Ask the partner strategy about the page's product (1 query: stock record + product).

    Kept on the page object, so the page body and its JSON-LD offer ask once.
    """
    cached = getattr(page, "_ocop_purchase_info", None)
    if cached is not None:
        return cached
    found = _stockrecord_of(page.pk) if page.pk else []
    stockrecord = found[0] if found else None
    if stockrecord is None:
        info = PurchaseInfo(product=None, availability=None, price=None)
    else:
        product = stockrecord.product
        # The strategy reads stockrecord.page: this very page (and its loaded certificate).
        stockrecord.page = page
        selected = Selector().strategy(request=request).fetch_for_product(product, stockrecord=stockrecord)
        info = PurchaseInfo(product=product, availability=selected.availability, price=selected.price)
    page._ocop_purchase_info = info
    return info


def basket_item_count(request):
    """Units in the visitor's open basket, for the header link.

    No query for a visitor without a basket (Oscar's middleware gives an unsaved Basket), none when
    the page has already loaded the basket's lines (basket and checkout pages), otherwise one
    aggregate (plus Oscar's own basket look-up).
    """
    basket = getattr(request, "basket", None)
    if basket is None or basket.id is None:
        return 0
    lines = getattr(basket, "_lines", None)
    if lines is not None:
        return sum(line.quantity for line in lines)
    return basket.lines.aggregate(total=Sum("quantity"))["total"] or 0


def product_page(product):
    """The live OCOP product page that sells `product` (its stock record names it), or None:
    the one page a shopper should land on for a product, never Oscar's bare product page."""
    if product is None or not getattr(product, "pk", None):
        return None
    stockrecord = (
        StockRecord.objects.select_related("page")
        .filter(product_id=product.pk, page__isnull=False, page__live=True)
        .order_by("pk")
        .first()
    )
    return stockrecord.page if stockrecord is not None else None


def product_page_url(product, request=None):
    """The URL of `product`'s OCOP page in the active language, or "" when it has none live."""
    page = product_page(product)
    return (page.get_url(request) or "") if page is not None else ""
