"""What the shop tells the page editor (cms.models.ShopStockPanel calls the hook; cms never
imports the shop): the product's stock record as the shop keeps it."""

from django.db.models import Sum
from oscar.core.loading import get_model
from wagtail import hooks

from storefront.partner.sync import stockrecord_for

Line = get_model("order", "Line")


@hooks.register("ocop_product_shop_stock")
def shop_stock(page):
    """In stock now, held for orders not yet shipped, and sold (shipped or delivered), or None
    before the page was first published to the shop."""
    record = stockrecord_for(page)
    if record is None:
        return None
    sold = (
        Line.objects.filter(stockrecord=record, status__in=("shipped", "delivered")).aggregate(n=Sum("quantity"))["n"]
        or 0
    )
    return {
        "num_in_stock": record.num_in_stock or 0,
        "num_allocated": record.num_allocated or 0,
        "available": record.net_stock_level,
        "sold": sold,
        "page_stock": record.page_stock,
    }
