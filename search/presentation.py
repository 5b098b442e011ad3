"""What a page shows of a search: facet links with counts, active filters, sorts, pages.

One code path for /search/ (search.views) and the product listing (cms ProductIndexPage,
through search.listing): both build a SearchQuery from the request, ask search.service,
and turn the SearchResult into template context here.
"""

import math
from functools import cache

from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, Concat, NullIf
from django.urls import translate_url
from django.utils import translation
from django.utils.http import urlencode

from catalog.models import District, Producer, ProductGroup, Province
from catalog.prepared import prepared
from catalog.translation import english_active
from cms.models import AnnouncementPage, ProducerPage, ProductPage
from search.backends.base import MAX_WINDOW
from search.documents import object_id
from search.facets import FACET_BY_FIELD, FILTER_BY_PARAM, FILTERS, KIND_BY_VALUE, SORT_BY_VALUE


@cache
def _label_rows(english, facets):
    """(facet, value, label) of the register's groups, provinces and districts as `facets` (of
    "group", "province", "district") need them: one query, compiled once (catalog/prepared.py)."""

    def rows(model, facet, key, label):
        return model.objects.values_list(Value(facet, output_field=CharField()), key, label).order_by()

    @prepared
    def labels():
        parts = []
        if "group" in facets:
            # Groups have English names; places keep their Vietnamese names in both languages.
            name = Coalesce(NullIf("name_en", Value("")), "name") if english else F("name")
            parts.append(rows(ProductGroup, "group", "code", name))
        if "province" in facets:
            parts.append(rows(Province, "province", "slug", "name"))
        if "district" in facets:
            label = Concat("name", Value(" ("), "former_province", Value(")"), output_field=CharField())
            parts.append(rows(District, "district", "slug", label))
        return parts[0].union(*parts[1:], all=True)

    return labels


def facet_labels(names=tuple(FACET_BY_FIELD)):
    """value → label for each facet in `names`, from the register (one query)."""
    names = set(names)
    facets = tuple(f for f in ("group", "province", "district") if f in names or (f == "group" and "subgroup" in names))
    labels = {"group": {}, "province": {}, "district": {}}
    if facets:
        for facet, key, label in _label_rows(english_active(), facets)():
            labels[facet][key] = label
    labels["subgroup"] = labels["group"]
    labels["stars"] = {str(n): f"{n}★" for n in range(1, 6)}
    labels["producer_type"] = {k: str(v) for k, v in Producer.LegalForm.choices}
    return labels


def label_facets(result):
    """Set each facet value's label; returns the labels (also used for the active filters)."""
    names = set(result.facets) | {FILTER_BY_PARAM[param].fields[0] for param in result.query.active_filters()}
    labels = facet_labels(names)
    for name, values in result.facets.items():
        for value in values:
            value.label = labels.get(name, {}).get(value.value, value.value)
    return labels


def results_context(query, result, labels, sorts=tuple(SORT_BY_VALUE), default_sort="relevance"):
    """Template context for a result: facets, active filters, sorts, pages, suggestions."""
    params = {"q": query.q} if query.q else {}
    params.update({k: str(v) for k, v in query.active_filters().items()})
    if query.sort != default_sort:
        params["sort"] = query.sort

    def url_with(**changes):
        merged = {**params, **changes}
        return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})

    facets = []
    for name, values in result.facets.items():
        facet = FACET_BY_FIELD[name]
        items = [
            {
                "label": v.label,
                "count": v.count,
                "url": url_with(**{facet.param: v.value}),
                "active": params.get(facet.param) == v.value,
            }
            for v in values
        ]
        if items:
            facets.append({"name": name, "title": facet.title, "values": items})
    active = []
    for param, value in query.active_filters().items():
        f = FILTER_BY_PARAM[param]
        label = labels.get(f.fields[0], {}).get(str(value), str(value))
        active.append({"title": f.title, "label": label, "remove_url": url_with(**{param: ""})})
    pages = min(math.ceil(result.total / query.page_size), MAX_WINDOW // query.page_size)
    for hit in result.hits:
        kind = KIND_BY_VALUE.get(hit.kind)
        hit.kind_label = kind.title if kind else hit.kind
    return {
        "query": query,
        "result": result,
        "facets": facets,
        "active_filters": active,
        "clear_url": url_with(**{f.param: "" for f in FILTERS}),
        "sorts": [
            {"value": value, "label": SORT_BY_VALUE[value].title, "active": query.sort == value} for value in sorts
        ],
        "page_number": query.page,
        "num_pages": pages,
        "previous_url": url_with(page=query.page - 1) if query.page > 1 else "",
        "next_url": url_with(page=query.page + 1) if query.page < pages else "",
        "suggestion_urls": [{"text": s, "url": url_with(q=s, page="")} for s in result.suggestions],
    }


def english_hits(hits):
    """On an English page, the hits' English titles (when written) and /en/ links.

    The index holds the Vietnamese text (it is what people type, with or without diacritics);
    only what is shown changes: one query per kind of page among the hits.
    """
    if not hits or not english_active():
        return
    models = {"product": ProductPage, "producer": ProducerPage, "announcement": AnnouncementPage}
    wanted = {}
    for hit in hits:
        if hit.kind in models:
            wanted.setdefault(hit.kind, []).append(object_id(hit.id))
    titles = {}
    for kind, ids in wanted.items():
        rows = models[kind].objects.filter(pk__in=ids).exclude(title_en="").values_list("pk", "title_en")
        titles.update({(kind, pk): title for pk, title in rows})
    # A product hit names its producer: the producer page's English title, where written.
    producers = dict(
        ProductPage.objects.filter(pk__in=wanted.get("product", []))
        .with_producer()
        .exclude(producer_name_en=None)
        .exclude(producer_name_en="")
        .values_list("pk", "producer_name_en")
    )
    for hit in hits:
        hit.name = titles.get((hit.kind, object_id(hit.id)) if hit.id else None, hit.name)
        if hit.kind == "product" and hit.id and object_id(hit.id) in producers:
            hit.producer = producers[object_id(hit.id)]
        with translation.override("vi"):  # the stored URL is the Vietnamese one
            hit.url = translate_url(hit.url, "en")
