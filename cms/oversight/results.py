"""Each target's result: the plan's figure against what the register shows, and what is behind it.

A target is measured over its period, as of the period's last day (or today while it runs):
a year target over its year, a plan-wide target over the plan's span. `evaluate_plan(plan,
period)` measures the year targets of the years the period touches, each over its year up to
the period's end, and the plan-wide ones from the plan's start to the period's end (the
progress made by then).

Counts are products (a product counts once however many certificates it had) or producers or
sales points; shares are percentages of the products or producers in the plan's province (its
historical districts, or one district for a district's target). What each metric counts is
written once below, in `_measure`.
"""

import dataclasses
import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from catalog import history, rules
from catalog.models import (
    EnterpriseSize,
    EvaluationKind,
    MarketplaceListing,
    Producer,
    Product,
    SalesChannel,
    active_on,
)
from cms.models import ProductPage, SalesPointPage
from cms.oversight import figures, periods
from cms.oversight.models import Metric, Target

SMES = (EnterpriseSize.MICRO, EnterpriseSize.SMALL, EnterpriseSize.MEDIUM)


@dataclasses.dataclass
class Result:
    target: Target
    period: periods.Period
    actual: Decimal
    numerator: int
    denominator: int | None
    counted: list  # the objects counted (products, producers or sales points)
    population: list  # for a share, every object it is a share of; else the counted ones

    @property
    def met(self):
        target = self.target
        if target.comparison == Target.Comparison.MORE_THAN:
            return self.actual > target.value
        if target.comparison == Target.Comparison.BETWEEN:
            return target.value <= self.actual <= (target.value_max or target.value)
        return self.actual >= target.value

    @property
    def running(self):
        """True while the period has not ended: a target not met yet may still be."""
        return self.period.as_of < self.period.end

    @property
    def progress(self):
        if not self.target.value:
            return 1.0
        return max(0.0, min(1.0, float(self.actual / self.target.value)))

    @property
    def behind_url(self):
        return reverse("oversight:behind", args=[self.target.pk]) + f"?period={self.period.slug}"


def default_period(target):
    if target.year:
        return periods.year(target.year)
    return periods.plan_period(target.plan)


def scope(target):
    """The historical districts a target counts in: its own, or its plan's province's."""
    if target.district_id:
        return {target.district_id}
    return target.plan.district_ids()


def percent(part, whole):
    if not whole:
        return Decimal(0)
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def evaluate(target, period=None):
    period = period or default_period(target)
    counted, population = _measure(target, period)
    if target.is_share:
        return Result(
            target, period, percent(len(counted), len(population)), len(counted), len(population), counted, population
        )
    return Result(target, period, Decimal(len(counted)), len(counted), None, counted, counted)


def evaluate_plan(plan, period=None):
    """The plan's targets measured for `period` (see the module's docstring); each target
    over its own period when none is given."""
    with figures.remembered():
        return _evaluate_plan(plan, period)


def _evaluate_plan(plan, period):
    results = []
    for target in plan.targets.select_related("plan", "district", "group"):
        if period is None:
            results.append(evaluate(target))
        elif target.year is None:
            end = min(period.end, plan.ends_on)
            if end >= plan.starts_on:
                results.append(evaluate(target, periods.Period(plan.starts_on, end, "plan")))
        elif period.start.year <= target.year <= period.end.year:
            # A year target in the period: over its year up to the period's end (a half-year
            # shows the progress by 30/6; a span of years, each year whole).
            start, end = datetime.date(target.year, 1, 1), datetime.date(target.year, 12, 31)
            results.append(
                evaluate(target, periods.Period(start, min(end, period.end), "year" if period.end >= end else "custom"))
            )
    return results


def behind(target, period):
    """("products" | "producers" | "sales_points", objects): what the figure counts; for a
    share, every object of the whole with `counted` set on each."""
    result = evaluate(target, period)
    counted_pks = {obj.pk for obj in result.counted}
    for obj in result.population:
        obj.counted = obj.pk in counted_pks
    kind = _KINDS.get(target.metric, "products")
    return kind, result.population


_KINDS = {
    Metric.COOPERATIVE_SHARE: "producers",
    Metric.SME_SHARE: "producers",
    Metric.WOMEN_LED_SHARE: "producers",
    Metric.ETHNIC_MINORITY_SHARE: "producers",
    Metric.MODERN_CHANNEL_SHARE: "producers",
    Metric.SALES_POINTS: "sales_points",
}


# --- What each metric counts ---


def _products(pks):
    return list(Product.objects.filter(pk__in=pks).select_related("producer", "group", "page").order_by("name"))


def _producers(pks):
    return list(Producer.objects.filter(pk__in=pks).select_related("district", "page").order_by("name"))


def _in_group(items, target):
    if target.group_id is None:
        return items
    return [item for item in items if item.group_id == target.group_id]


def _measure(target, period):
    """(counted, population) for `target` over `period`: lists of model instances."""
    metric, day, districts = target.metric, period.as_of, scope(target)

    def decided(kind=None):
        return {item.product_id for item in _in_group(figures.decided(period, kind, districts), target)}

    def recognised():
        """Products with a certificate of 3★ or more decided by `day`, in force or not."""
        rows = history.certificates_as_of(day).filter(stars__gte=rules.min_certified_stars())
        return {item.product_id for item in _in_group(figures.placed(rows, day, districts), target)}

    def in_force():
        return _in_group(figures.certified(day, districts), target)

    if metric == Metric.NEW_PRODUCTS:
        products = _products(decided(EvaluationKind.FIRST))
        return products, products
    if metric == Metric.UPGRADED_PRODUCTS:
        products = _products(decided(EvaluationKind.UPGRADE))
        return products, products
    if metric == Metric.FOUR_STAR_EVALUATED:
        pks = {i.product_id for i in _in_group(figures.decided(period, None, districts), target) if i.stars >= 4}
        return _products(pks), _products(pks)
    if metric == Metric.TOTAL_PRODUCTS:
        products = _products(recognised())
        return products, products
    if metric == Metric.FIVE_STAR:
        products = _products({item.product_id for item in in_force() if item.stars == 5})
        return products, products
    if metric == Metric.UPGRADED_SHARE:
        population = recognised()
        return _products(decided(EvaluationKind.UPGRADE) & population), _products(population)
    if metric == Metric.REEVALUATED_SHARE:
        return _reevaluated(target, period, districts)
    if metric == Metric.ECOMMERCE_SHARE:
        population = {item.product_id for item in in_force()}
        listed = set(
            MarketplaceListing.objects.filter(
                active_on(day, "listed_since", "until"), product_id__in=population
            ).values_list("product_id", flat=True)
        )
        return _products(listed), _products(population)
    if metric == Metric.WEBSITE_SHARE:
        population = {item.product_id for item in in_force()}
        end = history.start_of(day + datetime.timedelta(days=1))
        shown = set(
            ProductPage.objects.live()
            .filter(register_product_id__in=population, first_published_at__lt=end)
            .values_list("register_product_id", flat=True)
        )
        return _products(shown), _products(population)
    if metric == Metric.SALES_POINTS:
        end = history.start_of(day + datetime.timedelta(days=1))
        points = list(
            SalesPointPage.objects.live()
            .filter(district_id__in=districts)
            .filter(Q(opened_on__lte=day) | Q(opened_on__isnull=True, first_published_at__lt=end))
            .select_related("district")
            .order_by("title")
        )
        return points, points
    return _producer_share(target, metric, day, in_force())


def _producer_share(target, metric, day, items):
    """The producers with an OCOP product on `day`, and those of them the metric counts,
    with their facts as they stood that day."""
    population = {item.producer_id for item in items}
    facts = history.producers_as_of(day).filter(id__in=population)
    if metric == Metric.COOPERATIVE_SHARE:
        counted = facts.filter(legal_form=Producer.LegalForm.COOPERATIVE)
    elif metric == Metric.SME_SHARE:
        counted = facts.filter(legal_form=Producer.LegalForm.ENTERPRISE, size__in=SMES)
    elif metric == Metric.WOMEN_LED_SHARE:
        counted = facts.filter(women_led=True)
    elif metric == Metric.ETHNIC_MINORITY_SHARE:
        counted = facts.filter(ethnic_minority_led=True)
    elif metric == Metric.MODERN_CHANNEL_SHARE:
        channels = SalesChannel.objects.filter(active_on(day), producer_id=OuterRef("id"), kind__in=SalesChannel.MODERN)
        listings = MarketplaceListing.objects.filter(
            active_on(day, "listed_since", "until"), product__producer_id=OuterRef("id")
        )
        counted = facts.filter(Exists(channels) | Exists(listings))
    else:
        raise ValueError(f"unknown metric {metric}")
    return _producers(set(counted.values_list("id", flat=True))), _producers(population)


def _reevaluated(target, period, districts):
    """Products whose certificate expired in the period, and those of them re-evaluated
    (a later certificate decided by the period's `as_of` day, whatever its stars)."""
    day = period.as_of
    rows = history.certificates_as_of(day)
    expiring = rows.filter(expiry_date__gte=period.start, expiry_date__lte=period.end)
    population = {c.product_id: c for c in _in_group(figures.placed(expiring, day, districts), target)}
    decisions = {}
    for product_id, decided_on in rows.filter(product_id__in=population).values_list("product_id", "decision_date"):
        decisions.setdefault(product_id, []).append(decided_on)
    renewed = {pk for pk, item in population.items() if any(d > item.decision_date for d in decisions.get(pk, []))}
    return _products(renewed), _products(set(population))
