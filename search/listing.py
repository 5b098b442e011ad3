"""The product listing (/san-pham/): the search service scoped to products, as cards.

Filters (district, group, stars, province), their facet counts, sorting and pagination are
the search's own (search.service and search.presentation): there is no second filtering
logic. The page's products are then loaded in one query for the cards, in the order the
search gave; the SQL count does not grow with the products listed.
"""

from django.utils import timezone

from catalog import rules
from catalog.prepared import prepared
from cms import product_display
from cms.models import PAGE_SIZE, ProductPage
from search import documents, presentation, service
from search.backends.base import SearchQuery

FACETS = ("province", "district", "group", "subgroup", "stars")
SORTS = ("stars", "price", "newest")
DEFAULT_SORT = "stars"


def card_pages(hits):
    """The live, certified ProductPages of `hits`, in the hits' order, ready for the cards."""
    ids = [documents.object_id(hit.id) for hit in hits if hit.kind == "product"]
    if not ids:
        return []
    pages = _certified_cards(timezone.localdate(), rules.min_certified_stars(), *ids)
    by_pk = {page.pk: page for page in product_display.with_card_renditions(pages)}
    return [by_pk[pk] for pk in ids if pk in by_pk]


@prepared
def _certified_cards(today, min_stars, *ids):
    return (
        ProductPage.objects.live()
        .certified(today, min_stars)
        .with_producer()
        .filter(pk__in=ids)
        .select_related("image")
        .defer(*product_display.CARD_UNUSED)
    )


def product_listing(request, page_size=PAGE_SIZE):
    """Template context of the listing for this request."""
    query = SearchQuery.from_params(
        request.GET, kind="product", default_sort=DEFAULT_SORT, facets=FACETS, page_size=page_size
    )
    result = service.search(query)
    labels = presentation.label_facets(result)
    context = presentation.results_context(query, result, labels, sorts=SORTS, default_sort=DEFAULT_SORT)
    context["products"] = card_pages(result.hits)
    return context
