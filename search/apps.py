"""Oscar's search app, forked so that the label 'search' is ours.

Oscar's own product search (/shop/search/, Haystack) is left as it is. Ours: the backends
(search/backends/), the documents they index, the outbox and its worker, and the views at
/search/, /api/search/ and /api/suggest/ (search/views.py).
"""

import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        super().ready()
        # Imported here, not at the top: they import the page models, loaded only from ready() on.
        from search import conf, signals

        # A missing or malformed OCOP_SEARCH stops the start-up here, with its reason.
        conf.search_settings()
        signals.connect()
