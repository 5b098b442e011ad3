"""OCOP_SEARCH for the engine tests, on whichever engine the test command started.

tests/services/elasticsearch.sh env prints OCOP_ELASTICSEARCH_URL and OCOP_SEARCH_ENGINE
("elasticsearch" for Elasticsearch 8 and 9, "opensearch" for OpenSearch); without the latter
the engine is "opensearch", as before there was a choice.
"""

import os

ENGINE_BACKEND = "search.backends.engine.EngineBackend"


def engine_name():
    return os.environ.get("OCOP_SEARCH_ENGINE") or "opensearch"


def engine_settings(url, **options):
    """OCOP_SEARCH for the engine backend at url; options (INDEX, TIMEOUT, ...) are added."""
    return {"BACKEND": ENGINE_BACKEND, "ENGINE": engine_name(), "URL": url, **options}
