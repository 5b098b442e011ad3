"""Routing a request to a page in one lookup instead of one (or two) per level of the tree.

Wagtail's Page.route walks the path one slug at a time, loading each intermediate page and
its specific object: a product page (home › producers › producer › product) costs seven
queries before the page's own work begins. Only the final page must be live for Wagtail's
walk to succeed, so looking the live page up by its url_path gives the same answer; anything
else (a routable page's sub-route such as /tin-tuc/rss/, a draft, a missing page) falls back
to Wagtail's walk, which keeps its behaviour and its 404s.

The lookup is one query when the page types allow only one type at the page's depth below this
one (the product pages, cms/models.py's locked tree): that type's row is read directly. Otherwise
(or when no such row is there: a page made before the types were locked) it is two: the page's
id and type, then its specific object. A page type may name foreign keys its view always reads
(`route_related`), joined to its row in that one query, and fields of those it leaves unread
(`route_deferred`); the row says too whether a view restriction applies to the page
(`view_restricted`, which TranslatedPage.get_view_restrictions reads).
"""

from functools import cache

from django.db.models import OuterRef
from wagtail.models import Page, get_page_models

from catalog.prepared import prepared
from cms.site_cache import view_restricted


@cache
def only_type_at(model, levels):
    """The one page type that `levels` below a `model` page can be, or None if several can.

    None too when that type has page subclasses (its own query would not return them as such).
    """
    types = {model}
    for _ in range(levels):
        types = {sub for parent in types for sub in parent.allowed_subpage_models()}
    if len(types) != 1:
        return None
    (only,) = types
    if only is Page or any(other is not only and issubclass(other, only) for other in get_page_models()):
        return None
    return only


@cache
def live_page_lookup(model):
    """The live `model` page at a url_path and depth with a tree path from `first` to `last` (under
    a page, as `tree_range` gives), with its `route_related` rows joined (a list of at most one),
    its SQL compiled once (catalog/prepared.py)."""
    related = getattr(model, "route_related", ())
    deferred = getattr(model, "route_deferred", ())

    @prepared
    def lookup(url_path, depth, first, last):
        found = model.objects.filter(url_path=url_path, live=True, depth=depth, path__range=(first, last))
        found = found.annotate(view_restricted=view_restricted(OuterRef("path")))
        # One page at most has the url_path: no ordering (the pages' own, by tree path, would sort).
        return found.select_related(*related).defer(*deferred).order_by()[:1]

    return lookup


def tree_range(page, depth):
    """The first and last tree paths a page `depth` levels deep under `page` can have: `page`'s path
    and, for each level more, a step from 0000 to ZZZZ. A range, not a prefix (LIKE): SQLite
    prepares a statement with a LIKE parameter again at every run (about 0.2 ms for the product
    page's routing query)."""
    steps = depth - page.depth
    return tuple(page.path + Page.alphabet[end] * Page.steplen * steps for end in (0, -1))


class DirectRouteMixin:
    def route(self, request, path_components):
        components = [c for c in path_components if c]
        if components:
            url_path, depth = self.url_path + "/".join(components) + "/", self.depth + len(components)
            only, under = only_type_at(type(self), len(components)), tree_range(self, depth)
            if only is not None and (found := live_page_lookup(only)(url_path, depth, *under)):
                return found[0].route(request, [])
            lookup = {"url_path": url_path, "live": True, "depth": depth, "path__range": under}
            page = Page.objects.filter(**lookup).only("pk", "content_type").first()
            if page is not None:
                return page.specific.route(request, [])
        return super().route(request, path_components)
