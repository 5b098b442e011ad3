"""What the officials' dashboard shows (cms/oversight/views.py): a plan's targets against their
results for a period, the plan against the actual by year, half-year, historical district,
current province and commune and product group, and the charts. The figures are the engine's
(figures.py, results.py); this module only arranges them."""

import dataclasses
from collections import defaultdict

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from catalog.models import District
from cms.oversight import charts, figures, periods, results
from cms.oversight.models import Metric

BREAKDOWNS = ("district", "province", "commune", "group")
PER_DISTRICT = (Metric.NEW_PRODUCTS, Metric.UPGRADED_PRODUCTS)


def english():
    return (get_language() or "").startswith("en")


def plan_title(plan):
    return plan.title_en if english() and plan.title_en else plan.title


def target_label(target):
    return target.label_en if english() and target.label_en else target.label


def period_choices(plan):
    """The periods a plan is read for: its whole span, then each year and half-year."""
    choices = [periods.plan_period(plan)]
    for y in plan.years:
        choices += [periods.year(y), periods.half(y, 1), periods.half(y, 2)]
    return choices


def plan_districts(plan):
    """The historical districts of the plan's province (the scope of its figures)."""
    return plan.district_ids()


def running(period, today):
    return period.end >= today


def plan_figure(target):
    """The plan's figure as the plan writes it: "≥ 246", "> 10", "1–2", with % for shares."""
    unit = "%" if target.is_share else ""

    def number(value):
        return f"{value.normalize():f}{unit}"

    if target.comparison == target.Comparison.BETWEEN and target.value_max is not None:
        return f"{target.value.normalize():f}–{number(target.value_max)}"
    sign = "≥" if target.comparison == target.Comparison.AT_LEAST else ">"
    return f"{sign} {number(target.value)}"


def actual_figure(result):
    if result.target.is_share:
        return f"{result.actual.quantize(result.actual.__class__('0.1')).normalize():f}%"
    return f"{result.actual.normalize():f}"


@dataclasses.dataclass
class Row:
    """One target on the dashboard: the plan's figure, the result and where it comes from."""

    target: object
    result: object
    period: object
    state: str  # "met", "not_met", "running"
    behind_url: str

    @property
    def label(self):
        return target_label(self.target)

    @property
    def plan(self):
        return plan_figure(self.target)

    @property
    def actual(self):
        return actual_figure(self.result)

    @property
    def percent(self):
        return round(min(max(self.result.progress or 0, 0), 1) * 100)

    @property
    def state_label(self):
        return {"met": _("met"), "not_met": _("not met"), "running": _("in progress")}[self.state]


def row(result):
    # Not met yet is "in progress" while the target's own span (its year, or the plan's) runs
    # on after the period read: a year's target read for its first half, say.
    if result.met:
        state = "met"
    elif result.running or result.period.end < results.default_period(result.target).end:
        state = "running"
    else:
        state = "not_met"
    return Row(result.target, result, result.period, state, result.behind_url)


def target_rows(plan, period):
    """The plan's own targets (not per district or group) measured for the period: plan-wide
    ones from the plan's start to the period's end, a year's targets in their year
    (results.evaluate_plan)."""
    one_year = period.start.year == period.end.year  # a span's year targets are in the tables
    return [
        row(result)
        for result in results.evaluate_plan(plan, period)
        if result.target.district_id is None
        and result.target.group_id is None
        and (one_year or result.target.year is None)
    ]


def per_district_year(plan):
    """Phụ lục 01: each historical district's new and upgraded products per year, plan against
    actual. {"years": [...], "metrics": [(label, [(district, [cell or None per year])])]}"""
    targets = plan.targets.filter(
        district__isnull=False, group__isnull=True, year__isnull=False, metric__in=PER_DISTRICT
    ).select_related("district", "plan")
    if not targets:
        return None
    years = plan.years
    tables = []
    for metric in PER_DISTRICT:
        cells = defaultdict(dict)
        for target in targets:
            if target.metric == metric:
                cells[target.district][target.year] = cells[target.district].get(target.year) or row(
                    results.evaluate(target)
                )
        if cells:
            lines = [(d, [cells[d].get(y) for y in years]) for d in sorted(cells, key=lambda d: d.name)]
            tables.append((Metric(metric).label, lines))
    return {"years": years, "tables": tables}


def per_district_group(plan):
    """Phụ lục 02: each historical district's products per group, plan against actual."""
    targets = list(
        plan.targets.filter(district__isnull=False, group__isnull=False).select_related("district", "group", "plan")
    )
    if not targets:
        return None
    groups = sorted({t.group for t in targets}, key=lambda g: g.code)
    cells = defaultdict(dict)
    for target in targets:
        cells[target.district][target.group] = row(results.evaluate(target))
    lines = [(d, [cells[d].get(g) for g in groups]) for d in sorted(cells, key=lambda d: d.name)]
    return {"groups": groups, "lines": lines}


def district_plan(plan, period):
    """{district: planned new products in the period} from the per-district per-year targets."""
    planned = defaultdict(int)
    for target in plan.targets.filter(
        metric=Metric.NEW_PRODUCTS, district__isnull=False, group__isnull=True, year__isnull=False
    ):
        if period.start.year <= target.year <= period.end.year:
            planned[target.district_id] += target.value
    return planned


def by_period(plan, today):
    """Per year and per half-year: planned new products, new, upgraded, re-evaluated (decided
    in the period) and the products in force at its end."""
    yearly_plan = defaultdict(int)
    per_district = defaultdict(int)
    for target in plan.targets.filter(metric=Metric.NEW_PRODUCTS, year__isnull=False, group__isnull=True):
        (per_district if target.district_id else yearly_plan)[target.year] += target.value
    lines = []
    districts = plan_districts(plan)
    for y in plan.years:
        for period in (periods.year(y), periods.half(y, 1), periods.half(y, 2)):
            if period.start > today:
                continue
            decided = figures.decided(period, None, districts)
            kinds = defaultdict(int)
            for certificate in decided:
                kinds[_value(certificate, "kind")] += 1
            planned = (yearly_plan.get(y) or per_district.get(y)) if period.kind == "year" else None
            lines.append(
                {
                    "period": period,
                    "plan": planned,
                    "new": kinds["first"],
                    "upgrade": kinds["upgrade"],
                    "reevaluation": kinds["reevaluation"],
                    "certified": sum(figures.by_stars(period.as_of, districts).values()),
                }
            )
    return lines


def _value(row, name):
    return row.get(name) if isinstance(row, dict) else getattr(row, name, None)


def breakdowns(plan, period):
    """figures.breakdown for each dimension; the district one with the plan's figure beside."""
    tables = {}
    planned = district_plan(plan, period)
    districts = plan_districts(plan)
    for by in BREAKDOWNS:
        lines = list(figures.breakdown(period, by, districts))
        if by == "district":
            for line in lines:
                line["plan"] = planned.get(line["key"])
            missing = set(planned) - {line["key"] for line in lines}  # planned, nothing recorded
            for district in District.objects.filter(pk__in=missing).order_by("name"):
                zero = {"new": 0, "upgrade": 0, "reevaluation": 0, "certified": 0}
                lines.append({"key": district.pk, "label": district.name, "plan": planned[district.pk], **zero})
        tables[by] = lines
    return tables


def chart_svgs(rows, tables, series):
    """The dashboard's charts as inline SVG: plan against actual by district, products in
    force by stars over time, shares against their thresholds."""
    svgs = {}
    districts = [line for line in tables.get("district", []) if line.get("plan") is not None]
    if districts:
        svgs["districts"] = charts.plan_vs_actual(
            [line["label"] for line in districts],
            [float(line["plan"]) for line in districts],
            [line["new"] for line in districts],
            _("New products by historical district, plan against actual"),
            plan_label=_("Plan"),
            actual_label=_("Actual"),
        )
    if series:
        svgs["stars"] = charts.stars_series(
            [str(p.start.year) for p, _counts in series],
            {stars: [counts.get(stars, 0) for _p, counts in series] for stars in (3, 4, 5)},
            _("OCOP products in force at the end of each year, by stars"),
        )
    shares = [r for r in rows if r.target.is_share]
    if shares:
        svgs["shares"] = charts.shares(
            [(str(Metric(r.target.metric).label), float(r.result.actual), float(r.target.value)) for r in shares],
            _("Shares against the plan's thresholds (%)"),
            threshold_label=_("Target"),
        )
    return svgs


def stars_series(plan, today):
    """Products in force by stars at the end of each year of the plan (so far)."""
    years = [periods.year(y) for y in plan.years if periods.year(y).start <= today]
    return [
        (p, {stars: counts.get(stars, 0) for stars in (5, 4, 3)})
        for p, counts in figures.series(years, plan_districts(plan))
    ]


def report_links(plan, period):
    """Downloads of the periodic report (cms/oversight reports) for this plan and period."""
    url = reverse("oversight:report")
    return [
        (label, f"{url}?{urlencode({'period': period.slug, 'format': fmt, 'plan': plan.code})}")
        for fmt, label in (("xlsx", _("Report as XLSX")), ("pdf", _("Report as PDF")))
    ]
