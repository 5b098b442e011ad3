"""The search engine backend: Elasticsearch 8 in production, OpenSearch where that is what runs.

Mappings, analysis and query bodies are built once with `elasticsearch.dsl` objects and
sent as plain dicts through a client chosen by OCOP_SEARCH["ENGINE"]: the `elasticsearch`
8.x client for Elasticsearch, `opensearch-py` for OpenSearch (the elasticsearch client
refuses to talk to OpenSearch). Both accept the same REST bodies used here.

Analysis: the standard tokenizer, lowercase and ASCII folding (which also folds đ→d), so
`dak nong` finds Đắk Nông; names also get edge n-grams (2–15) for suggestions.
Facets are terms aggregations, each under a filter of the *other* active filters, and the
filters themselves are a post_filter: the same counting rule as the database backend.
The index is an alias over `<INDEX>-<timestamp>`; a rebuild fills a new index and then
moves the alias in one atomic step.
"""

import logging

from django.utils import timezone
from elasticsearch.dsl import A, Mapping, Q, Search, analyzer, token_filter
from elasticsearch.dsl.field import Date, Integer, Keyword, Long, Text

from search import text
from search.backends.base import (
    FACETS,
    MAX_WINDOW,
    SUGGEST_LIMIT,
    SearchBackend,
    SearchResult,
    SearchUnavailable,
    hit_from_document,
    sort_facet_values,
)

logger = logging.getLogger("search")

vi_fold = analyzer("vi_fold", tokenizer="standard", filter=["lowercase", "asciifolding"])
vi_edge = token_filter("vi_edge", "edge_ngram", min_gram=text.SUGGEST_MIN_CHARS, max_gram=text.SUGGEST_MAX_CHARS)
vi_suggest = analyzer("vi_suggest", tokenizer="standard", filter=["lowercase", "asciifolding", vi_edge])


def build_mapping():
    m = Mapping()
    m.meta("dynamic", "strict")
    m.field("id", Keyword())
    m.field("kind", Keyword())
    m.field("kind_order", Integer())
    m.field("object_id", Long())
    m.field("url", Keyword(index=False))
    m.field(
        "name",
        Text(analyzer=vi_fold, fields={"suggest": Text(analyzer=vi_suggest, search_analyzer=vi_fold)}),
    )
    m.field("name_folded", Keyword())
    m.field("text", Text(analyzer=vi_fold))
    m.field("stars", Integer())
    m.field("price", Long())
    m.field("producer", Keyword())
    for name in ("producer_type", "province", "district", "group", "subgroup"):
        m.field(name, Keyword())
    for name in ("province_name", "district_name"):
        m.field(name, Keyword(index=False))
    m.field("published_at", Date())
    return m


MAPPING = build_mapping()
FIELDS = set(MAPPING.to_dict()["properties"])


def index_body():
    analysis = {}
    for item in (vi_fold, vi_suggest):
        for section, definitions in item.get_analysis_definition().items():
            analysis.setdefault(section, {}).update(definitions)
    return {
        "settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": analysis},
        "mappings": MAPPING.to_dict(),
    }


def filter_query(name, value):
    if name == "group":
        return Q("bool", should=[Q("term", group=value), Q("term", subgroup=value)], minimum_should_match=1)
    return Q("term", **{name: value})


FACET_FILTER = {"province": "province", "district": "district", "group": "group",
                "subgroup": "group", "stars": "stars", "producer_type": "producer_type"}

SORTS = {
    "stars": [{"stars": {"order": "desc", "missing": "_last"}}],
    "price": [{"price": {"order": "asc", "missing": "_last"}}],
    "newest": [{"published_at": {"order": "desc", "missing": "_last"}}],
}
TIEBREAK = [{"kind_order": {"order": "asc"}}, {"object_id": {"order": "asc"}}]


def search_body(query):
    words = query.tokens
    s = Search()
    if words:
        s = s.query("match", text={"query": " ".join(words), "operator": "and"})
    active = query.active_filters()
    filters = {name: filter_query(name, value) for name, value in active.items()}
    if filters:
        s = s.post_filter("bool", filter=list(filters.values()))
    for facet in FACETS if query.facets else ():
        others = [q for name, q in filters.items() if name != FACET_FILTER[facet]]
        s.aggs.bucket(facet, A("filter", Q("bool", filter=others))).bucket(
            "values", A("terms", field=facet, size=500, order=[{"_count": "desc"}, {"_key": "asc"}])
        )
    if query.sort in SORTS:
        s = s.sort(*SORTS[query.sort], *TIEBREAK)
    elif words:
        s = s.sort("_score", *TIEBREAK)
    else:
        s = s.sort(*TIEBREAK)
    s = s.extra(track_total_hits=True)
    if query.window_exceeded:
        s = s[0:0]
    else:
        s = s[query.offset : query.offset + query.page_size]
    return s.to_dict()


def suggest_body(words, limit):
    s = Search().query("match", **{"name.suggest": {"query": " ".join(words), "operator": "and"}})
    s = s.sort({"name_folded": {"order": "asc"}}, *TIEBREAK).source(["name"])
    return s[: limit * 3].to_dict()


def make_client(engine, url, api_key="", user="", password="", ca_cert="", timeout=3.0):
    if engine == "opensearch":
        from opensearchpy import OpenSearch

        options = {"hosts": [url], "timeout": timeout, "max_retries": 0, "retry_on_timeout": False}
        if user:
            options["http_auth"] = (user, password)
        if api_key:
            options["headers"] = {"Authorization": f"ApiKey {api_key}"}
        if ca_cert:
            options.update(use_ssl=True, verify_certs=True, ca_certs=ca_cert)
        return OpenSearch(**options)
    from elasticsearch import Elasticsearch

    options = {"request_timeout": timeout, "max_retries": 0, "retry_on_timeout": False}
    if user:
        options["basic_auth"] = (user, password)
    if api_key:
        options["api_key"] = api_key
    if ca_cert:
        options["ca_certs"] = ca_cert
    return Elasticsearch(url, **options)


class EngineBackend(SearchBackend):
    uses_outbox = True

    def __init__(self, engine, url, index="ocop", api_key="", user="", password="", ca_cert="",
                 timeout=3.0, client=None, **options):
        self.engine = engine
        self.alias = index
        self.client = client or make_client(engine, url, api_key, user, password, ca_cert, timeout)

    def _call(self, action, *args, **kwargs):
        try:
            return action(*args, **kwargs)
        except Exception as exc:
            raise SearchUnavailable(f"{self.engine}: {type(exc).__name__}: {exc}") from exc

    # --- index management ---------------------------------------------------------
    def _new_index(self):
        name = f"{self.alias}-{timezone.now():%Y%m%d%H%M%S%f}"
        self._call(self.client.indices.create, index=name, body=index_body())
        return name

    def _indexes(self):
        """Concrete indexes behind the alias."""
        if not self._call(self.client.indices.exists_alias, name=self.alias):
            return []
        return sorted(self._call(self.client.indices.get_alias, name=self.alias))

    def ensure_index(self):
        if not self._indexes():
            name = self._new_index()
            self._call(self.client.indices.update_aliases, body={"actions": [{"add": {"index": name, "alias": self.alias}}]})

    def _bulk(self, operations, refresh=True):
        if not operations:
            return
        response = self._call(self.client.bulk, body=operations, refresh="true" if refresh else "false")
        if response.get("errors"):
            failures = [
                item for item in response["items"] for op, result in item.items()
                if result.get("status", 200) >= 300 and not (op == "delete" and result.get("status") == 404)
            ]
            if failures:
                raise SearchUnavailable(f"{self.engine}: bulk failed: {failures[:3]}")

    @staticmethod
    def _source(doc):
        source = {k: v for k, v in doc.items() if k in FIELDS}
        if source.get("published_at") is not None:
            source["published_at"] = source["published_at"].isoformat()
        return source

    def _index_operations(self, documents, index):
        operations = []
        for doc in documents:
            operations.append({"index": {"_index": index, "_id": doc["id"]}})
            operations.append(self._source(doc))
        return operations

    def upsert(self, documents):
        documents = list(documents)
        if documents:
            self.ensure_index()
            self._bulk(self._index_operations(documents, self.alias))

    def delete(self, doc_ids):
        doc_ids = list(doc_ids)
        if doc_ids:
            self.ensure_index()
            self._bulk([{"delete": {"_index": self.alias, "_id": i}} for i in doc_ids])

    def rebuild(self, documents, total=None, progress=None, chunk=500):
        old = self._indexes()
        new = self._new_index()
        batch = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= chunk:
                self._bulk(self._index_operations(batch, new), refresh=False)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            self._bulk(self._index_operations(batch, new), refresh=False)
            if progress:
                progress(len(batch))
        self._call(self.client.indices.refresh, index=new)
        # One atomic alias swap: searches see the old index until this instant.
        actions = [{"remove": {"index": name, "alias": self.alias}} for name in old]
        actions.append({"add": {"index": new, "alias": self.alias}})
        self._call(self.client.indices.update_aliases, body={"actions": actions})
        for name in old:
            self._call(self.client.indices.delete, index=name)
        return new

    def drop(self):
        """Delete the alias's indexes (tests)."""
        for name in self._indexes():
            self._call(self.client.indices.delete, index=name)

    def count(self):
        if not self._indexes():
            return 0
        return self._call(self.client.count, index=self.alias)["count"]

    def size_bytes(self):
        stats = self._call(self.client.indices.stats, index=self.alias)
        return stats["_all"]["primaries"]["store"]["size_in_bytes"]

    # --- reading -------------------------------------------------------------------
    def search(self, query):
        response = self._call(self.client.search, index=self.alias, body=search_body(query))
        hits = [hit_from_document(hit["_source"]) for hit in response["hits"]["hits"]]
        facets = {
            facet: sort_facet_values(
                (bucket["key"], bucket["doc_count"])
                for bucket in response["aggregations"][facet]["values"]["buckets"]
            )
            for facet in FACETS
            if facet in response.get("aggregations", {})
        }
        return SearchResult(query=query, hits=hits, total=response["hits"]["total"]["value"], facets=facets)

    def suggest(self, q, limit=SUGGEST_LIMIT):
        words = text.suggest_tokens(q)
        if not words:
            return []
        response = self._call(self.client.search, index=self.alias, body=suggest_body(words, limit))
        names = []
        for hit in response["hits"]["hits"]:
            name = hit["_source"]["name"]
            if name not in names:
                names.append(name)
            if len(names) == limit:
                break
        return names
