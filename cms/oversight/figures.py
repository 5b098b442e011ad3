"""The programme's figures as of a day or over a period, from the register's dated history.

Every figure here is taken from catalog/history.py: certificates and producers as they stood
at the end of the day asked, so a 2023 figure does not change because a product was revoked in
2025 or its producer moved. A product counts once, at the stars of its best certificate in
force; it belongs to its producer's historical district, current province and commune as they
stood that day, and to its product group's top group.

The dashboard, the reports, the public statistics page and the targets (results.py) all read
these functions; none counts on its own.
"""

import contextlib
import contextvars
import dataclasses

from django.utils.translation import gettext as _

from catalog import history, rules
from catalog.models import Commune, District, EvaluationKind, Product, ProductGroup, Province

STARS = (5, 4, 3)
DIMENSIONS = ("district", "province", "commune", "group")


@dataclasses.dataclass(frozen=True)
class Counted:
    """A certificate as counted: its product, the producer's place that day, the top group."""

    certificate_id: int
    product_id: int
    producer_id: int
    stars: int
    kind: str
    decision_date: object
    district_id: int | None
    province_id: int | None
    commune_id: int | None
    group_id: int | None


_memo = contextvars.ContextVar("oversight_figures", default=None)


@contextlib.contextmanager
def remembered():
    """Within this block, each day's or period's figures are computed once (a dashboard or a
    report asks for the same day many times, once per target and district)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def _remember(key, compute):
    store = _memo.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]


def _within(items, districts):
    return items if districts is None else [item for item in items if item.district_id in districts]


def _groups():
    """Each product group's top group (the plans count by the six top groups)."""
    parents = dict(ProductGroup.objects.values_list("pk", "parent_id"))
    return {pk: parent or pk for pk, parent in parents.items()}


def placed(rows, day, districts=None):
    """`rows` (certificate history rows) with each product's place as of `day`; only those in
    `districts` (historical District pks) when given."""
    rows = list(rows.values("id", "product_id", "stars", "kind", "decision_date"))
    products = {
        pk: (producer, group)
        for pk, producer, group in Product.objects.filter(pk__in={r["product_id"] for r in rows}).values_list(
            "pk", "producer_id", "group_id"
        )
    }
    places = {
        row["id"]: row
        for row in history.producers_as_of(day)
        .filter(id__in={producer for producer, _group in products.values()})
        .values("id", "district_id", "province_id", "commune_id")
    }
    tops = _groups()
    result = []
    for row in rows:
        producer_id, group_id = products[row["product_id"]]
        place = places.get(producer_id, {})
        if districts is not None and place.get("district_id") not in districts:
            continue
        result.append(
            Counted(
                certificate_id=row["id"],
                product_id=row["product_id"],
                producer_id=producer_id,
                stars=row["stars"],
                kind=row["kind"],
                decision_date=row["decision_date"],
                district_id=place.get("district_id"),
                province_id=place.get("province_id"),
                commune_id=place.get("commune_id"),
                group_id=tops.get(group_id),
            )
        )
    return result


def best_per_product(counted):
    """One entry per product: its certificate with the most stars."""
    best = {}
    for item in counted:
        if item.product_id not in best or item.stars > best[item.product_id].stars:
            best[item.product_id] = item
    return list(best.values())


def certified(day, districts=None):
    """The OCOP products on `day` (a certificate in force, 3★ or more), one entry each."""
    items = _remember(("certified", day), lambda: best_per_product(placed(history.certified_as_of(day), day)))
    return _within(items, districts)


def decided(period, kind=None, districts=None):
    """The certificates of 3★ or more decided in `period`, as recorded at its `as_of` day
    (a certificate revoked since still counts: it was decided then)."""

    def compute():
        rows = history.certificates_as_of(period.as_of).filter(
            decision_date__gte=period.start, decision_date__lte=period.as_of, stars__gte=rules.min_certified_stars()
        )
        return placed(rows, period.as_of)

    items = _within(_remember(("decided", period.start, period.as_of), compute), districts)
    return [item for item in items if item.kind == kind] if kind else items


def by_stars(day, districts=None):
    counts = dict.fromkeys(STARS, 0)
    for item in certified(day, districts):
        counts[item.stars] = counts.get(item.stars, 0) + 1
    return counts


def series(periods, districts=None):
    """[(period, {5: n, 4: n, 3: n})]: products in force at each period's `as_of` day."""
    return [(period, by_stars(period.as_of, districts)) for period in periods]


def _labels(by):
    model = {"district": District, "province": Province, "commune": Commune, "group": ProductGroup}[by]
    if by == "group":
        return {g.pk: str(g.translated_name) for g in ProductGroup.objects.filter(parent__isnull=True)}
    return dict(model.objects.values_list("pk", "name"))


def key_of(item, by):
    return getattr(item, f"{by}_id")


def breakdown(period, by, districts=None):
    """Rows of new, upgraded and re-evaluated certificates decided in `period` and products in
    force at its end, per `by` ("district", "province", "commune", "group"), largest first;
    a row with key None gathers the products without that place."""
    if by not in DIMENSIONS:
        raise ValueError(by)
    rows = {}

    def row(key):
        return rows.setdefault(
            key,
            {"key": key, "label": "", "new": 0, "upgrade": 0, "reevaluation": 0, "certified": 0},
        )

    columns = {
        EvaluationKind.FIRST: "new",
        EvaluationKind.UPGRADE: "upgrade",
        EvaluationKind.REEVALUATION: "reevaluation",
    }
    for item in decided(period, districts=districts):
        row(key_of(item, by))[columns[item.kind]] += 1
    for item in certified(period.as_of, districts):
        row(key_of(item, by))["certified"] += 1
    labels = _labels(by)
    for key, value in rows.items():
        value["label"] = labels.get(key, "") if key is not None else _("Not recorded")
    return sorted(rows.values(), key=lambda r: (r["key"] is None, -r["certified"], -r["new"], r["label"]))


def headline(day, districts=None):
    """The public figures as of `day`: products and producers, by stars, group, province and district."""
    items = certified(day, districts)
    counts = dict.fromkeys(STARS, 0)
    for item in items:
        counts[item.stars] += 1

    def tally(by):
        labels = _labels(by)
        totals = {}
        for item in items:
            key = key_of(item, by)
            totals[key] = totals.get(key, 0) + 1
        pairs = [
            (labels.get(k, _("Not recorded")) if k is not None else _("Not recorded"), n) for k, n in totals.items()
        ]
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))

    return {
        "as_of": day,
        "products": len(items),
        "producers": len({item.producer_id for item in items}),
        "by_stars": counts,
        "by_group": tally("group"),
        "by_province": tally("province"),
        "by_district": tally("district"),
    }
