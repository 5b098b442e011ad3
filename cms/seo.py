"""What search engines and link previews read: canonical URL, OpenGraph/Twitter tags, JSON-LD.

`head_data(request, page)` gathers everything themes/ocop/templates/includes/seo_head.html
prints; the JSON-LD builders (`product_jsonld`, `organization_jsonld`, `news_article_jsonld`)
return plain dicts and `jsonld_script` serialises them safely inside a <script> element.

Product facts come from the same objects the product page shows (cms/product_display.py;
the offer from the shop's `purchase_info` tag, passed in by the product page's template), so
the head adds no queries of its own on a product page. Which builder a page gets is said by
the page type's `seo_kind` ("product", "profile", "article"): this module sits below the
page models and never imports them.
"""

import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.models import Page, Site

from cms import product_display

SCHEMA = "https://schema.org"
DESCRIPTION_LENGTH = 300
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}
# Private or per-visitor paths search engines should not crawl (robots.txt).
# The shop's private pages exist in both languages (unprefixed and under /en/).
_SHOP_PRIVATE = ["/shop/basket/", "/shop/checkout/", "/shop/accounts/"]
ROBOTS_DISALLOW = ["/admin/", "/django-admin/", *_SHOP_PRIVATE, *(f"/en{path}" for path in _SHOP_PRIVATE)]

# What <script> content must never contain unescaped: the same escapes as Django's json_script
# (as replacements: str.translate with a mapping takes about 60 µs on a product's JSON-LD).
_SCRIPT_ESCAPES = ((">", "\\u003E"), ("<", "\\u003C"), ("&", "\\u0026"))


def jsonld_script(data):
    """`<script type="application/ld+json">` with the data; `</script>` in a value cannot end it."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    for character, escape in _SCRIPT_ESCAPES:
        text = text.replace(character, escape)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308 (escaped above)


def root_url(request):
    site = Site.find_for_request(request)  # cached on the request by Wagtail
    if site is not None:
        return site.root_url
    return request.build_absolute_uri("/").rstrip("/")


def site_name(request):
    site = Site.find_for_request(request)
    return (site.site_name if site else "") or settings.WAGTAIL_SITE_NAME


def absolute(request, url):
    if not url or url.startswith(("http://", "https://")):
        return url
    return root_url(request) + url


def canonical_url(request, page=None):
    """The page's one public address; for non-Wagtail views, the path.

    Filters, sorts and search terms are dropped (their results are the listing's), but a
    page number beyond the first is kept: page 2 of a listing shows other products.
    """
    url = page.get_full_url(request) if page is not None and getattr(page, "pk", None) else None
    url = url or absolute(request, request.path)
    number = request.GET.get("page", "")
    if number.isdigit() and int(number) > 1:
        url += f"?page={int(number)}"
    return url


def describe(page):
    """A short plain-text description: the SEO description, else the page's summary."""
    for text in (getattr(page, "search_description", ""), getattr(page, "intro", "")):
        text = strip_tags(str(text or "")).strip()
        if text:
            # Truncator walks the text character by character; one that is short enough is kept whole.
            return text if len(text) <= DESCRIPTION_LENGTH else Truncator(text).chars(DESCRIPTION_LENGTH)
    return ""


@dataclass
class ShareImage:
    url: str
    width: int
    height: int
    alt: str


@dataclass
class HeadData:
    title: str
    description: str
    canonical: str
    site_name: str = ""
    og_type: str = "website"
    locale: str = "vi_VN"
    image: ShareImage | None = None
    jsonld: list = field(default_factory=list)

    @property
    def jsonld_scripts(self):
        return mark_safe("".join(jsonld_script(item) for item in self.jsonld))


def share_image(request, image):
    if image is None:
        return None
    rendition = product_display.share_rendition(image)
    return ShareImage(absolute(request, rendition.url), rendition.width, rendition.height, image.title)


def head_data(request, page=None, language="vi", offer=None):
    """Everything seo_head.html prints; `offer` is the shop's PurchaseInfo of a product page."""
    if page is not None and not isinstance(page, Page):
        page = None  # a view's own `page` variable (e.g. a paginator page) is not a Wagtail page
    data = HeadData(
        title=(getattr(page, "seo_title", "") or getattr(page, "title", "")) if page else "",
        description=describe(page) if page else "",
        canonical=canonical_url(request, page),
        site_name=site_name(request),
        locale=OG_LOCALES.get((language or "vi")[:2], "vi_VN"),
    )
    kind = getattr(page, "seo_kind", None)
    if kind == "product":
        items = product_display.gallery(page)
        data.og_type = "product"
        data.image = share_image(request, items[0].image) if items else None
        data.jsonld.append(product_jsonld(request, page, data, offer))
    elif kind == "profile":
        data.og_type = "profile"
        data.image = share_image(request, page.image)
        data.jsonld.append(organization_jsonld(request, page, data))
    elif kind == "article":
        data.og_type = "article"
        data.image = share_image(request, page.image)
        data.jsonld.append(news_article_jsonld(request, page, data))
    return data


def _image_urls(request, page):
    urls = []
    for item in product_display.gallery(page):
        urls.append(absolute(request, product_display.share_rendition(item.image).url))
    return urls


def product_jsonld(request, page, head, offer=None):
    producer_page = page.producer_page
    data = {
        "@context": SCHEMA,
        "@type": "Product",
        "name": page.title,
        "url": head.canonical,
        "sku": f"OCOP-{page.pk}",
        "category": page.group.name if page.group else None,
    }
    if head.description:
        data["description"] = head.description
    images = _image_urls(request, page)
    if images:
        data["image"] = images
    if producer_page is not None:
        data["brand"] = {
            "@type": "Organization",
            "name": producer_page.producer.name,
            "url": canonical_url(request, producer_page),
        }
    certificate = page.current_certificate
    if certificate is not None and page.is_certified:
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.decision_number})"
    if page.price is not None and offer is not None:
        data["offers"] = {
            "@type": "Offer",
            "url": head.canonical,
            "price": str(int(page.price)),
            "priceCurrency": "VND",
            "availability": offer.schema_availability,
            "itemCondition": "https://schema.org/NewCondition",
        }
        if producer_page is not None:
            data["offers"]["seller"] = {"@type": "Organization", "name": producer_page.producer.name}
    return {k: v for k, v in data.items() if v is not None}


def organization_jsonld(request, page, head):
    producer = page.producer
    data = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": producer.name,
        "url": head.canonical,
    }
    if head.description:
        data["description"] = head.description
    if head.image:
        data["image"] = head.image.url
    address = {"@type": "PostalAddress", "addressCountry": "VN"}
    if producer.address:
        address["streetAddress"] = producer.address
    if producer.commune_id:
        address["addressLocality"] = producer.commune.name
    address["addressRegion"] = producer.province.name
    data["address"] = address
    if producer.phone:
        data["telephone"] = producer.phone
    if producer.email:
        data["email"] = producer.email
    if producer.website:
        data["sameAs"] = [producer.website]
    if producer.founded_year:
        data["foundingDate"] = str(producer.founded_year)
    return data


def news_article_jsonld(request, page, head):
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "headline": Truncator(page.title).chars(110),
        "url": head.canonical,
        "mainEntityOfPage": head.canonical,
        "datePublished": page.date.isoformat(),
        "publisher": {"@type": "Organization", "name": site_name(request)},
    }
    modified = page.last_published_at or page.latest_revision_created_at
    if modified:
        data["dateModified"] = modified.isoformat()
    if head.description:
        data["description"] = head.description
    if head.image:
        data["image"] = [head.image.url]
    return data
