"""The search documents: one flat dict per product, producer and announcement.

Both backends index exactly these dicts (the database backend adds the folded text). Only
what the public may see is a document: live pages, and for products only those the
product list shows (certified: a certificate in force, 3★ or more). `documents_for(kind,
ids)` rebuilds the documents of some objects from the database and says which are gone;
that is what the outbox worker applies.
"""

import time

from django.utils.html import strip_tags
from wagtail.rich_text import RichText

from catalog.models import Producer
from cms.models import AnnouncementPage, ProducerPage, ProductPage
from search import text, vocabulary

KIND_ORDER = {"announcement": 0, "producer": 1, "product": 2}


def doc_id(kind, pk):
    return f"{kind}-{pk}"


def object_id(document_id):
    """The page pk of a doc_id."""
    return int(document_id.rsplit("-", 1)[1])


def stream_text(stream):
    """The words of a StreamField value, whatever its blocks."""
    parts = []

    def walk(value):
        if value is None:
            return
        if isinstance(value, str):
            parts.append(strip_tags(value))
        elif isinstance(value, RichText):
            parts.append(strip_tags(value.source))
        elif hasattr(value, "block_type") and hasattr(value, "value"):
            walk(value.value)
        elif hasattr(value, "items") and callable(value.items):
            for item in value.values():
                walk(item)
        elif isinstance(value, (list, tuple)) or type(value).__name__ in ("StreamValue", "ListValue"):
            for item in value:
                walk(item)

    for child in stream or []:
        walk(child.value)
    return " ".join(p for p in parts if p.strip())


def _published(page):
    moment = page.first_published_at or page.last_published_at
    # Whole seconds: the engine keeps milliseconds, the database microseconds; ties must
    # break the same way in both.
    return moment.replace(microsecond=0) if moment else None


def _places(producer):
    if producer is None:
        return {}
    district = producer.district
    return {
        "province": producer.province.slug,
        "province_name": producer.province.name,
        "district": district.slug if district else "",
        "district_name": district.name if district else "",
        "former_province": district.former_province if district else "",
        "commune_name": producer.commune.name if producer.commune_id else "",
        "producer_type": producer.legal_form,
    }


def finish(doc, *parts, english=()):
    """The searchable text of a document: its Vietnamese `parts` and their `english`
    translations, folded (search.text), so that either language finds it."""
    doc["text"] = " ".join(p for p in (*parts, *english) if p)
    doc["name_folded"] = " ".join(text.tokens(doc["name"]))
    doc["title_folded"] = vocabulary.expand(text.folded_text(doc["name"], doc.pop("name_en", "")))
    doc["text_folded"] = vocabulary.expand(text.folded_text(doc["text"]))
    return doc


def _base(kind, page, name):
    return {
        "id": doc_id(kind, page.pk),
        "kind": kind,
        "kind_order": KIND_ORDER[kind],
        "object_id": page.pk,
        "url": page.get_url() or "",
        "name": name,
        "stars": None,
        "price": None,
        "producer": "",
        "producer_type": "",
        "province": "",
        "province_name": "",
        "district": "",
        "district_name": "",
        "group": "",
        "subgroup": "",
        "published_at": _published(page),
    }


def product_document(page, producer, stars):
    doc = _base("product", page, page.title)
    doc["name_en"] = page.title_en
    places = _places(producer)
    doc.update({k: v for k, v in places.items() if k in doc})
    group = page.group
    top = group.top_group
    doc.update(
        stars=stars,
        price=page.price,
        producer=producer.name if producer else "",
        group=top.code,
        subgroup=group.code if group.parent_id else "",
    )
    return finish(
        doc,
        page.title,
        page.intro,
        stream_text(page.story),
        page.ingredients,
        page.raw_material_area,
        doc["producer"],
        places.get("province_name"),
        places.get("district_name"),
        places.get("former_province"),
        places.get("commune_name"),
        top.name,
        group.name if group.parent_id else "",
        english=(
            page.title_en,
            page.intro_en,
            stream_text(page.story_en),
            page.ingredients_en,
            page.raw_material_area_en,
            top.name_en,
            group.name_en if group.parent_id else "",
        ),
    )


def producer_document(page):
    producer = page.producer
    doc = _base("producer", page, producer.name)
    doc["name_en"] = page.title_en
    places = _places(producer)
    doc.update({k: v for k, v in places.items() if k in doc})
    doc["producer"] = producer.name
    return finish(
        doc,
        producer.name,
        page.title if page.title != producer.name else "",
        page.intro,
        stream_text(page.story),
        producer.address,
        places.get("province_name"),
        places.get("district_name"),
        places.get("former_province"),
        places.get("commune_name"),
        english=(page.title_en, page.intro_en, stream_text(page.story_en)),
    )


def announcement_document(page):
    doc = _base("announcement", page, page.title)
    doc["name_en"] = page.title_en
    return finish(
        doc,
        page.title,
        page.intro,
        page.category.name if page.category_id else "",
        stream_text(page.body),
        english=(page.title_en, page.intro_en, stream_text(page.body_en)),
    )


def _producers(pks):
    pks = {pk for pk in pks if pk}
    if not pks:
        return {}
    producers = Producer.objects.filter(pk__in=pks).select_related("province", "district", "commune")
    return {p.pk: p for p in producers}


def product_documents(ids=None):
    pages = (
        ProductPage.objects.live()
        .certified()
        .with_producer()
        .select_related("register_product__group__parent")
        .order_by("pk")
    )
    if ids is not None:
        pages = pages.filter(pk__in=ids)
    pages = list(pages)
    producers = _producers(p.producer_pk for p in pages)
    return [product_document(p, producers.get(p.producer_pk), p.current_stars) for p in pages]


def producer_documents(ids=None):
    pages = (
        ProducerPage.objects.live()
        .select_related("producer", "producer__province", "producer__district", "producer__commune")
        .order_by("pk")
    )
    if ids is not None:
        pages = pages.filter(pk__in=ids)
    return [producer_document(p) for p in pages]


def announcement_documents(ids=None):
    pages = AnnouncementPage.objects.live().select_related("category").order_by("pk")
    if ids is not None:
        pages = pages.filter(pk__in=ids)
    return [announcement_document(p) for p in pages]


BUILDERS = {
    "product": product_documents,
    "producer": producer_documents,
    "announcement": announcement_documents,
}


def reading_version():
    """A version for documents about to be read from the database: microseconds since the
    epoch, now. Taken before the read, so a later reading always carries a larger version
    (the engine keeps the largest: search.backends.engine, external_gte)."""
    return time.time_ns() // 1000


def documents_for(kind, ids):
    """(documents of the objects that are searchable, doc ids of those that are not)."""
    ids = sorted(set(ids))
    docs = BUILDERS[kind](ids)
    found = {d["object_id"] for d in docs}
    return docs, [doc_id(kind, pk) for pk in ids if pk not in found]


def model_for(kind):
    return {"product": ProductPage, "producer": ProducerPage, "announcement": AnnouncementPage}[kind]


def all_documents(chunk=500):
    """Every document, in chunks of pages (for reindexing large sites)."""
    for kind, builder in BUILDERS.items():
        pks = list(model_for(kind).objects.live().order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(pks), chunk):
            yield from builder(pks[start : start + chunk])


def count_candidates():
    return sum(model_for(kind).objects.live().count() for kind in BUILDERS)
