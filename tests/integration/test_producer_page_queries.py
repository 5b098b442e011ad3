"""The producer page reads its producer and the producer's places in one query."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Commune, District


def test_producer_and_places_in_one_query(client, tree):
    producer = tree.producer_a.producer
    producer.commune = Commune.objects.create(code="99999", name="Xã Thử", province=producer.province)
    producer.district = District.objects.create(
        slug="huyen-thu", name="Huyện Thử", former_province="Lâm Đồng", province=producer.province
    )
    producer.save()
    client.get(tree.producer_a.url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(tree.producer_a.url)
    html = response.content.decode()
    assert "Xã Thử" in html
    assert "Huyện Thử" in html and producer.province.name in html
    place_tables = ('FROM "catalog_commune"', 'FROM "catalog_province"', 'FROM "catalog_district"')
    alone = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().startswith("SELECT") and any(t in q["sql"] for t in place_tables)
    ]
    assert alone == [], alone
