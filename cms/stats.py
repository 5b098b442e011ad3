"""Counts of certified products for the home page: by stars, by product group, by district.

The caller passes the rows to count, the COUNTED values of live product pages annotated by
`certified()` and `with_producer()` (cms/models.py), so this module needs nothing of the page
models.
"""

from catalog.models import District, ProductGroup
from catalog.prepared import prepared

COUNTED = (
    "current_stars",
    "register_product__group__code",
    "register_product__group__parent__code",
    "producer_pk",
    "register_product__producer__district_id",
)


@prepared
def _top_groups():
    return ProductGroup.objects.filter(parent__isnull=True)


@prepared
def _districts(*district_ids):
    return District.objects.filter(pk__in=district_ids)


def certified_counts(rows):
    rows = list(rows)
    by_stars = {stars: 0 for stars in (3, 4, 5)}
    by_group, by_producer = {}, {}
    for row in rows:
        by_stars[row["current_stars"]] = by_stars.get(row["current_stars"], 0) + 1
        top = row["register_product__group__parent__code"] or row["register_product__group__code"]
        by_group[top] = by_group.get(top, 0) + 1
        by_producer[row["producer_pk"]] = by_producer.get(row["producer_pk"], 0) + 1

    groups = [(group, by_group.get(group.code, 0)) for group in _top_groups()]
    by_district = {}
    for row in rows:
        district_id = row["register_product__producer__district_id"]
        by_district[district_id] = by_district.get(district_id, 0) + 1
    known = sorted(k for k in by_district if k)
    districts = [(district, by_district[district.pk]) for district in (_districts(*known) if known else [])]
    districts.sort(key=lambda item: (-item[1], item[0].name))
    return {
        "total": len(rows),
        "producers": len(by_producer),
        "by_stars": sorted(by_stars.items(), reverse=True),
        "by_group": groups,
        "by_district": districts,
    }
