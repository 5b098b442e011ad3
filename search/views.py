"""The site search: /search/ (HTML), /api/search/ (the same as JSON), /api/suggest/.

The views call search.service and never ask which backend answered; search.presentation
turns the result into the page's context (the product listing uses the same code).
"""

from django.http import JsonResponse
from django.views import View
from django.views.generic import TemplateView

from search import presentation, service
from search.backends.base import SearchQuery


def run_search(request):
    query = SearchQuery.from_params(request.GET)
    result = service.search(query)
    labels = presentation.label_facets(result)
    return query, result, labels


class SearchView(TemplateView):
    template_name = "search/search_page.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, result, labels = run_search(self.request)
        context.update(presentation.results_context(query, result, labels))
        presentation.english_hits(result.hits)
        return context


class SearchApiView(View):
    def get(self, request):
        query, result, labels = run_search(request)
        return JsonResponse(result.as_dict(), json_dumps_params={"ensure_ascii": False})


class SuggestApiView(View):
    def get(self, request):
        q = request.GET.get("q", "")
        names = service.suggest(q)
        # Each name with the page it leads to (search as you type, ocop/suggest.js).
        links = service.suggestion_links(names) if names else {}
        pages = [{"name": name, "url": links.get(name, "")} for name in names]
        return JsonResponse(
            {"query": q[:200], "suggestions": names, "pages": pages}, json_dumps_params={"ensure_ascii": False}
        )
