"""search.text folds any input safely; search.conf refuses a malformed OCOP_SEARCH."""

import unicodedata

import pytest
from django.core.exceptions import ImproperlyConfigured

from search import conf, text
from search.backends.base import SearchQuery


def test_fold_and_tokens():
    assert text.fold("Cà phê Đắk Nông") == "ca phe dak nong"
    assert text.tokens(unicodedata.normalize("NFD", "Hồ tiêu hữu cơ")) == ["ho", "tieu", "huu", "co"]
    assert text.query_tokens('"AND OR ( ) * ? ~ :') == ["and", "or"]
    assert text.query_tokens("🍯 mật_ong 🐝") == ["mat", "ong"]
    assert text.query_tokens("") == text.query_tokens("   ") == text.query_tokens(None) == []


def test_normalize_is_bounded():
    assert len(text.normalize("a" * 10_000)) == text.MAX_QUERY_CHARS
    assert text.normalize(unicodedata.normalize("NFD", "cà phê")) == "cà phê"
    assert text.normalize("a\x00b\n c") == "a b c"
    assert len(text.query_tokens("ab " * 5000)) == text.MAX_QUERY_TOKENS


def test_suggest_tokens():
    assert text.suggest_tokens("ca p") == ["ca"]
    assert text.suggest_tokens("c") is None
    assert text.suggest_tokens("x" * 16) is None


def test_query_from_any_params():
    query = SearchQuery.from_params({"stars": "٣", "page": "-1", "sort": "x", "page_size": "9999", "q": "x" * 10_000})
    assert query.stars is None and query.page == 1 and query.sort == "relevance" and query.page_size == 50
    assert len(query.q) == text.MAX_QUERY_CHARS


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"BACKEND": "search.backends.nowhere.Backend"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "solr", "URL": "http://127.0.0.1:9200"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "elasticsearch", "URL": "127.0.0.1:9200"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "elasticsearch", "URL": "http://h:99999999"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "elasticsearch", "URL": "https://h", "USER": "u"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "elasticsearch", "URL": "https://h", "CA_CERT": "/nonexistent.pem"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "elasticsearch", "URL": "http://a:9200,127.0.0.1:9201"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "elasticsearch", "URL": "http://a:9200,http://b:99999999"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "opensearch", "URL": " , "},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "opensearch", "URL": "http://a:9200", "SHARDS": "0"},
        {"BACKEND": conf.ENGINE_BACKEND, "ENGINE": "opensearch", "URL": "http://a:9200", "REPLICAS": "one"},
    ],
)
def test_malformed_settings_are_refused(config):
    with pytest.raises(ImproperlyConfigured, match="OCOP_SEARCH"):
        conf.validate(config)


def test_settings_from_the_environment():
    assert conf.from_environment({})["BACKEND"] == conf.DATABASE_BACKEND
    config = conf.from_environment(
        {
            "OCOP_SEARCH_ENGINE": "elasticsearch",
            "OCOP_ELASTICSEARCH_URL": "https://es:9200",
            "OCOP_ELASTICSEARCH_API_KEY": "k",
        }
    )
    assert config["URL"] == "https://es:9200" and config["API_KEY"] == "k"
    assert "SHARDS" not in config and "REPLICAS" not in config  # the backend's defaults
    env = {"OCOP_SEARCH_ENGINE": "opensearch", "OCOP_ELASTICSEARCH_URL": "http://a:9200,http://b:9200"}
    config = conf.from_environment({**env, "OCOP_ELASTICSEARCH_SHARDS": "2", "OCOP_ELASTICSEARCH_REPLICAS": "2"})
    assert (config["SHARDS"], config["REPLICAS"]) == (2, 2)
    with pytest.raises(ImproperlyConfigured, match="URL"):
        conf.from_environment({"OCOP_SEARCH_ENGINE": "opensearch"})


@pytest.mark.parametrize("engine", conf.ENGINES)
def test_several_nodes_make_one_client_that_retries_on_another(engine):
    from search.backends.engine import make_client

    urls = "http://10.0.0.1:9200, http://10.0.0.2:9200,http://10.0.0.3:9200"
    config = conf.validate({"BACKEND": conf.ENGINE_BACKEND, "ENGINE": engine, "URL": urls})
    assert conf.urls(config["URL"]) == ["http://10.0.0.1:9200", "http://10.0.0.2:9200", "http://10.0.0.3:9200"]
    client = make_client(engine, config["URL"])
    if engine == "opensearch":
        transport = client.transport
        hosts = sorted(c.host for c in transport.connection_pool.connections)
        retry = (transport.max_retries, transport.retry_on_timeout, transport.retry_on_status)
    else:  # the elasticsearch client passes its retry options with each request
        hosts = sorted(node.base_url for node in client.transport.node_pool.all())
        retry = (client._max_retries, client._retry_on_timeout, client._retry_on_status)
    assert hosts == conf.urls(urls)
    assert retry[0] == 2 and retry[1] is True and set(retry[2]) >= {502, 503, 504}
    # One node: nothing to retry on; a failure goes straight to the database fallback.
    one = make_client(engine, "http://10.0.0.1:9200")
    assert (one.transport.max_retries if engine == "opensearch" else one._max_retries) == 0
