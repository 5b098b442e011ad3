"""The search contract: one table of queries, the same answers from every backend.

The database backend (SQLite FTS5 or PostgreSQL full-text, whichever the test run uses) and
the engine (a real node from tests/services/elasticsearch.sh; never mocked) index the same
documents: the `tree` fixture plus a few products, producers and an announcement. Every row
of QUERIES must give the same result set (and, for the deterministic sorts, the same order)
and the same facet counts on both; some rows also state the names they must find.
"""

import json
import logging
import os
import socket
import unicodedata

import pytest
from django.core.management import call_command

from catalog.models import District, Producer, ProductGroup, Province
from search import documents, outbox, service
from search.backends.base import SearchQuery
from search.backends.database import DatabaseBackend
from search.models import OutboxEntry, SearchDocument
from tests import factories, search_engine

NFD = unicodedata.normalize("NFD", "cà phê")
SYNTAX = '"AND OR ( ) * ? ~ :'
LONG = "cà phê " * 1500  # 10,500 characters

COFFEE = "Cà phê bột Đắk Đam"
HONEY = "Mật ong Phương Di"
PEPPER = "Hồ tiêu hữu cơ"
AVOCADO = "Bơ núi lửa thử"
HONEY_TREE = "Mật ong thử"
NEWS = "Kết quả đánh giá OCOP cà phê"

# (query parameters, names that must be exactly the result set, or None to compare only)
QUERIES = [
    ({}, None),
    ({"q": "dak nong"}, None),
    ({"q": "ca phe"}, {COFFEE, NEWS}),
    ({"q": "cà phê"}, {COFFEE, NEWS}),
    ({"q": NFD}, {COFFEE, NEWS}),
    ({"q": "CA PHE"}, {COFFEE, NEWS}),
    ({"q": "dak dam"}, {COFFEE}),
    ({"q": "mat ong"}, {HONEY, HONEY_TREE}),
    ({"q": "phuong di"}, {HONEY, PEPPER, "HTX Ong Phương Di"}),  # the producer's name counts
    ({"q": "ho tieu huu co"}, {PEPPER}),
    ({"q": "🍯 mật ong 🐝"}, {HONEY, HONEY_TREE}),
    ({"q": "🍯"}, None),
    ({"q": SYNTAX}, set()),
    ({"q": "ca* phe~ (mat OR ong)"}, set()),
    ({"q": LONG}, {COFFEE, NEWS}),
    ({"q": "x" * 10_000}, set()),
    ({"q": ""}, None),
    ({"q": "   \t "}, None),
    ({"q": "khong co gi het"}, set()),
    ({"q": "ground coffee"}, {COFFEE}),  # English fields are indexed too
    ({"q": "Drinks"}, {PEPPER}),  # the group's English name
    ({"group": "1"}, None),
    ({"group": "1.2"}, {COFFEE}),
    ({"district": "krong-no"}, None),
    ({"district": "dak-doa"}, {HONEY, PEPPER, "HTX Ong Phương Di"}),
    ({"province": "gia-lai"}, {HONEY, PEPPER, "HTX Ong Phương Di"}),
    ({"stars": "4"}, {COFFEE, AVOCADO}),
    ({"stars": "5", "q": "mat ong"}, {HONEY}),
    ({"producer_type": "enterprise"}, {HONEY, PEPPER, "HTX Ong Phương Di"}),
    ({"q": "ca phe", "group": "1"}, {COFFEE}),
    ({"group": "1", "province": "lam-dong", "stars": "3"}, {HONEY_TREE}),
    ({"q": "dak nong", "district": "krong-no", "group": "1"}, None),
    ({"stars": "abc", "page": "-3", "sort": "bogus", "group": SYNTAX}, set()),
    ({"sort": "stars"}, None),
    ({"sort": "price"}, None),
    ({"sort": "newest"}, None),
    ({"sort": "price", "page": "2", "page_size": "2"}, None),
    ({"sort": "stars", "page": "999"}, None),
]
ORDERED_SORTS = ("stars", "price", "newest")


@pytest.fixture
def search_data(tree):
    lam_dong = Province.objects.get(slug="lam-dong")
    gia_lai, _ = Province.objects.get_or_create(code="64", defaults={"name": "Gia Lai", "slug": "gia-lai"})
    dak_doa, _ = District.objects.get_or_create(
        slug="dak-doa", defaults={"name": "Huyện Đắk Đoa", "former_province": "Gia Lai", "province": gia_lai}
    )
    food = ProductGroup.objects.get(code="1")
    coffee_group, _ = ProductGroup.objects.get_or_create(code="1.2", defaults={"name": "Chè, cà phê", "parent": food})
    drinks, _ = ProductGroup.objects.get_or_create(code="2", defaults={"name": "Đồ uống", "name_en": "Drinks"})
    bees = factories.producer_page(
        factories.ProducerFactory(
            name="HTX Ong Phương Di", province=gia_lai, district=dak_doa, legal_form=Producer.LegalForm.ENTERPRISE
        )
    )
    coffee = factories.product_page(
        tree.producer_a, title=COFFEE, title_en="Dak Dam ground coffee", group=coffee_group, price=150000
    )
    factories.certificate(coffee, score=(32, 20, 26))  # 4★
    honey = factories.product_page(bees, title=HONEY, price=250000, intro="Mật ong hoa rừng")
    factories.certificate(honey, score=(38, 24, 30))  # 5★
    pepper = factories.product_page(bees, title=PEPPER, group=drinks, price=90000)
    factories.certificate(pepper, score=(25, 15, 20))  # 3★
    factories.product_page(bees, title="Cà phê chưa chứng nhận")  # not certified: never found
    factories.announcement(title=NEWS)
    assert lam_dong
    return tree


def run(backend, params):
    return backend.search(SearchQuery.from_params(params))


def summary(result, ordered):
    ids = [hit.id for hit in result.hits]
    return {
        "total": result.total,
        "ids": ids if ordered else sorted(ids),
        "facets": {name: [(v.value, v.count) for v in values] for name, values in result.facets.items()},
    }


def names(backend, params):
    everything = {**params, "page_size": "50", "page": "1"}
    return {hit.name for hit in run(backend, everything).hits}


# --- the database backend, on whichever database the run uses ------------------------


def test_database_backend_answers_the_table(search_data):
    backend = DatabaseBackend()
    assert backend.count() == SearchDocument.objects.count() > 0
    for params, expected in QUERIES:
        result = run(backend, params)
        assert result.total >= len(result.hits)
        if expected is not None:
            assert names(backend, params) == expected, params


def test_database_facets_count_under_the_other_filters(search_data):
    result = run(DatabaseBackend(), {"group": "1", "province": "gia-lai"})
    # The province facet ignores the province filter: Lâm Đồng's food products still count.
    province = {v.value: v.count for v in result.facets["province"]}
    assert province == {"gia-lai": 1, "lam-dong": 3}
    group = {v.value: v.count for v in result.facets["group"]}
    assert group == {"1": 1, "2": 1}
    assert {h.name for h in result.hits} == {HONEY}


def test_sorting_and_pagination(search_data):
    backend = DatabaseBackend()
    prices = [h.price for h in run(backend, {"sort": "price", "page_size": "50"}).hits]
    listed = [p for p in prices if p is not None]
    assert listed == sorted(listed) and prices[: len(listed)] == listed
    stars = [h.stars for h in run(backend, {"sort": "stars", "page_size": "50"}).hits if h.stars]
    assert stars == sorted(stars, reverse=True)
    page1 = run(backend, {"sort": "price", "page_size": "2"}).hits
    page2 = run(backend, {"sort": "price", "page_size": "2", "page": "2"}).hits
    assert len(page1) == 2 and not {h.id for h in page1} & {h.id for h in page2}


def test_suggestions(search_data):
    backend = DatabaseBackend()
    assert backend.suggest("ca ph") == [COFFEE, NEWS]
    assert backend.suggest("ca phe bo") == [COFFEE]
    assert set(backend.suggest("mat")) == {HONEY, HONEY_TREE}
    assert backend.suggest("c") == [] and backend.suggest("") == [] and backend.suggest(SYNTAX) == []
    assert backend.suggest("x" * 10_000) == []


def test_index_follows_publish_unpublish_and_certificates(search_data):
    backend = DatabaseBackend()
    product = search_data.product_b
    assert HONEY_TREE in names(backend, {"q": "mat ong"})
    product.unpublish()
    assert HONEY_TREE not in names(backend, {"q": "mat ong"})
    factories.publish(product)
    assert HONEY_TREE in names(backend, {"q": "mat ong"})
    search_data.certificate_b.delete()
    assert HONEY_TREE not in names(backend, {"q": "mat ong"})
    factories.certificate(product, score=(38, 24, 30))
    assert run(backend, {"q": "mat ong", "stars": "5"}).total == 2
    producer = search_data.producer_b.producer
    producer.name = "HTX Ong Rừng Xanh"
    producer.save()
    assert run(backend, {"q": "rung xanh"}).total == 2  # the producer and its product


# --- views and API: any input, never a 500 ------------------------------------------


@pytest.mark.parametrize("url", ["/search/", "/api/search/", "/api/suggest/"])
def test_views_take_any_input(client, search_data, url):
    for params, _expected in QUERIES:
        response = client.get(url, params)
        assert response.status_code == 200, (url, params)
    # A NUL is refused before any view (storefront.middleware, issue 10): 400, never a 500.
    assert client.get(url, {"q": "\x00"}).status_code == 400
    for q in [
        "%",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    ]:
        assert client.get(url, {"q": q}).status_code == 200


def test_search_page_shows_results_facets_filters_and_suggestions(client, search_data):
    page = client.get("/search/", {"q": "ca phe", "group": "1"}).content.decode()
    assert COFFEE in page and "(1)" in page
    assert "?q=ca+phe" in page  # the link that removes the group filter
    page = client.get("/search/", {"q": "ca phe bo"}).content.decode()
    assert COFFEE in page  # suggested from "ca phe bo…"


def test_api(client, search_data):
    data = client.get("/api/search/", {"q": "dak dam"}).json()
    assert data["total"] == 1
    hit = data["results"][0]
    assert hit["name"] == COFFEE and hit["stars"] == 4 and hit["price"] == 150000
    assert hit["district"] == "Huyện Krông Nô" and hit["province"] == "Lâm Đồng" and hit["url"]
    assert {"province", "district", "group", "subgroup", "stars", "producer_type"} <= set(data["facets"])
    suggested = client.get("/api/suggest/", {"q": "ca phe bo"}).json()
    assert suggested["suggestions"] == [COFFEE]
    assert suggested["pages"] == [{"name": COFFEE, "url": hit["url"]}]  # search as you type links to it
    assert len(client.get("/api/suggest/", {"q": "th"}).json()["suggestions"]) <= 8


# --- the engine: a real node -------------------------------------------------------


def engine_settings(url):
    return search_engine.engine_settings(url, INDEX=f"ocop-test-{os.getpid()}", TIMEOUT=5)


@pytest.fixture
def engine(settings):
    settings.OCOP_SEARCH = engine_settings(os.environ["OCOP_ELASTICSEARCH_URL"])
    backend = service.get_backend()
    backend.drop()
    yield backend
    backend.drop()


def reindex(engine):
    engine.rebuild(documents.all_documents())


@pytest.mark.elasticsearch
def test_engine_and_database_agree_on_the_table(search_data, engine):
    reindex(engine)
    database = DatabaseBackend()
    assert engine.count() == database.count()
    mismatches = []
    for params, expected in QUERIES:
        ordered = params.get("sort") in ORDERED_SORTS
        exact, approximate = run(database, params), run(engine, params)
        if approximate.approximate:
            # Typo tolerance: only where the words as typed find nothing (tested apart).
            assert exact.total == 0, params
            continue
        ours, theirs = summary(exact, ordered), summary(approximate, ordered)
        if ours != theirs:
            mismatches.append((params if len(json.dumps(params)) < 200 else "(long)", ours, theirs))
        if expected is not None and names(engine, params) != expected:
            mismatches.append((params if len(json.dumps(params)) < 200 else "(long)", "expected", expected))
        for q in ("ca ph", "mat", "dak", "ho tieu", "c", SYNTAX, params.get("q", "")):
            if set(database.suggest(q)) != set(engine.suggest(q)):
                mismatches.append(("suggest", q[:50], database.suggest(q), engine.suggest(q)))
    assert not mismatches, mismatches


@pytest.mark.elasticsearch
def test_engine_and_database_agree_on_the_product_listing(search_data, engine):
    """The listing's queries: products only, some facets, stars first (search.listing)."""
    from search import listing

    reindex(engine)
    database = DatabaseBackend()
    for params in ({}, {"district": "dak-doa"}, {"group": "1", "stars": "4"}, {"sort": "price", "province": "gia-lai"}):
        query = SearchQuery.from_params(
            params, kind="product", default_sort=listing.DEFAULT_SORT, facets=listing.FACETS, page_size=12
        )
        ours, theirs = summary(database.search(query), True), summary(engine.search(query), True)
        assert ours == theirs, params
        assert set(ours["facets"]) == set(listing.FACETS)
        assert all(i.startswith("product-") for i in ours["ids"])


@pytest.mark.elasticsearch
def test_reindex_command_switches_the_alias(search_data, engine):
    call_command("search_reindex")
    first = engine._indexes()
    call_command("search_reindex")
    second = engine._indexes()
    assert len(first) == len(second) == 1 and first != second
    assert engine.count() == DatabaseBackend().count()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.elasticsearch
def test_outage_serves_from_the_database_and_loses_nothing(search_data, engine, settings, client, caplog, monkeypatch):
    monkeypatch.setattr(logging.getLogger("search"), "propagate", True)
    reindex(engine)
    outbox.drain()
    url = os.environ["OCOP_ELASTICSEARCH_URL"]
    # The engine goes away (the URL points at a closed port).
    settings.OCOP_SEARCH = {**engine_settings(url), "URL": f"http://127.0.0.1:{closed_port()}", "TIMEOUT": 1}
    factories.product_page(search_data.producer_a, title="Trà atiso Đà Lạt", price=120000)
    new = factories.product_page(search_data.producer_a, title="Trà atiso túi lọc", price=80000)
    factories.certificate(new, score=(30, 20, 25))
    search_data.product_b.unpublish()

    def pending():
        return OutboxEntry.objects.filter(done_at__isnull=True)

    assert pending().count() >= 3
    response = client.get("/api/search/", {"q": "tra atiso"})
    assert response.status_code == 200 and response.json()["total"] == 1  # from the database
    assert client.get("/search/", {"q": "mat ong"}).status_code == 200
    assert client.get("/api/suggest/", {"q": "tra"}).json()["suggestions"] == ["Trà atiso túi lọc"]
    assert "answering search from the database" in caplog.text
    done, failed = outbox.drain()
    assert done == 0 and failed > 0
    assert pending().count() >= 3 and all(row.attempts >= 1 and row.last_error for row in pending())
    # The engine is back: the worker catches up and both backends agree again.
    settings.OCOP_SEARCH = engine_settings(url)
    call_command("search_worker", "--once")
    assert not pending().exists()
    database = DatabaseBackend()
    for params in ({}, {"q": "tra atiso"}, {"q": "mat ong"}, {"stars": "4"}):
        assert summary(run(database, params), False) == summary(run(engine, params), False), params
    assert [h.name for h in run(engine, {"q": "tra atiso"}).hits] == ["Trà atiso túi lọc"]


@pytest.mark.elasticsearch
def test_a_typo_finds_the_product_and_the_page_says_so(search_data, engine, client):
    reindex(engine)
    assert run(DatabaseBackend(), {"q": "mat onng"}).total == 0  # the database matches words as typed
    result = run(engine, {"q": "mat onng"})
    assert result.approximate and {h.name for h in result.hits} == {HONEY, HONEY_TREE}
    assert not run(engine, {"q": "mat ong"}).approximate
    assert run(engine, {"q": "mta ong"}).total == 0  # three letters: no edit allowed
    assert run(engine, {"q": "mat oonngg"}).total == 0  # two edits: too far
    page = client.get("/search/", {"q": "mat onng"}).content.decode()
    assert HONEY in page and "cách viết gần nhất" in page
    assert "cách viết gần nhất" not in client.get("/search/", {"q": "mat ong"}).content.decode()
    listing = client.get(search_data.product_index.url, {"q": "mat onng"}).content.decode()
    assert HONEY in listing and "cách viết gần nhất" in listing  # the product list says so too


@pytest.mark.elasticsearch
def test_healthz_reports_the_engine_from_core_apis(search_data, engine, client):
    reindex(engine)
    search = client.get("/healthz").json()["checks"]["search"]
    assert search["status"] == "ok" and search["backend"] == "engine"
    assert search["cluster"] in ("green", "yellow") and search["nodes"] >= 1


@pytest.mark.elasticsearch
def test_a_change_applied_while_the_index_is_rebuilt_reaches_the_new_index(search_data, engine, monkeypatch):
    """The worker applies a change to the old index while search_reindex fills the new one
    (from documents read before the change): after the alias switch the change is there."""
    reindex(engine)
    outbox.drain()
    product = search_data.product_b
    everything = documents.all_documents
    passes = []

    def all_documents_then_a_change():
        yield from everything()
        passes.append(1)
        if len(passes) == 2:  # the engine's pass (the database's is first)
            product.title = "Mật ong đổi tên giữa chừng"
            factories.publish(product)
            outbox.drain()  # the worker, meanwhile: to the alias, still on the old index

    monkeypatch.setattr(documents, "all_documents", all_documents_then_a_change)
    call_command("search_reindex")
    assert not OutboxEntry.objects.filter(done_at__isnull=True).exists()
    assert [h.name for h in run(engine, {"q": "doi ten giua chung"}).hits] == ["Mật ong đổi tên giữa chừng"]


@pytest.mark.elasticsearch
def test_a_bulk_that_fails_half_way_leaves_its_rows_pending(search_data, engine, monkeypatch):
    """One document of a bulk refused (the others applied): every row of the step stays
    pending, and the next step applies them all."""
    reindex(engine)
    outbox.drain()
    renamed = []
    for page in (search_data.product_a, search_data.product_b):
        page.title = f"{page.title} mới"
        factories.publish(page)
        renamed.append(page.title)
    rows = list(OutboxEntry.objects.filter(done_at__isnull=True).values_list("pk", flat=True))
    assert len(rows) >= 2
    build = documents.documents_for

    def one_bad_document(kind, ids):
        docs, gone = build(kind, ids)
        if docs:
            docs[0] = {**docs[0], "price": "không phải số"}  # refused by the mapping (a long)
        return docs, gone

    monkeypatch.setattr(documents, "documents_for", one_bad_document)
    done, failed = outbox.drain()
    assert done == 0 and failed == len(rows)
    assert set(OutboxEntry.objects.filter(done_at__isnull=True).values_list("pk", flat=True)) == set(rows)
    assert all(row.last_error for row in OutboxEntry.objects.filter(pk__in=rows))
    monkeypatch.setattr(documents, "documents_for", build)
    assert outbox.drain() == (len(rows), 0)
    database = DatabaseBackend()
    assert summary(run(database, {"q": "moi"}), False) == summary(run(engine, {"q": "moi"}), False)
    assert {h.name for h in run(engine, {"q": "moi"}).hits} >= set(renamed)


@pytest.mark.elasticsearch
def test_an_older_reading_never_overwrites_a_newer_one(search_data, engine):
    """Two workers, or a bulk the client retried, can reach the engine out of order."""
    reindex(engine)
    [doc] = [d for d in documents.all_documents() if d["name"] == COFFEE]
    older, newer = documents.reading_version(), documents.reading_version() + 1
    engine.upsert([{**doc, "name": "Cà phê mới"}], version=newer)
    engine.upsert([doc], version=older)  # late: refused by the engine, not an error
    engine.delete([doc["id"]], version=older)  # late too
    assert [h.name for h in run(engine, {"q": "dak dam"}).hits] == ["Cà phê mới"]
    engine.delete([doc["id"]], version=newer + 1)
    assert run(engine, {"q": "dak dam"}).total == 0
