"""Routing a request to a page in one lookup instead of one (or two) per level of the tree.

Wagtail's Page.route walks the path one slug at a time, loading each intermediate page and
its specific object: a product page (home › producers › producer › product) costs seven
queries before the page's own work begins. Only the final page must be live for Wagtail's
walk to succeed, so looking the live page up by its url_path gives the same answer; anything
else (a routable page's sub-route such as /tin-tuc/rss/, a draft, a missing page) falls back
to Wagtail's walk, which keeps its behaviour and its 404s.
"""

from wagtail.models import Page


class DirectRouteMixin:
    def route(self, request, path_components):
        components = [c for c in path_components if c]
        if components:
            url_path = self.url_path + "/".join(components) + "/"
            page = (
                Page.objects.filter(
                    url_path=url_path, live=True, depth=self.depth + len(components), path__startswith=self.path
                )
                .only("pk", "content_type")
                .first()
            )
            if page is not None:
                return page.specific.route(request, [])
        return super().route(request, path_components)
