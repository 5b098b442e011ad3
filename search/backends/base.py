"""The search backend interface: the query, the hits, the facets and the result.

Two implementations: `database.DatabaseBackend` (SQLite FTS5 or PostgreSQL full-text, the
embedded default) and `engine.EngineBackend` (Elasticsearch 8 or OpenSearch). One setting,
OCOP_SEARCH["BACKEND"], chooses; the views only ever see this interface (through
search.service, which also falls back to the database when the engine is down).

Semantics both backends keep, checked by tests/integration/test_search_contract.py:
- the query's folded words must all occur in the document's text (AND); no words → all;
- filters are exact: province and district slugs, group code (a top group or a sub-group),
  stars, producer type (legal form);
- each facet counts the documents matching the query and every active filter except its own;
- sorts: relevance (score, then kind and id), stars (high first), price (low first),
  newest (first published), each with missing values last and then kind and id.
Which request parameter is which filter, on which fields, and which sort orders by which
field: search.facets.
"""

from dataclasses import asdict, dataclass, field

from search import text
from search.facets import FACETS, FILTERS, KIND_BY_VALUE, SORT_BY_VALUE

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 50
# The engine refuses to page past 10,000 documents; both backends stop there.
MAX_WINDOW = 10_000
SUGGEST_LIMIT = 8


class SearchUnavailable(Exception):
    """The backend could not answer (e.g. the engine is down)."""


@dataclass(frozen=True)
class SearchQuery:
    q: str = ""
    # The filters: an attribute for each of search.facets.FILTERS, named as its parameter.
    province: str = ""
    district: str = ""
    group: str = ""
    stars: int | None = None
    producer_type: str = ""
    sort: str = "relevance"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    # True: every facet; False: hits and total only (cheaper; the suggest-as-you-type
    # case); or a tuple of the facet names wanted (a product listing).
    facets: bool | tuple = True
    kind: str = ""  # "" every kind of document, or one of search.facets.KINDS (a scope)

    @classmethod
    def from_params(cls, params, kind="", default_sort="relevance", facets=True, page_size=None):
        """From request parameters (a QueryDict or dict); any value is accepted and cleaned.

        `kind`, `facets` and the sort used when none (or an unknown one) is given are the
        caller's, not the request's; so is `page_size` when given.
        """

        def get(name):
            value = params.get(name, "")
            return text.clean_filter(value)

        def integer(name, default, low, high):
            value = get(name)
            if not value.isascii() or not value.isdigit():
                return default
            return min(max(int(value[:6]), low), high)

        filters = {
            f.param: get(f.param) if f.max_value is None else integer(f.param, None, 0, f.max_value) for f in FILTERS
        }
        sort = get("sort")
        return cls(
            q=text.normalize(params.get("q", "")),
            **filters,
            sort=sort if sort in SORT_BY_VALUE else default_sort,
            page=integer("page", 1, 1, MAX_WINDOW),
            page_size=page_size or integer("page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
            facets=facets,
            kind=kind if kind in KIND_BY_VALUE else "",
        )

    def facet_names(self):
        """The facets to count (their fields), in search.facets.FACETS order."""
        names = tuple(facet.field for facet in FACETS)
        if self.facets is True:
            return names
        return tuple(name for name in names if self.facets and name in self.facets)

    @property
    def tokens(self):
        return text.query_tokens(self.q)

    @property
    def offset(self):
        return (self.page - 1) * self.page_size

    @property
    def window_exceeded(self):
        return self.offset + self.page_size > MAX_WINDOW

    def active_filters(self):
        """{parameter: value} of the filters in use."""
        values = {f.param: getattr(self, f.param) for f in FILTERS}
        return {k: v for k, v in values.items() if v not in ("", None)}


@dataclass
class Hit:
    kind: str
    url: str
    name: str
    stars: int | None = None
    price: int | None = None
    producer: str = ""
    district: str = ""
    province: str = ""
    id: str = ""

    def as_dict(self):
        return asdict(self)


@dataclass
class FacetValue:
    value: str
    count: int
    label: str = ""


@dataclass
class SearchResult:
    query: SearchQuery
    hits: list = field(default_factory=list)
    total: int = 0
    facets: dict = field(default_factory=dict)  # facet name → [FacetValue]
    suggestions: list = field(default_factory=list)
    # True: no document has every word as typed; these match with one edit per word.
    approximate: bool = False

    def as_dict(self):
        return {
            "query": asdict(self.query),
            "total": self.total,
            "results": [hit.as_dict() for hit in self.hits],
            "facets": {name: [asdict(v) for v in values] for name, values in self.facets.items()},
            "suggestions": list(self.suggestions),
            "approximate": self.approximate,
        }


def hit_from_document(doc):
    return Hit(
        id=doc["id"],
        kind=doc["kind"],
        url=doc["url"],
        name=doc["name"],
        stars=doc.get("stars"),
        price=doc.get("price"),
        producer=doc.get("producer") or "",
        district=doc.get("district_name") or "",
        province=doc.get("province_name") or "",
    )


def sort_facet_values(counts):
    """[(value, count)] → [FacetValue], most first, then by value (both backends agree)."""
    values = [FacetValue(value=str(v), count=int(n)) for v, n in counts if v not in (None, "") and n]
    return sorted(values, key=lambda fv: (-fv.count, fv.value))


class SearchBackend:
    """What a search backend does. Documents are the flat dicts of search.documents."""

    def search(self, query: SearchQuery) -> SearchResult:
        raise NotImplementedError

    def suggest(self, q: str, limit: int = SUGGEST_LIMIT) -> list:
        """Names whose words start with every word typed (at most `limit`)."""
        raise NotImplementedError

    def upsert(self, documents, version=None):
        """Add or replace `documents`. `version` (search.documents.reading_version(), taken
        before they were read from the database): a backend that can be written to out of
        order (the engine: two workers, a retried request) keeps the newest reading only."""
        raise NotImplementedError

    def delete(self, doc_ids, version=None):
        raise NotImplementedError

    def rebuild(self, documents, total=None, progress=None, version=None):
        """Replace the whole index with `documents`, without a moment of empty search."""
        raise NotImplementedError

    def count(self):
        raise NotImplementedError
