"""The embedded backend: SearchDocument rows and the database's own full-text search.

SQLite: an FTS5 table over the folded text, kept by triggers (see the migration).
PostgreSQL: a generated tsvector column ('simple' configuration on the folded text, which
is already lowercase and without diacritics) with a GIN index. Both match whole folded
words, all of them (AND), like the engine's analyzer does.
"""

import operator
from functools import cache, lru_cache, reduce

from django.db import connection, transaction
from django.db.models import BooleanField, CharField, Count, F, FloatField, Q, Value, Window
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from catalog.prepared import prepared
from search import text
from search.backends.base import (
    SUGGEST_LIMIT,
    SearchBackend,
    SearchResult,
    hit_from_document,
    sort_facet_values,
)
from search.facets import FACET_BY_FIELD, FILTER_BY_PARAM, SORT_BY_VALUE
from search.models import SearchDocument

TABLE = SearchDocument._meta.db_table
FTS_TABLE = "search_fts"


def _match_text(words):
    """The words as the database's full-text query: every word, whole (AND)."""
    if connection.vendor == "postgresql":
        return " & ".join(f"'{w}'" for w in words)
    return _fts_query(words)


def _match_sql(match):
    """A condition on the document's id that its text matches `match` (_match_text)."""
    if connection.vendor == "postgresql":
        return f'"{TABLE}"."text_vector" @@ to_tsquery(\'simple\', %s)', [match]
    return f'"{TABLE}"."id" IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)', [match]


def _fts_query(words):
    # Each word quoted, so AND/OR/NOT/NEAR and * are just words.
    return " ".join(f'"{w}"' for w in words)


def _rank_sql(match):
    """PostgreSQL's relevance score, higher is better."""
    return f'ts_rank("{TABLE}"."text_vector", to_tsquery(\'simple\', %s))', [match]


def filter_q(param, value):
    """The documents that hold `value` in any of the filter's fields."""
    return reduce(operator.or_, (Q(**{field: value}) for field in FILTER_BY_PARAM[param].fields))


def _matching(kind, has_words, names, values, skip=None):
    """The documents of `kind` whose text matches (the first of `values` if `has_words`) and that
    hold each filter's value (the filters `names`, but `skip`; their values follow)."""
    documents = SearchDocument.objects.all()
    if kind:
        documents = documents.filter(kind=kind)
    if has_words:
        sql, params = _match_sql(values[0])
        documents = documents.filter(RawSQL(sql, params, output_field=BooleanField()))
        values = values[1:]
    for name, value in zip(names, values, strict=True):
        if name != skip:
            documents = documents.filter(filter_q(name, value))
    return documents


@cache
def _count_statement(kind, has_words, names):
    """The number of matching documents (a list of one number, empty when there are none)."""

    @prepared
    def count(*values):
        documents = _matching(kind, has_words, names, values).order_by()
        return documents.annotate(total=Window(Count("id"))).values_list("total", flat=True)[:1]

    return count


@lru_cache(maxsize=256)  # a shape per page number: a crawler's pages must not grow memory without end
def _hits_statement(kind, has_words, names, sort_value, start, stop):
    """The matching documents in the sort's order from `start` to `stop`."""

    @prepared
    def hits(*values):
        documents = _matching(kind, has_words, names, values)
        tiebreak = ["kind_order", "object_id"]
        sort = SORT_BY_VALUE.get(sort_value)
        if sort and sort.field:
            by = F(sort.field).desc(nulls_last=True) if sort.descending else F(sort.field).asc(nulls_last=True)
            order = [by, *tiebreak]
        elif has_words and connection.vendor == "sqlite":
            # bm25() only works in a query on the FTS table itself: join it (a correlated
            # subquery per row is ten times slower).
            documents = documents.extra(
                tables=[FTS_TABLE],
                where=[f'{FTS_TABLE}.rowid = "{TABLE}"."id"', f"{FTS_TABLE} MATCH %s"],
                params=[values[0]],
                select={"rank": f"bm25({FTS_TABLE})"},
            )
            order = ["rank", *tiebreak]  # bm25: lower is better
        elif has_words:
            sql, params = _rank_sql(values[0])
            documents = documents.annotate(rank=RawSQL(sql, params, output_field=FloatField()))
            order = ["-rank", *tiebreak]
        else:
            order = tiebreak
        return documents.order_by(*order)[start:stop]

    return hits


@cache
def _facets_statement(kind, has_words, names, facet_names):
    """(facet, value, count) of each facet's values: one UNION ALL of a GROUP BY per facet, each
    counted under every filter but the one the facet sets."""

    @prepared
    def facets(*values):
        parts = []
        for facet in facet_names:
            documents = _matching(kind, has_words, names, values, skip=FACET_BY_FIELD[facet].param)
            parts.append(
                documents.exclude(**{f"{facet}__isnull": True})
                .annotate(
                    facet_name=Value(facet, output_field=CharField()), facet_value=Cast(facet, output_field=CharField())
                )
                .values_list("facet_name", "facet_value")
                .annotate(n=Count("id"))
                .order_by()
            )
        return parts[0].union(*parts[1:], all=True)

    return facets


class DatabaseBackend(SearchBackend):
    def __init__(self, **options):
        self.options = options

    # --- reading -------------------------------------------------------------------
    # A search is three statements (count, hits, facets), each compiled once per shape
    # (catalog/prepared.py): the kind, whether there are words, the filters in use, and for the
    # hits the sort and the page. The full-text query and the filters' values are their values.
    def search(self, query):
        active = query.active_filters()
        words = query.tokens
        values = ((_match_text(words),) if words else ()) + tuple(active.values())
        shape = (query.kind, bool(words), tuple(active))
        (total,) = _count_statement(*shape)(*values) or [0]
        hits = []
        if not query.window_exceeded:
            rows = _hits_statement(*shape, query.sort, query.offset, query.offset + query.page_size)(*values)
            hits = [hit_from_document(row.as_document()) for row in rows]
        counts = {facet: [] for facet in query.facet_names()}
        if counts:
            for facet, value, n in _facets_statement(*shape, query.facet_names())(*values):
                counts[facet].append((value, n))
        facets = {facet: sort_facet_values(values) for facet, values in counts.items()}
        return SearchResult(query=query, hits=hits, total=total, facets=facets)

    def suggest(self, q, limit=SUGGEST_LIMIT):
        words = text.suggest_tokens(q)
        if not words:
            return []
        documents = SearchDocument.objects.all()
        for word in words:
            # A word of the name starts with it: at the start, or after a space.
            documents = documents.filter(Q(name_folded__startswith=word) | Q(name_folded__contains=" " + word))
        names = documents.order_by("name_folded", "kind_order", "object_id").values_list("name", flat=True)
        seen = []
        for name in names[: limit * 3]:
            if name not in seen:
                seen.append(name)
            if len(seen) == limit:
                break
        return seen

    def count(self):
        return SearchDocument.objects.count()

    # --- writing -------------------------------------------------------------------
    def upsert(self, documents, version=None):
        # Written in the change's own transaction: never out of order, `version` is not needed.
        documents = list(documents)
        if not documents:
            return
        ids = [d["id"] for d in documents]
        with transaction.atomic():
            SearchDocument.objects.filter(doc_id__in=ids).delete()
            SearchDocument.objects.bulk_create([SearchDocument.from_document(d) for d in documents])

    def delete(self, doc_ids, version=None):
        SearchDocument.objects.filter(doc_id__in=list(doc_ids)).delete()

    def rebuild(self, documents, total=None, progress=None, version=None):
        # One transaction: readers see the old index until the new one is complete.
        with transaction.atomic():
            SearchDocument.objects.all().delete()
            batch = []
            for doc in documents:
                batch.append(SearchDocument.from_document(doc))
                if len(batch) >= 500:
                    SearchDocument.objects.bulk_create(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                SearchDocument.objects.bulk_create(batch)
                if progress:
                    progress(len(batch))

    def size_bytes(self):
        """Rough size of the index on disk (for the benchmark)."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("SELECT pg_total_relation_size(%s)", [TABLE])
                return cursor.fetchone()[0]
            try:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR name LIKE %s", [TABLE, FTS_TABLE + "%"]
                )
                return cursor.fetchone()[0]
            except Exception:
                return None
