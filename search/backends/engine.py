"""The search engine backend: Elasticsearch 8 or 9 in production, OpenSearch where that is what runs.

Mappings and query bodies are built once with `elasticsearch.dsl` objects and sent as plain
dicts through a client chosen by OCOP_SEARCH["ENGINE"]: the `elasticsearch` 8.x client for
Elasticsearch (8.x, and 9.x in its REST compatibility mode: the client asks for
`compatible-with=8`), `opensearch-py` for OpenSearch (the elasticsearch client refuses to
talk to OpenSearch). Both accept the same REST bodies used here.

One mapping that any stock engine serves, with no plugin: Elastic's own minimal
distribution has no analysis-common module (no asciifolding, no edge n-grams, no
search_as_you_type). So the folding is done here, in Python, by search.text (NFC, no
diacritics, đ→d, lowercase, letters and digits only): the same function the database
backend uses, so the engines and the database see the same words. The engine only splits
them on spaces (the core `whitespace` analyzer). As-you-type matching uses the core
`index_prefixes` option and prefix queries. English fields are folded into the same text,
so English queries find products on every backend.

Relevance: every word must occur in the text (AND, as in the database backend); a match in
the name, and the words side by side, score higher. When that finds nothing, the query is
asked again with one edit allowed per word of four letters or more (typo tolerance): the
result is marked `approximate` and the page says so.

Facets are terms aggregations in size-0 requests sent with the hits' request in one
msearch: the facets whose own filter is not active in one pass over a "facet:value"
field, each active filter's facets under the words and the *other* filters (see
search_bodies): the same counting rule as the database backend. Facet fields load their global ordinals eagerly, at refresh, not on a search.
The index is an alias over `<INDEX>-<timestamp>`; a rebuild fills a new index, merges it
into one segment and then moves the alias in one atomic step. Replicas expand from 0 to 1
with the number of nodes (`auto_expand_replicas`), so one mapping serves a single node and
a cluster.
"""

import logging

from django.utils import timezone
from elasticsearch.dsl import A, Mapping, Q, Search
from elasticsearch.dsl.field import Date, Integer, Keyword, Long, Text

from search import conf, text
from search.backends.base import (
    SUGGEST_LIMIT,
    SearchBackend,
    SearchResult,
    SearchUnavailable,
    hit_from_document,
    sort_facet_values,
)
from search.facets import FACET_BY_FIELD, FACETS, FILTER_BY_PARAM, SORTS

logger = logging.getLogger("search")

# The text is folded and tokenised in Python (search.text): the engine splits on spaces only.
WORDS = "whitespace"
# One edit per word of 4 letters or more ("AUTO:low,high": none below low, one up to high).
TYPO_FUZZINESS = "AUTO:4,1000"


def build_mapping():
    m = Mapping()
    m.meta("dynamic", "strict")
    m.field("id", Keyword())
    m.field("kind", Keyword())
    m.field("kind_order", Integer())
    m.field("object_id", Long())
    m.field("url", Keyword(index=False, doc_values=False))
    m.field("name", Keyword(index=False, doc_values=False))
    # The folded name: sorted on as a keyword, matched word by word as you type (prefixes
    # of 2–15 characters are indexed, as the database backend's suggestions allow).
    m.field(
        "name_folded",
        Keyword(
            fields={
                "words": Text(
                    analyzer=WORDS,
                    index_prefixes={"min_chars": text.SUGGEST_MIN_CHARS, "max_chars": text.SUGGEST_MAX_CHARS},
                )
            }
        ),
    )
    # The folded Vietnamese and English names: a match here ranks higher.
    m.field("title_folded", Text(analyzer=WORDS))
    # Everything searchable, folded (Vietnamese and English): what the words must all match.
    m.field("text_folded", Text(analyzer=WORDS))
    m.field("stars", Integer())
    m.field("price", Long())
    m.field("producer", Keyword())
    for name in ("producer_type", "province", "district", "group", "subgroup"):
        m.field(name, Keyword(eager_global_ordinals=True))
    for name in ("province_name", "district_name"):
        m.field(name, Keyword(index=False, doc_values=False))
    m.field("published_at", Date())
    # Every facet value of the document as "facet:value" (see facet_keys): one terms
    # aggregation over this field counts all the facets in one pass over the documents.
    m.field("facet_keys", Keyword(eager_global_ordinals=True))
    return m


MAPPING = build_mapping()
FIELDS = set(MAPPING.to_dict()["properties"])


def index_body(shards=1, replicas=None):
    """Settings and mapping of a new index. `replicas` None: 0 on one node, 1 on more."""
    settings = {"number_of_shards": shards}
    if replicas is None:
        settings["auto_expand_replicas"] = "0-1"
    else:
        settings["number_of_replicas"] = replicas
    return {"settings": settings, "mappings": MAPPING.to_dict()}


def filter_query(param, value):
    """The documents that hold `value` in any of the filter's fields."""
    terms = [Q("term", **{field: value}) for field in FILTER_BY_PARAM[param].fields]
    if len(terms) == 1:
        return terms[0]
    return Q("bool", should=terms, minimum_should_match=1)


# The sort clauses by `sort` value; relevance has none (it sorts by the score).
SORT_CLAUSES = {
    sort.value: [{sort.field: {"order": "desc" if sort.descending else "asc", "missing": "_last"}}]
    for sort in SORTS
    if sort.field
}
TIEBREAK = [{"kind_order": {"order": "asc"}}, {"object_id": {"order": "asc"}}]


HIT_FIELDS = ["id", "kind", "url", "name", "stars", "price", "producer", "district_name", "province_name"]


FACET_SIZE = 500  # values per facet


def terms_agg(facet):
    return A("terms", field=facet, size=FACET_SIZE, order=[{"_count": "desc"}, {"_key": "asc"}])


def facet_keys(doc):
    return [f"{facet.field}:{doc[facet.field]}" for facet in FACETS if doc.get(facet.field) not in ("", None)]


def split_facet_keys(buckets):
    """The buckets of the facet_keys aggregation → {facet: [(value, count)]}."""
    counts = {}
    for bucket in buckets:
        facet, _, value = bucket["key"].partition(":")
        counts.setdefault(facet, []).append((value, bucket["doc_count"]))
    return counts


def _words_query(words, fuzzy=False):
    """All the words in the text; the name and the words side by side score higher."""
    phrase = " ".join(words)
    match = {"query": phrase, "operator": "and"}
    if fuzzy:
        match.update(fuzziness=TYPO_FUZZINESS, prefix_length=1)
    should = [Q("match", title_folded={**match, "boost": 3})]
    if len(words) > 1:
        should.append(Q("match_phrase", text_folded={"query": phrase, "slop": 1, "boost": 2}))
    return Q("bool", must=[Q("match", text_folded=match)], should=should)


def _base_query(words, filters, fuzzy=False):
    must = [_words_query(words, fuzzy)] if words else []
    if not must and not filters:
        return Q("match_all")
    return Q("bool", must=must, filter=list(filters))


def search_bodies(query, fuzzy=False):
    """The request bodies of one search (sent together in one msearch when more than one).

    The first body finds the page of hits (and the total) under the words and every
    active filter, with no aggregation. The facets are counted by size-0 bodies, which
    the node may answer from its request cache until the index next changes:
    - those whose own filter is not active, under the same words and filters, in one pass
      over the documents: a terms aggregation over facet_keys, large enough for every
      value of every facet (a site has far fewer than FACET_SIZE × 6 of them);
    - each active filter's facets (group's are group and subgroup) under the words and
      the *other* filters.
    Each body lets the index narrow the documents before anything is counted, instead of
    filter aggregations that test every matching document once per facet.
    `fuzzy`: one edit allowed per word (the retry when the exact words find nothing).
    """
    words = query.tokens
    active = query.active_filters()
    filters = {name: filter_query(name, value) for name, value in active.items()}
    scope = [Q("term", kind=query.kind)] if query.kind else []
    s = Search().query(_base_query(words, [*scope, *filters.values()], fuzzy))
    facets_of = {}
    together = []
    for facet in query.facet_names():
        own = FACET_BY_FIELD[facet].param
        if own in filters:
            facets_of.setdefault(own, []).append(facet)
        else:
            together.append(facet)
    if query.sort in SORT_CLAUSES:
        s = s.sort(*SORT_CLAUSES[query.sort], *TIEBREAK)
    elif words:
        s = s.sort("_score", *TIEBREAK)
    else:
        s = s.sort(*TIEBREAK)
    s = s.extra(track_total_hits=True).source(HIT_FIELDS)
    if query.window_exceeded:
        s = s[0:0]
    else:
        s = s[query.offset : query.offset + query.page_size]
    bodies = [s.to_dict()]
    if together:
        f = Search().query(_base_query(words, [*scope, *filters.values()], fuzzy)).extra(track_total_hits=False)[0:0]
        f.aggs.bucket(
            "facet_keys",
            "terms",
            field="facet_keys",
            size=FACET_SIZE * len(FACETS),
            include="(" + "|".join(together) + "):.*",
        )
        bodies.append(f.to_dict())
    for own, facets in facets_of.items():
        others = [*scope, *(q for name, q in filters.items() if name != own)]
        f = Search().query(_base_query(words, others, fuzzy)).extra(track_total_hits=False)[0:0]
        for facet in facets:
            f.aggs.bucket(facet, terms_agg(facet))
        bodies.append(f.to_dict())
    return bodies


def suggest_body(words, limit):
    """Names with a word starting with each typed word (the prefixes are indexed)."""
    prefixes = [Q("prefix", **{"name_folded.words": word}) for word in words]
    s = Search().query(Q("bool", filter=prefixes))
    s = s.sort({"name_folded": {"order": "asc"}}, *TIEBREAK).source(["name"])
    return s[: limit * 3].to_dict()


# Several nodes: a request that meets a dead or overloaded node goes to another one.
RETRY_ON_STATUS = (502, 503, 504)


def make_client(engine, url, api_key="", user="", password="", ca_cert="", timeout=3.0):
    """A client of every node in `url` (one URL or several, comma-separated; search.conf).

    No sniffing: the client talks only to the nodes it is given (behind a managed service's
    load balancer the nodes' own addresses are unreachable). With several nodes, a connection
    error, a timeout or a 502/503/504 is retried on another node (which the client then leaves
    aside for a while), up to once per other node and at least twice; with one node there is
    nothing to retry on, and a failure goes straight to the database fallback
    (search.service). `timeout` is per attempt.
    """
    hosts = conf.urls(url)
    retries = max(2, len(hosts) - 1) if len(hosts) > 1 else 0
    retry = {"max_retries": retries, "retry_on_timeout": retries > 0, "retry_on_status": RETRY_ON_STATUS}
    if engine == "opensearch":
        from opensearchpy import OpenSearch

        options = {"hosts": hosts, "timeout": timeout, "sniff_on_start": False, "sniff_on_connection_fail": False}
        options.update(retry)
        if user:
            options["http_auth"] = (user, password)
        if api_key:
            options["headers"] = {"Authorization": f"ApiKey {api_key}"}
        if ca_cert:
            options.update(use_ssl=True, verify_certs=True, ca_certs=ca_cert)
        return OpenSearch(**options)
    from elasticsearch import Elasticsearch

    options = {"request_timeout": timeout, "sniff_on_start": False, "sniff_on_node_failure": False}
    options.update(retry)
    if user:
        options["basic_auth"] = (user, password)
    if api_key:
        options["api_key"] = api_key
    if ca_cert:
        options["ca_certs"] = ca_cert
    return Elasticsearch(hosts, **options)


class EngineBackend(SearchBackend):
    uses_outbox = True

    def __init__(
        self,
        engine,
        url,
        index="ocop",
        api_key="",
        user="",
        password="",
        ca_cert="",
        timeout=3.0,
        client=None,
        request_cache=None,
        shards=1,
        replicas=None,
        typo_tolerance=True,
        **options,
    ):
        self.engine = engine
        self.shards = shards  # whole numbers: search.conf checked and converted the settings
        self.replicas = replicas
        self.typo_tolerance = typo_tolerance
        # None: the index's default (facet-only requests are cached); False: never (benchmark).
        self.request_cache = request_cache
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
        self._call(self.client.indices.create, index=name, body=index_body(self.shards, self.replicas))
        return name

    def _indexes(self):
        """Concrete indexes behind the alias."""
        if not self._call(self.client.indices.exists_alias, name=self.alias):
            return []
        return sorted(self._call(self.client.indices.get_alias, name=self.alias))

    def ensure_index(self):
        if not self._indexes():
            name = self._new_index()
            self._call(
                self.client.indices.update_aliases, body={"actions": [{"add": {"index": name, "alias": self.alias}}]}
            )

    def _bulk(self, operations, refresh=True):
        if not operations:
            return
        response = self._call(self.client.bulk, body=operations, refresh="true" if refresh else "false")
        if response.get("errors"):
            failures = [
                item
                for item in response["items"]
                for op, result in item.items()
                if result.get("status", 200) >= 300
                and not (op == "delete" and result.get("status") == 404)
                # A version conflict: a newer reading of the document is already there.
                and result.get("status") != 409
            ]
            if failures:
                raise SearchUnavailable(f"{self.engine}: bulk failed: {failures[:3]}")

    @staticmethod
    def _target(index, doc_id, version):
        """A bulk action's target; with `version`, the engine keeps the newest reading only."""
        target = {"_index": index, "_id": doc_id}
        if version is not None:
            target.update(version=version, version_type="external_gte")
        return target

    @staticmethod
    def _source(doc):
        source = {k: v for k, v in doc.items() if k in FIELDS}
        source["facet_keys"] = facet_keys(doc)
        if source.get("published_at") is not None:
            source["published_at"] = source["published_at"].isoformat()
        return source

    def _index_operations(self, documents, index, version=None):
        operations = []
        for doc in documents:
            operations.append({"index": self._target(index, doc["id"], version)})
            operations.append(self._source(doc))
        return operations

    def upsert(self, documents, version=None):
        documents = list(documents)
        if documents:
            self.ensure_index()
            self._bulk(self._index_operations(documents, self.alias, version))

    def delete(self, doc_ids, version=None):
        doc_ids = list(doc_ids)
        if doc_ids:
            self.ensure_index()
            self._bulk([{"delete": self._target(self.alias, i, version)} for i in doc_ids])

    def rebuild(self, documents, total=None, progress=None, chunk=500, version=None):
        old = self._indexes()
        new = self._new_index()
        batch = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= chunk:
                self._bulk(self._index_operations(batch, new, version), refresh=False)
                if progress:
                    progress(len(batch))
                batch = []
        if batch:
            self._bulk(self._index_operations(batch, new, version), refresh=False)
            if progress:
                progress(len(batch))
        self._call(self.client.indices.refresh, index=new)
        # Nothing reads the new index yet: merge it into one segment, so that facets count
        # on segment ordinals directly instead of mapping each segment's to global ones.
        self._call(self.client.indices.forcemerge, index=new, max_num_segments=1)
        self._call(self.client.indices.refresh, index=new)  # releases the merged-away segments
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

    def health(self):
        """The cluster's status (green, yellow or red) and its nodes, from core APIs only
        (`GET /` is not one: Elastic's minimal distribution answers it 405)."""
        health = self._call(self.client.cluster.health)
        return {"cluster": health["status"], "nodes": health["number_of_nodes"]}

    def count(self):
        if not self._indexes():
            return 0
        return self._call(self.client.count, index=self.alias)["count"]

    def size_bytes(self):
        stats = self._call(self.client.indices.stats, index=self.alias)
        return stats["_all"]["primaries"]["store"]["size_in_bytes"]

    # --- reading -------------------------------------------------------------------
    def search(self, query):
        result = self._search(query, fuzzy=False)
        if result.total == 0 and query.tokens and self.typo_tolerance:
            # Nothing has every word as typed: allow one edit per word (a typo).
            approximate = self._search(query, fuzzy=True)
            if approximate.total:
                approximate.approximate = True
                return approximate
        return result

    def _search(self, query, fuzzy):
        bodies = search_bodies(query, fuzzy)
        if len(bodies) == 1:
            responses = [self._call(self.client.search, index=self.alias, body=bodies[0])]
        else:
            header = {"index": self.alias}
            if self.request_cache is not None:
                header["request_cache"] = self.request_cache
            lines = [item for body in bodies for item in (header, body)]
            responses = self._call(self.client.msearch, body=lines)["responses"]
            failed = [r["error"] for r in responses if "error" in r]
            if failed:
                raise SearchUnavailable(f"{self.engine}: search failed: {failed[0]}")
        response = responses[0]
        hits = [hit_from_document(hit["_source"]) for hit in response["hits"]["hits"]]
        counts = {}
        for r in responses:
            for name, agg in r.get("aggregations", {}).items():
                if name == "facet_keys":
                    counts.update(split_facet_keys(agg["buckets"]))
                else:
                    counts[name] = [(b["key"], b["doc_count"]) for b in agg["buckets"]]
        # A facet asked for with no value in any document has no bucket: it is still there.
        facets = {facet: sort_facet_values(counts.get(facet, []))[:FACET_SIZE] for facet in query.facet_names()}
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
