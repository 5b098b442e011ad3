"""What a product page shows besides its fields: the gallery and whether it can be bought.

Both are computed once per page object and kept on it, so the page body, the SEO head
(cms/seo.py) and the JSON-LD read the same rows without querying again.

Whether a product can be bought is never decided here: it is the partner strategy's answer
(catalog/partner/strategy.py), asked for the page's Oscar product and stock record.
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_class, get_model
from wagtail.images import get_image_model

Selector = get_class("partner.strategy", "Selector")
StockRecord = get_model("partner", "StockRecord")

# Renditions the product page uses (template tags and prefetch must agree on the specs).
MAIN_WIDTHS = (480, 800, 1200)
MORE_WIDTHS = (320, 640)
SHARE_SPEC = "fill-1200x630|format-jpeg"  # OpenGraph / Twitter cards: JPEG is read everywhere


def webp_specs(widths):
    return [f"width-{w}|format-webp" for w in widths]


@dataclass
class GalleryItem:
    image: object
    caption: str
    first: bool


def gallery(page):
    """The main image then the gallery images, renditions prefetched (2 queries).

    A saved page's gallery rows are joined in the image query; a page being previewed keeps
    its unsaved rows in memory (modelcluster), which are read from there instead.
    """
    cached = getattr(page, "_ocop_gallery", None)
    if cached is not None:
        return cached
    specs = webp_specs(MAIN_WIDTHS) + webp_specs(MORE_WIDTHS) + [SHARE_SPEC]
    images = get_image_model().objects.prefetch_renditions(*specs)
    if "gallery_images" in getattr(page, "_cluster_related_objects", {}):
        rows = [(row.image_id, row.caption) for row in page.gallery_images.all() if row.image_id]
        found = {i.pk: i for i in images.filter(pk__in=[page.image_id] + [r[0] for r in rows])}
    else:
        from cms.models import ProductPageGalleryImage

        in_gallery = ProductPageGalleryImage.objects.filter(page_id=page.pk, image_id=OuterRef("pk"))
        found = {
            i.pk: i
            for i in images.filter(Q(pk=page.image_id) | Q(pk__in=in_gallery.values("image_id"))).annotate(
                gallery_order=Subquery(in_gallery.values("sort_order")[:1]),
                gallery_caption=Subquery(in_gallery.values("caption")[:1]),
            )
        }
        ordered = sorted(
            (i for i in found.values() if i.gallery_order is not None or i.gallery_caption is not None),
            key=lambda i: (i.gallery_order is None, i.gallery_order or 0, i.pk),
        )
        rows = [(i.pk, i.gallery_caption or "") for i in ordered]
    items = []
    if page.image_id in found:
        page.image = found[page.image_id]  # later `page.image` reads need no query
        items.append(GalleryItem(found[page.image_id], "", True))
    for image_id, caption in rows:
        if image_id in found and image_id != page.image_id:
            items.append(GalleryItem(found[image_id], caption, not items))
    page._ocop_gallery = items
    return items


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


def purchase_info(page, request=None):
    """Ask the partner strategy about the page's product (1 query: stock record + product)."""
    cached = getattr(page, "_ocop_purchase_info", None)
    if cached is not None:
        return cached
    stockrecord = None
    if page.shop_product_id:
        stockrecord = (
            StockRecord.objects.select_related("product")
            .filter(product_id=page.shop_product_id)
            .order_by("pk")
            .first()
        )
    if stockrecord is None:
        info = PurchaseInfo(product=None, availability=None, price=None)
    else:
        product = stockrecord.product
        # Setting the one-to-one also fills product.ocop_page, which the strategy reads:
        # it then checks this very page (and its already loaded certificate).
        page.shop_product = product
        selected = Selector().strategy(request=request).fetch_for_product(product, stockrecord=stockrecord)
        info = PurchaseInfo(product=product, availability=selected.availability, price=selected.price)
    page._ocop_purchase_info = info
    return info
