"""The Oscar product and stock record that sell a published ProductPage, and the partner that
sells for a producer.

The page is the one source of truth: publishing it writes its title, intro, main image,
price and stock onto its Oscar product and its producer's stock record; nothing is ever
written the other way. The link lives here, on the shop's side (StockRecord.page): the page
and the register know nothing of the shop. The page's stock is the producer's on-hand count,
which shipped orders lower on the stock record only (storefront/checkout): it is written when
it differs from the figure last synced (StockRecord.page_stock), so republishing the page,
or an older revision with that same figure, does not undo the sales made since. Unpublishing
or deleting the page withdraws the product: it is made non-public (out of Oscar's catalogue)
and the partner strategy refuses to sell it because the page is no longer live (or gone). The
product and its stock record are kept so that past orders and baskets keep pointing at
something.

Whether a product may be bought (certified, live, in stock) is decided at request time by
strategy.py, not here, so a certificate that expires or is revoked takes effect without
republishing anything.
"""

import os
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from oscar.core.loading import get_model
from oscar.core.utils import slugify

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

CURRENCY = "VND"

# (slug, name, requires_shipping). Stock is tracked for both: a tourism service's stock is
# the number of places its producer offers.
GOODS_CLASS = ("san-pham-ocop", "Sản phẩm OCOP", True)
SERVICE_CLASS = ("dich-vu-du-lich-ocop", "Dịch vụ du lịch OCOP", False)


def ensure_partner(producer):
    """The producer's Oscar partner, created once, its name kept in step with the producer's."""
    partner = Partner.objects.filter(producer=producer).first()
    if partner is None:
        partner, _ = Partner.objects.get_or_create(code=producer.slug, defaults={"name": producer.name})
        partner.producer = producer
        partner.save(update_fields=["producer"])
    elif partner.name != producer.name:
        Partner.objects.filter(pk=partner.pk).update(name=producer.name)
    return partner


def sku_for(page):
    """Stable per page, whatever its title, slug or producer becomes."""
    return f"OCOP-{page.pk}"


def product_class_for(page):
    slug, name, requires_shipping = GOODS_CLASS if page.group.top_group.requires_shipping else SERVICE_CLASS
    product_class, _ = ProductClass.objects.get_or_create(
        slug=slug, defaults={"name": name, "requires_shipping": requires_shipping, "track_stock": True}
    )
    return product_class


def stockrecord_for(page):
    return StockRecord.objects.select_related("product").filter(page_id=page.pk).first()


def product_for(page):
    """The page's Oscar product, found by its stock record or, failing that, by its SKU."""
    stockrecord = stockrecord_for(page)
    if stockrecord is not None:
        return stockrecord.product
    return Product.objects.filter(upc=sku_for(page)).first()


@transaction.atomic
def sync_product(page):
    """Create or update the Oscar product and stock record from the published page."""
    producer = page.producer
    if producer is None or page.register_product_id is None:
        raise ValueError(f"product page {page.pk} presents no register product under a producer")
    partner = ensure_partner(producer)
    product = product_for(page) or Product(upc=sku_for(page), structure=Product.STANDALONE)
    product.title = page.title
    product.slug = slugify(page.slug)
    product.description = page.intro
    product.product_class = product_class_for(page)
    product.is_public = True
    product.save()

    stockrecords = list(product.stockrecords.order_by("pk"))
    stockrecord = stockrecords[0] if stockrecords else StockRecord(product=product)
    for extra in stockrecords[1:]:
        extra.delete()  # one producer sells a page; a moved page changes partner, not records
    stockrecord.page = page
    stockrecord.partner = partner
    stockrecord.partner_sku = sku_for(page)
    stockrecord.price = Decimal(page.price) if page.price is not None else None
    stockrecord.price_currency = CURRENCY
    if stockrecord.pk is None or page.stock != stockrecord.page_stock:
        # The producer counted again since the last sync: its figure is the on-hand count.
        # Otherwise keep num_in_stock, which orders shipped since have lowered.
        stockrecord.num_in_stock = page.stock
        stockrecord.page_stock = page.stock
    stockrecord.save()

    sync_image(page, product)
    return product


def image_name(page):
    """The copied file's name records which Wagtail image it came from."""
    return f"ocop-{page.pk}-{page.image_id}"


def sync_image(page, product):
    """Make the page's main image the product's only image (copied once per image)."""
    # Deleting a ProductImage deletes its file (Oscar's receiver, through the thumbnailer).
    images = list(product.images.all())
    if page.image_id is None:
        product.images.all().delete()
        return
    prefix = image_name(page)
    if len(images) == 1 and os.path.basename(images[0].original.name).startswith(prefix):
        return
    product.images.all().delete()
    with page.image.open_file() as source:
        content = ContentFile(source.read())
    extension = os.path.splitext(page.image.file.name)[1].lower() or ".jpg"
    copy = ProductImage(product=product, caption=page.image.title[:200], display_order=0)
    copy.original.save(prefix + extension, content, save=False)
    copy.save()


@transaction.atomic
def withdraw_product(page):
    """Take the page's product out of the shop: hidden from the catalogue, not for sale."""
    product = product_for(page)
    if product is not None and product.is_public:
        Product.objects.filter(pk=product.pk).update(is_public=False)
    return product
