"""Querysets compiled once (catalog/prepared.py): each call's own values and rows, never a
previous call's; values put in the SQL as Django would (a prefix's LIKE characters escaped,
dates on SQLite as text); a build that hides a value inside a parameter refused; another
thread reads through its own connection."""

import datetime
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import MarketplaceListing, Standard, active_on
from catalog.prepared import _named, prepared
from tests import factories


def counted(build):
    """`build`, prepared, with the number of times it was built (compiled) on the result."""
    calls = []

    @prepared
    def run(*values):
        calls.append(values)
        return build(*values)

    run.builds = calls
    return run


@pytest.mark.django_db
def test_each_call_reads_its_own_values_rows_compiled_once():
    Standard.objects.create(code="vietgap", name="VietGAP")
    Standard.objects.create(code="haccp", name="HACCP")
    by_code = counted(lambda code: Standard.objects.filter(code=code))
    assert [s.name for s in by_code("vietgap")] == ["VietGAP"]
    with CaptureQueriesContext(connection) as queries:
        assert [s.name for s in by_code("haccp")] == ["HACCP"]
    assert len(queries) == 1 and "haccp" in str(queries.captured_queries[0]["sql"])
    assert by_code("none") == []
    assert len(by_code.builds) == 2  # compiled on the first call only (twice, with stand-in values)
    assert ("vietgap",) not in by_code.builds


@pytest.mark.django_db
def test_rows_are_read_again_on_every_call():
    standard = Standard.objects.create(code="vietgap", name="VietGAP")
    by_code = prepared(lambda code: Standard.objects.filter(code=code))
    assert by_code("vietgap")[0].name == "VietGAP"
    Standard.objects.filter(pk=standard.pk).update(name="VietGAP 2026")
    assert by_code("vietgap")[0].name == "VietGAP 2026"


@pytest.mark.django_db
def test_a_prefix_is_escaped_as_django_escapes_it():
    Standard.objects.create(code="a_b1", name="one")
    Standard.objects.create(code="axb2", name="two")
    starting = prepared(lambda prefix: Standard.objects.filter(code__startswith=prefix).order_by("code"))
    assert [s.code for s in starting("a_b")] == ["a_b1"]  # "_" is not a wildcard
    assert [s.code for s in starting("a")] == ["a_b1", "axb2"]
    assert list(Standard.objects.filter(code__startswith="a_b")) == starting("a_b")


@pytest.mark.django_db
def test_dates_and_ints_are_bound_where_each_occurs():
    producer = factories.ProducerFactory()
    product, other = factories.register_product(producer), factories.register_product(producer)
    day = datetime.date(2026, 6, 1)
    MarketplaceListing.objects.create(
        product=product, platform="shopee", url="https://shopee.vn/a", listed_since=day, until=day
    )
    current = prepared(
        lambda today, product_id: MarketplaceListing.objects.filter(
            active_on(today, since="listed_since"), product_id=product_id
        )
    )
    assert len(current(day, product.pk)) == 1
    assert current(day + datetime.timedelta(days=1), product.pk) == []  # `today` twice in the SQL
    assert current(day - datetime.timedelta(days=1), product.pk) == []
    assert current(day, other.pk) == []


def test_a_value_hidden_inside_a_parameter_is_refused(db):
    contains = prepared(lambda word: Standard.objects.filter(name__icontains=word))
    with pytest.raises(ValueError, match="not a whole parameter"):
        contains("gap")
    with pytest.raises(TypeError):
        prepared(lambda flag: Standard.objects.filter(pk__gt=0))(True)


@pytest.mark.django_db(transaction=True)
def test_another_thread_reads_through_its_own_connection():
    Standard.objects.create(code="vietgap", name="VietGAP")
    by_code = prepared(lambda code: Standard.objects.filter(code=code))
    assert by_code("vietgap")[0].name == "VietGAP"  # compiled on this thread's connection
    found, errors = [], []

    def read():
        try:
            found.extend(s.name for s in by_code("vietgap"))
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)
        finally:
            connection.close()

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    assert errors == [] and found == ["VietGAP"]


def test_the_parameters_places_are_named_in_order_and_literal_percents_kept():
    sql = "SELECT 1 FROM t WHERE a = %s AND b LIKE '%%x%%' AND c = %s AND d = '%%s'"
    assert _named(sql) == "SELECT 1 FROM t WHERE a = %(p0)s AND b LIKE '%%x%%' AND c = %(p1)s AND d = '%%s'"
    assert _named(sql) % {"p0": "?", "p1": "?"} == sql % ("?", "?")
