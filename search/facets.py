"""What a search can be narrowed, counted and sorted by, and the request parameter of each.

The one table of them: SearchQuery.from_params (so the views), both backends and
search.presentation read it, and none of them names a parameter or a field of its own.
- A facet counts the values of one document field; the link of a value sets the facet's
  parameter to it.
- A filter is a request parameter (and the SearchQuery attribute of the same name): it keeps
  the documents that hold its value in the field of any facet that sets it, so that a facet
  value's link finds the documents the facet counted. Filters are derived from FACETS.
- A facet is counted under the words and every active filter except the one it sets.
- A sort is a value of the `sort` parameter and the document field it orders by.
- A kind of document scopes a search; the caller chooses it, not a parameter.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Facet:
    field: str  # the document field counted; also the facet's name in results and the API
    param: str  # the request parameter the facet's values set
    title: str  # lazy: translated when shown
    max_value: int | None = None  # the parameter is a whole number from 0 to this; None: text


FACETS = (
    Facet("province", "province", _("Province")),
    Facet("district", "district", _("District (before 2025)")),
    Facet("group", "group", _("Product group")),
    # A sub-group's code is a group code: the group filter keeps a top group's documents and
    # a sub-group's alike, so both facets set it.
    Facet("subgroup", "group", _("Sub-group")),
    Facet("stars", "stars", _("Stars"), max_value=5),
    Facet("producer_type", "producer_type", _("Producer type")),
)


@dataclass(frozen=True)
class Filter:
    param: str  # the request parameter and SearchQuery attribute
    fields: tuple  # the document fields, any of which may hold the value; the first labels it
    title: str  # the first facet's
    max_value: int | None


def _filters():
    by_param = {}
    for facet in FACETS:
        by_param.setdefault(facet.param, []).append(facet)
    return tuple(
        Filter(param, tuple(f.field for f in facets), facets[0].title, facets[0].max_value)
        for param, facets in by_param.items()
    )


FILTERS = _filters()  # in FACETS order: the order of the parameters in the page's links
FACET_BY_FIELD = {facet.field: facet for facet in FACETS}
FILTER_BY_PARAM = {f.param: f for f in FILTERS}


@dataclass(frozen=True)
class Sort:
    value: str  # of the `sort` parameter
    title: str
    field: str = ""  # the document field ordered by, missing values last; "" is relevance
    descending: bool = False


SORTS = (
    Sort("relevance", _("Relevance")),
    Sort("stars", _("Stars"), "stars", descending=True),
    Sort("price", _("Price"), "price"),
    Sort("newest", _("Newest"), "published_at", descending=True),
)
SORT_BY_VALUE = {sort.value: sort for sort in SORTS}


@dataclass(frozen=True)
class Kind:
    value: str  # the document's `kind`
    title: str


KINDS = (Kind("product", _("Product")), Kind("producer", _("Producer")), Kind("announcement", _("Announcement")))
KIND_BY_VALUE = {kind.value: kind for kind in KINDS}
