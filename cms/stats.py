"""Counts of certified products for the home page: by stars, by product group, by district.

The caller passes the pages to count (live product pages annotated by `certified()` and
`with_producer()`), so this module needs nothing of the page models.
"""

from catalog.models import District, Producer, ProductGroup


def certified_counts(certified_pages):
    rows = list(
        certified_pages.values(
            "current_stars", "register_product__group__code", "register_product__group__parent__code", "producer_pk"
        )
    )
    by_stars = {stars: 0 for stars in (3, 4, 5)}
    by_group, by_producer = {}, {}
    for row in rows:
        by_stars[row["current_stars"]] = by_stars.get(row["current_stars"], 0) + 1
        top = row["register_product__group__parent__code"] or row["register_product__group__code"]
        by_group[top] = by_group.get(top, 0) + 1
        by_producer[row["producer_pk"]] = by_producer.get(row["producer_pk"], 0) + 1

    groups = [(group, by_group.get(group.code, 0)) for group in ProductGroup.objects.filter(parent__isnull=True)]
    district_of = dict(Producer.objects.filter(pk__in=by_producer).values_list("pk", "district_id"))
    by_district = {}
    for producer_pk, count in by_producer.items():
        district_id = district_of.get(producer_pk)
        by_district[district_id] = by_district.get(district_id, 0) + count
    districts = [
        (district, by_district[district.pk])
        for district in District.objects.filter(pk__in=[k for k in by_district if k])
    ]
    districts.sort(key=lambda item: (-item[1], item[0].name))
    return {
        "total": len(rows),
        "producers": len(by_producer),
        "by_stars": sorted(by_stars.items(), reverse=True),
        "by_group": groups,
        "by_district": districts,
    }
