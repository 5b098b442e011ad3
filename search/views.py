"""The site search: /search/ (HTML), /api/search/ (the same as JSON), /api/suggest/.

The views call search.service and never ask which backend answered.
"""

import math

from django.http import JsonResponse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from search import service
from search.backends.base import MAX_WINDOW, SearchQuery

FACET_TITLES = {
    "province": _("Province"),
    "district": _("District (before 2025)"),
    "group": _("Product group"),
    "subgroup": _("Sub-group"),
    "stars": _("Stars"),
    "producer_type": _("Producer type"),
}
# The request parameter each facet sets.
FACET_PARAM = {"province": "province", "district": "district", "group": "group", "subgroup": "group",
               "stars": "stars", "producer_type": "producer_type"}
KIND_LABELS = {"product": _("Product"), "producer": _("Producer"), "announcement": _("Announcement")}


def facet_labels():
    """value → label for each facet, from the register."""
    from catalog.models import District, Producer, ProductGroup, Province

    groups = {g.code: g.name for g in ProductGroup.objects.all()}
    return {
        "province": dict(Province.objects.values_list("slug", "name")),
        "district": {d.slug: f"{d.name} ({d.former_province})" for d in District.objects.all()},
        "group": groups,
        "subgroup": groups,
        "stars": {str(n): f"{n}★" for n in range(1, 6)},
        "producer_type": {k: str(v) for k, v in Producer.LegalForm.choices},
    }


def label_facets(result):
    labels = facet_labels()
    for name, values in result.facets.items():
        for value in values:
            value.label = labels.get(name, {}).get(value.value, value.value)
    return labels


def run_search(request):
    query = SearchQuery.from_params(request.GET)
    result = service.search(query)
    labels = label_facets(result)
    return query, result, labels


class SearchView(TemplateView):
    template_name = "search/search_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, result, labels = run_search(self.request)
        params = {"q": query.q} if query.q else {}
        params.update({k: str(v) for k, v in query.active_filters().items()})
        if query.sort != "relevance":
            params["sort"] = query.sort

        def url_with(**changes):
            merged = {**params, **changes}
            return "?" + urlencode({k: v for k, v in merged.items() if v not in ("", None)})

        facets = []
        for name, values in result.facets.items():
            param = FACET_PARAM[name]
            items = [
                {"label": v.label, "count": v.count, "url": url_with(**{param: v.value}),
                 "active": params.get(param) == v.value}
                for v in values
            ]
            if items:
                facets.append({"name": name, "title": FACET_TITLES[name], "values": items})
        active = [
            {"title": FACET_TITLES[name], "label": labels[name].get(str(value), str(value)),
             "remove_url": url_with(**{name: ""})}
            for name, value in query.active_filters().items()
        ]
        pages = min(math.ceil(result.total / query.page_size), MAX_WINDOW // query.page_size)
        for hit in result.hits:
            hit.kind_label = KIND_LABELS.get(hit.kind, hit.kind)
        context.update(
            query=query,
            result=result,
            facets=facets,
            active_filters=active,
            clear_url=url_with(**{name: "" for name in FACET_PARAM.values()}),
            sorts=[{"value": value, "label": label, "active": query.sort == value}
                   for value, label in (("relevance", _("Relevance")), ("stars", _("Stars")),
                                        ("price", _("Price")), ("newest", _("Newest")))],
            page_number=query.page,
            num_pages=pages,
            previous_url=url_with(page=query.page - 1) if query.page > 1 else "",
            next_url=url_with(page=query.page + 1) if query.page < pages else "",
            suggestion_urls=[{"text": s, "url": url_with(q=s, page="")} for s in result.suggestions],
        )
        return context


class SearchApiView(View):
    def get(self, request):
        query, result, labels = run_search(request)
        return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})


class SuggestApiView(View):
    def get(self, request):
        q = request.GET.get("q", "")
        return JsonResponse(
            {"query": q[:200], "suggestions": service.suggest(q)}, json_dumps_params={"ensure_ascii": False}
        )
