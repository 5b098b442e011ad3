"""search.facets: the filters follow from the facets, and a query reads them all."""

from dataclasses import fields

from search.backends.base import SearchQuery
from search.facets import FACETS, FILTER_BY_PARAM, FILTERS


def test_each_filter_keeps_the_fields_of_the_facets_that_set_it():
    assert [f.param for f in FILTERS] == ["province", "district", "group", "stars", "producer_type"]
    assert FILTER_BY_PARAM["group"].fields == ("group", "subgroup")
    for facet in FACETS:
        assert facet.field in FILTER_BY_PARAM[facet.param].fields


def test_a_query_has_an_attribute_for_each_filter_and_reads_its_parameter():
    assert {f.param for f in FILTERS} <= {f.name for f in fields(SearchQuery)}
    query = SearchQuery.from_params({"province": "lam-dong", "group": "1.2", "stars": "9", "producer_type": "x"})
    assert query.active_filters() == {"province": "lam-dong", "group": "1.2", "stars": 5, "producer_type": "x"}
