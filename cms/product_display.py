"""What a product page shows besides its fields: its gallery, with the renditions it uses.

Computed once per page object and kept on it, so the page body, the SEO head (cms/seo.py)
and the JSON-LD read the same rows without querying again. Whether the product can be
bought is the shop's to say (storefront/partner/display.py, through its template tag).
"""

from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, Subquery
from wagtail.images import get_image_model

from catalog.translation import TranslatedField

# Renditions the product page uses (template tags and prefetch must agree on the specs).
MAIN_WIDTHS = (480, 800, 1200)
MORE_WIDTHS = (320, 640)
SHARE_SPEC = "fill-1200x630|format-jpeg"  # OpenGraph / Twitter cards: JPEG is read everywhere


# The product card's one rendition (includes/product_card.html: fill-400x300 format-webp).
CARD_SPEC = "fill-400x300|format-webp"


def card_renditions():
    """Prefetch, for product pages listed as cards, of their image's card rendition only.

    One query for all the cards, reading one rendition per image, not every rendition each
    image has (a product's main image also has the product page's five sizes and the share
    card); without a prefetch each card would ask the renditions cache, one call per card.
    """
    renditions = get_image_model().get_rendition_model().objects.filter(filter_spec=CARD_SPEC)
    return Prefetch("image__renditions", queryset=renditions, to_attr="prefetched_renditions")


def webp_specs(widths):
    return [f"width-{w}|format-webp" for w in widths]


@dataclass
class GalleryItem:
    image: object
    caption: str
    first: bool
    caption_en: str = ""

    translated_caption = TranslatedField("caption")  # the English caption on /en/, if any


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
        rows = [(row.image_id, row.caption, row.caption_en) for row in page.gallery_images.all() if row.image_id]
        found = {i.pk: i for i in images.filter(pk__in=[page.image_id] + [r[0] for r in rows])}
    else:
        # The gallery's model, reached through the page (this module sits below cms.models).
        in_gallery = page.gallery_images.model.objects.filter(page_id=page.pk, image_id=OuterRef("pk"))
        found = {
            i.pk: i
            for i in images.filter(Q(pk=page.image_id) | Q(pk__in=in_gallery.values("image_id"))).annotate(
                gallery_order=Subquery(in_gallery.values("sort_order")[:1]),
                gallery_caption=Subquery(in_gallery.values("caption")[:1]),
                gallery_caption_en=Subquery(in_gallery.values("caption_en")[:1]),
            )
        }
        ordered = sorted(
            (i for i in found.values() if i.gallery_order is not None or i.gallery_caption is not None),
            key=lambda i: (i.gallery_order is None, i.gallery_order or 0, i.pk),
        )
        rows = [(i.pk, i.gallery_caption or "", i.gallery_caption_en or "") for i in ordered]
    items = []
    if page.image_id in found:
        page.image = found[page.image_id]  # later `page.image` reads need no query
        items.append(GalleryItem(found[page.image_id], "", True))
    for image_id, caption, caption_en in rows:
        if image_id in found and image_id != page.image_id:
            items.append(GalleryItem(found[image_id], caption, not items, caption_en))
    page._ocop_gallery = items
    return items
