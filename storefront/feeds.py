"""Product feeds for marketplaces and ads: Google Merchant Center (RSS 2.0 with the g:
namespace) and a Facebook/Meta catalog (CSV).

A feed lists what the shop would sell right now: the partner strategy's verdict on each
published page's stock record (certified, live, in stock; strategy.py), with a price. Prices
are whole đồng in VND; links are the product pages' absolute Vietnamese URLs; brand is the
producer. Both feeds are cached for a few minutes: the platforms fetch them on a schedule.
"""

import csv
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_page
from django.views.decorators.http import require_GET
from oscar.core.loading import get_class, get_model

from cms import seo
from cms.models import ProductPage
from storefront.partner import sync

Selector = get_class("partner.strategy", "Selector")
StockRecord = get_model("partner", "StockRecord")

GOOGLE_NS = "http://base.google.com/ns/1.0"
CACHE_SECONDS = 10 * 60
DESCRIPTION_MAX = 5000  # both platforms' limit
META_COLUMNS = ("id", "title", "description", "availability", "condition", "price", "link", "image_link", "brand")

ET.register_namespace("g", GOOGLE_NS)


@dataclass
class FeedItem:
    id: str
    title: str
    description: str
    link: str
    image_link: str
    price: int
    brand: str
    product_type: str

    @property
    def price_text(self):
        return f"{self.price} VND"


def _image_link(request, page):
    image = page.image
    if image is None:
        first = page.gallery_images.select_related("image").first()
        image = first.image if first else None
    share = seo.share_image(request, image)
    return share.url if share else ""


def _product_type(group):
    if group is None:
        return ""
    names = [group.parent.name, group.name] if group.parent_id else [group.name]
    return " > ".join(names)


def feed_items(request):
    """The products the shop sells now, in the order of their pages' titles."""
    certified = ProductPage.objects.live().certified().filter(price__isnull=False)
    stockrecords = (
        StockRecord.objects.filter(page__in=certified.values("pk"))
        .select_related(
            "product",
            "page",
            "page__image",
            "page__register_product__producer",
            "page__register_product__group__parent",
        )
        .order_by("page__title", "pk")
    )
    strategy = Selector().strategy(request=request)
    items = []
    for stockrecord in stockrecords:
        page = stockrecord.page
        # The one rule of what may be bought (certified, live, in stock), and its price.
        selected = strategy.fetch_for_product(stockrecord.product, stockrecord=stockrecord)
        if not selected.availability.is_purchase_permitted(1)[0] or not selected.price.exists:
            continue
        product = page.register_product
        items.append(
            FeedItem(
                id=sync.sku_for(page),
                title=page.title,
                description=(page.intro or page.search_description or page.title)[:DESCRIPTION_MAX],
                link=page.get_full_url(request),
                image_link=_image_link(request, page),
                price=int(selected.price.incl_tax),
                brand=product.producer.name,
                product_type=_product_type(product.group),
            )
        )
    return items


def _channel_title(request):
    return _("OCOP products – %(site)s") % {"site": seo.site_name(request)}


def google_merchant_xml(request, items):
    """An RSS 2.0 document with Google's product attributes (g: namespace)."""
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    ET.SubElement(channel, "title").text = _channel_title(request)
    ET.SubElement(channel, "link").text = seo.root_url(request) + "/"
    ET.SubElement(channel, "description").text = _("Certified OCOP products in stock, with their prices in VND.")
    for item in items:
        node = ET.SubElement(channel, "item")
        fields = [
            ("id", item.id),
            ("title", item.title),
            ("description", item.description),
            ("link", item.link),
            ("image_link", item.image_link),
            ("availability", "in_stock"),
            ("price", item.price_text),
            ("brand", item.brand),
            ("condition", "new"),
            ("product_type", item.product_type),
            ("identifier_exists", "no"),
        ]
        for name, value in fields:
            if value:
                ET.SubElement(node, f"{{{GOOGLE_NS}}}{name}").text = value
    return ET.tostring(rss, encoding="utf-8", xml_declaration=True)


def meta_catalog_rows(items):
    yield META_COLUMNS
    for item in items:
        yield (
            item.id,
            item.title,
            item.description,
            "in stock",
            "new",
            item.price_text,
            item.link,
            item.image_link,
            item.brand,
        )


@require_GET
@cache_page(CACHE_SECONDS)
def google_merchant(request):
    with translation.override("vi"):
        body = google_merchant_xml(request, feed_items(request))
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


@require_GET
@cache_page(CACHE_SECONDS)
def meta_catalog(request):
    with translation.override("vi"):
        items = feed_items(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meta-catalog.csv"'
    csv.writer(response).writerows(meta_catalog_rows(items))
    return response
