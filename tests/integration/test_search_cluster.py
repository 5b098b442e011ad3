"""Three Elasticsearch nodes, one killed in the middle of a burst: the site does not notice.

`tests/services/elasticsearch.sh cluster-start 3` starts three nodes of Elasticsearch 8.19.3
(another `OCOP_ES_ENGINE=elasticsearch-*` if set) on 127.0.0.1:9470-9472, transport
9480-9482, in a directory of their own, while the demo data loads; the documents are indexed
through the engine backend (the index's `auto_expand_replicas: 0-1` gives every shard a copy
on a second node). Then, at the same time:
- searcher threads search and suggest through search.service, as the views do;
- the test's thread publishes, unpublishes, renames and re-prices product pages, and after
  each change applies the outbox as the task worker does (search.outbox.drain);
and in the middle the node holding the index's primary shard is killed (SIGKILL). The client
knows all three nodes (OCOP_SEARCH["URL"], comma-separated) and retries on another one.
Checked: every search was answered by the engine (search.service never fell back to the
database, and the producers' searches, which no write touches, kept their totals), no
update was lost (once the outbox is drained, the engine holds exactly the database's
documents, id for id and field for field), and the cluster is green again, with three nodes,
once the killed node is started again.

Marked `cluster`, not `elasticsearch`: it starts its own nodes, so it runs in the SQLite pass.
Without Java (or the Elasticsearch download) it skips with the reason; under
REQUIRE_SERVICES=1 it fails instead. `pytest -s` prints what it saw. About 100 s on two
cores (besides the session's database set-up): the nodes start (~40 s) while the demo data
loads (~40 s), then 4 s of burst before the kill, 8 s with the node down, and the ~35 s the
node takes to start again and rejoin.
"""

import logging
import os
import subprocess
import threading
import time
from pathlib import Path

import pytest
from django.core.management import call_command

from cms.models import ProducerPage, ProductPage
from search import documents, outbox, service
from search.backends.base import SearchQuery
from tests.conftest import missing_service

REPO = Path(__file__).resolve().parents[2]
ES_SH = str(REPO / "tests" / "services" / "elasticsearch.sh")
NODES = 3
SEARCHERS = 3
INDEX = "ocop-cluster-test"

pytestmark = pytest.mark.cluster

QUERIES = [
    {},
    {"q": "mat ong"},
    {"q": "ca phe"},
    {"q": "tra"},
    {"q": "gao"},
    {"group": "1"},
    {"stars": "4"},
    {"sort": "price"},
    {"q": "dak lak", "sort": "stars"},
    {"q": "nuoc mam"},
]
SUGGESTS = ["ca ph", "mat", "tra", "nuoc"]


def cluster_env():
    env = dict(os.environ)
    if not env.get("OCOP_ES_ENGINE", "").startswith("elasticsearch-"):
        env["OCOP_ES_ENGINE"] = "elasticsearch-8.19.3"  # production's engine (9.1.0 if asked)
    # Its own directory and ports: the test command starts the next pass's node meanwhile.
    env.setdefault("OCOP_ES_DIR", f"/tmp/ocop-es-cluster-{os.getpid()}")
    env.setdefault("OCOP_ES_PORT", "9470")
    env.setdefault("OCOP_ES_TRANSPORT_PORT", "9480")
    env.setdefault("OCOP_ES_HEAP", "256m")
    return env


def es_sh(*args, check=True, timeout=300):
    result = subprocess.run(["bash", ES_SH, *args], env=cluster_env(), capture_output=True, text=True, timeout=timeout)
    if check and result.returncode:
        raise AssertionError(f"elasticsearch.sh {' '.join(args)}: exit {result.returncode}\n{result.stderr[-3000:]}")
    return result


@pytest.fixture
def cluster():
    """Starts the nodes in the background (the test loads the demo data meanwhile); call it
    for the comma-separated URLs once they are up. Stops and deletes them at the end."""
    started = time.monotonic()
    proc = subprocess.Popen(
        ["bash", ES_SH, "cluster-start", str(NODES)],
        env=cluster_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )

    def wait():
        _, err = proc.communicate(timeout=600)
        if proc.returncode == 3:  # a prerequisite is missing (a JDK; or Maven with an empty cache)
            missing_service(err.strip().splitlines()[-1] if err.strip() else "elasticsearch.sh: exit 3")
        assert proc.returncode == 0, f"cluster-start: exit {proc.returncode}\n{err[-3000:]}"
        line = es_sh("env").stdout.strip().splitlines()[-1]
        print(f"\ncluster of {NODES} up in {time.monotonic() - started:.0f}s: {line}")
        return line.split("=", 1)[1]

    try:
        time.sleep(1)
        if proc.poll() is not None:
            wait()  # a quick exit: skip (or fail) before loading anything
        yield wait
    finally:
        if proc.poll() is None:
            proc.terminate()
            proc.wait()
        es_sh("cluster-stop", check=False)


class Counter(logging.Handler):
    """Counts the log records of a logger (thread-safe: Handler.handle takes a lock)."""

    def __init__(self, logger_name, needle=""):
        super().__init__(logging.WARNING)
        self.needle = needle
        self.count = 0
        self.logger = logging.getLogger(logger_name)

    def emit(self, record):
        if self.needle in record.getMessage():
            self.count += 1

    def __enter__(self):
        self.saved = self.logger.level
        self.logger.setLevel(logging.WARNING)  # the messages counted are warnings
        self.logger.addHandler(self)
        return self

    def __exit__(self, *exc):
        self.logger.removeHandler(self)
        self.logger.setLevel(self.saved)


def engine_documents(backend):
    client = backend.client
    response = client.search(index=backend.alias, body={"query": {"match_all": {}}, "size": 10_000})
    assert response["hits"]["total"]["value"] < 10_000
    return {hit["_id"]: hit["_source"] for hit in response["hits"]["hits"]}


def shard_nodes(backend):
    """{node name: 'p' or 'r'} for the index's shard copies, and the master's name."""
    client = backend.client
    shards = client.cat.shards(index=backend.alias, format="json", h="prirep,node,state")
    master = client.cat.master(format="json")[0]["node"]
    return {s["node"]: s["prirep"] for s in shards if s["state"] == "STARTED"}, master


def writes(pages, step):
    """One change that reaches search: rename, re-price, unpublish, publish again."""
    page = pages[step % len(pages)].specific
    action = (step // len(pages)) % 4
    if action == 0:
        page.title = f"{page.title.split(' · ')[0]} · lô {step}"
        page.save_revision(log_action=False).publish(log_action=False)
    elif action == 1:
        page.price = (page.price or 100_000) + 1_000
        page.save_revision(log_action=False).publish(log_action=False)
    elif action == 2:
        page.unpublish()
    else:
        page.save_revision(log_action=False).publish(log_action=False)


def test_a_node_killed_in_a_burst_is_not_seen_by_the_site(cluster, db, settings, monkeypatch):
    t0 = time.monotonic()
    call_command("load_demo_data", "--quiet-accounts", "--without-evaluation")
    loaded = time.monotonic() - t0
    cluster_urls = cluster()
    settings.OCOP_SEARCH = {
        "BACKEND": "search.backends.engine.EngineBackend",
        "ENGINE": "elasticsearch",
        "URL": cluster_urls,
        "INDEX": INDEX,
        "TIMEOUT": 5,
    }
    backend = service.get_backend()
    assert len(backend.client.transport.node_pool.all()) == NODES
    backend.rebuild(documents.all_documents())
    health = backend.client.cluster.health(index=INDEX, wait_for_status="green", timeout="60s")
    assert health["status"] == "green" and health["active_shards"] == 2 * health["active_primary_shards"]
    copies, master = shard_nodes(backend)
    victim = next(name for name, kind in copies.items() if kind == "p")  # the primary's node
    victim_number = victim.rsplit("-", 1)[1]
    expected = {}
    for q in ("", "mat ong", "ca phe", "hop tac xa"):
        expected[q] = service.search(SearchQuery.from_params({"q": q}, kind="producer")).total
    indexed = time.monotonic() - t0 - loaded
    indexed_count = backend.count()
    products = list(ProductPage.objects.live().order_by("pk")[:12])
    assert len(products) == 12 and ProducerPage.objects.live().exists()

    stop = threading.Event()
    state = ["up"]  # the killed node: up, down, starting (the searchers count by it)
    stats = {"searches": 0, "suggests": 0, "up": 0, "down": 0, "starting": 0, "errors": [], "wrong": []}
    lock = threading.Lock()

    def search_loop(n):
        i = n
        while not stop.is_set():
            i += 1
            try:
                if i % 5 == 0:
                    service.suggest(SUGGESTS[i % len(SUGGESTS)])
                    key = "suggests"
                elif i % 5 == 1:
                    q = list(expected)[i % len(expected)]
                    total = service.search(SearchQuery.from_params({"q": q}, kind="producer")).total
                    if total != expected[q]:
                        with lock:
                            stats["wrong"].append((q, total, expected[q]))
                    key = "searches"
                else:
                    service.search(SearchQuery.from_params(QUERIES[i % len(QUERIES)]))
                    key = "searches"
            except Exception as exc:  # the service never raises for an engine fault
                with lock:
                    stats["errors"].append(repr(exc))
                continue
            with lock:
                stats[key] += 1
                stats[state[0]] += 1

    # search.service answers from the database backend when the engine fails: count the
    # searcher threads' calls for it (the writes' own calls come from this thread).
    fallbacks = []
    database_backend = service.database_backend

    def counted_database_backend():
        if threading.current_thread().name.startswith("searcher"):
            fallbacks.append(1)
        return database_backend()

    monkeypatch.setattr(service, "database_backend", counted_database_backend)
    fallback_logs = Counter("search", "from the database")
    retries = Counter("elastic_transport.transport", "Retrying request")
    outbox_failures = Counter("search", "stay pending")
    dead = Counter("elastic_transport.node_pool", "has failed")
    writes_by_state = {"up": 0, "down": 0, "starting": 0}
    seconds = {}
    step = 0
    with fallback_logs, retries, outbox_failures, dead:
        threads = [threading.Thread(target=search_loop, args=(n,), name=f"searcher-{n}") for n in range(SEARCHERS)]
        for thread in threads:
            thread.start()
        try:

            def burst(duration):
                nonlocal step
                begin = time.monotonic()
                while time.monotonic() < begin + duration:
                    writes(products, step)
                    step += 1
                    writes_by_state[state[0]] += 1
                    outbox.drain()  # the worker's step, queued by each change
                seconds[state[0]] = seconds.get(state[0], 0) + time.monotonic() - begin

            burst(4)
            es_sh("node-kill", victim_number)
            state[0] = "down"
            burst(8)
            state[0] = "starting"
            restart = threading.Thread(target=es_sh, args=("node-start", victim_number))
            restart.start()
            while restart.is_alive():
                burst(0.5)
            state[0] = "up"
        finally:
            stop.set()
            for thread in threads:
                thread.join()
        # The worker catches up (the schedule runs it every minute; here, at once).
        deadline = time.monotonic() + 60
        while outbox.pending().exists() and time.monotonic() < deadline:
            outbox.drain()
            time.sleep(0.5)

    assert not outbox.pending().exists()
    health = backend.client.cluster.health(wait_for_status="green", wait_for_nodes=str(NODES), timeout="120s")
    burst_end = time.monotonic()
    print(
        f"demo data {loaded:.0f}s, indexing {indexed:.0f}s ({indexed_count} documents); killed {victim} (primary; master: {master}); "
        f"{stats['searches']} searches + {stats['suggests']} suggestions, {step} writes; by the killed node's "
        f"state (searches+suggestions / writes / seconds): "
        + ", ".join(f"{k} {stats[k]}/{writes_by_state[k]}/{seconds.get(k, 0):.0f}s" for k in writes_by_state)
        + f"; {retries.count} requests retried on another node, {dead.count} times a node set aside, "
        f"{outbox_failures.count} outbox steps left pending for a later one; green with "
        f"{health['number_of_nodes']} nodes {burst_end - t0:.0f}s after the data load began"
    )
    assert not stats["errors"] and not stats["wrong"], (stats["errors"][:3], stats["wrong"][:3])
    assert not fallbacks and not fallback_logs.count, f"{len(fallbacks)} searches answered from the database"
    assert stats["down"] >= 20 and writes_by_state["down"] >= 3, (stats, writes_by_state)
    # No update lost: the engine holds exactly the database's documents.
    wanted = {doc["id"]: backend._source(doc) for doc in documents.all_documents()}
    held = engine_documents(backend)
    assert set(held) == set(wanted)
    assert {i: held[i] for i in wanted if held[i] != wanted[i]} == {}
    assert health["status"] == "green" and health["number_of_nodes"] == NODES
