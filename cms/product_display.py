"""What a product page shows besides its fields: its gallery, with the renditions it uses.

Computed once per page object and kept on it, so the page body, the SEO head (cms/seo.py)
and the JSON-LD read the same rows without querying again. Whether the product can be
bought is the shop's to say (storefront/partner/display.py, through its template tag).
"""

from dataclasses import dataclass
from functools import cache

from wagtail.images import get_image_model
from wagtail.images.models import Filter

from catalog.prepared import prepared
from catalog.translation import TranslatedField

# Renditions the product page uses (template tags and prefetch must agree on the specs).
MAIN_WIDTHS = (480, 800, 1200)
MORE_WIDTHS = (320, 640)
SHARE_SPEC = "fill-1200x630|format-jpeg"  # OpenGraph / Twitter cards: JPEG is read everywhere
# The product card's one rendition (includes/product_card.html: fill-400x300 format-webp).
CARD_SPEC = "fill-400x300|format-webp"
_SHARE_FILTER = Filter(spec=SHARE_SPEC)  # its operations parsed once


# What a product card never shows: left unread (deferred) by the queries that list cards.
CARD_UNUSED = tuple(
    f"{name}{suffix}"
    for name in ("intro", "story", "packaging", "shelf_life", "ingredients", "raw_material_area")
    for suffix in ("", "_en")
)


def with_card_renditions(pages):
    """The product pages (listed as cards), each image with its card rendition only: one query
    for all the cards, not every rendition each image has (a product's main image also has the
    product page's five sizes and the share card); without it each card would ask the
    renditions cache, one call per card. Returns the pages, a list."""
    pages = list(pages)
    prefetch_renditions([page.image for page in pages if page.image_id], (CARD_SPEC,))
    return pages


def share_rendition(image):
    """The image's share-card rendition (SHARE_SPEC), as Image.get_rendition returns it.

    Through get_renditions with one Filter kept here: get_rendition parses the spec anew and
    writes the rendition back to the renditions cache on every call, even when it was among
    the prefetched ones (about 0.13 ms a call; the product page asks once per gallery image).
    """
    (rendition,) = image.get_renditions(_SHARE_FILTER).values()
    return rendition


def webp_specs(widths):
    return [f"width-{w}|format-webp" for w in widths]


@dataclass
class GalleryItem:
    image: object
    caption: str
    first: bool
    caption_en: str = ""

    translated_caption = TranslatedField("caption")  # the English caption on /en/, if any


@cache
def _gallery_rows(model):
    """A prepared query of a page's gallery rows (`model`: the gallery's model) with their images."""

    @prepared
    def rows(page_id):
        return model.objects.filter(page_id=page_id).select_related("image").order_by("sort_order", "pk")

    return rows


@prepared
def _images(*image_ids):
    return get_image_model().objects.filter(pk__in=image_ids)


@cache
def _renditions_of(specs):
    @prepared
    def renditions(*image_ids):
        return get_image_model().get_rendition_model().objects.filter(filter_spec__in=specs, image_id__in=image_ids)

    return renditions


def prefetch_renditions(images, specs):
    """Give each image its renditions of `specs` (a tuple) that exist, in one query, as Wagtail's
    get_renditions looks for them first (`prefetched_renditions`); a missing one is made as usual."""
    by_id = {}
    for image in images:
        image.prefetched_renditions = []
        by_id.setdefault(image.pk, []).append(image)
    if by_id:
        set_image = get_image_model().get_rendition_model().image.field.set_cached_value
        for rendition in _renditions_of(specs)(*by_id):
            for image in by_id[rendition.image_id]:
                set_image(rendition, image)
                image.prefetched_renditions.append(rendition)


# The product page's renditions: main, further and share sizes.
GALLERY_SPECS = tuple(webp_specs(MAIN_WIDTHS) + webp_specs(MORE_WIDTHS) + [SHARE_SPEC])


def gallery(page):
    """The main image then the gallery images, renditions prefetched (2 or 3 plain queries).

    The gallery's rows (image, caption, order) are read with their images, then the renditions
    of all the images at once. The main image is the one joined to the page's row when it was
    routed to (cms/routing.py, ProductPage.route_related), else read with the renditions' images
    by id; a page being previewed keeps its unsaved rows in memory (modelcluster), whose images
    are read by id too.
    """
    cached = getattr(page, "_ocop_gallery", None)
    if cached is not None:
        return cached
    by_id = {}  # images already in hand
    if page.image_id and page._meta.get_field("image").is_cached(page):
        by_id[page.image_id] = page.image
    if "gallery_images" in getattr(page, "_cluster_related_objects", {}):
        rows = [(row.image_id, row.caption, row.caption_en) for row in page.gallery_images.all() if row.image_id]
    else:
        # The gallery's model, reached through the page (this module sits below cms.models).
        rows = []
        for row in _gallery_rows(page.gallery_images.model)(page.pk):
            by_id.setdefault(row.image_id, row.image)
            rows.append((row.image_id, row.caption, row.caption_en))
    wanted = [page.image_id] if page.image_id else []
    wanted += [image_id for image_id, _, _ in rows]
    missing = [image_id for image_id in wanted if image_id not in by_id]
    if missing:
        by_id.update((i.pk, i) for i in _images(*missing))
    found = {pk: by_id[pk] for pk in wanted if pk in by_id}
    prefetch_renditions(found.values(), GALLERY_SPECS)
    items = []
    if page.image_id in found:
        page.image = found[page.image_id]  # later `page.image` reads need no query
        items.append(GalleryItem(found[page.image_id], "", True))
    shown = {page.image_id}
    for image_id, caption, caption_en in rows:
        if image_id in found and image_id not in shown:  # each image once, the main image first
            shown.add(image_id)
            items.append(GalleryItem(found[image_id], caption, not items, caption_en))
    page._ocop_gallery = items
    return items
