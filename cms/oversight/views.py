"""The officials' dashboard in Wagtail's admin (/admin/chi-tieu/): a plan's targets against
their results for a period, the breakdowns and charts, and for each figure the list of the
products, producers or sales points behind it. Who may see it is cms/lifecycle/access.py's
`is_official` (officials, the OCOP office, the approvers, a superuser); the figures are the
engine's (figures.py, results.py), arranged by dashboard.py."""

from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Commune, District, EvaluationKind, Product, ProductGroup, Province
from cms.lifecycle import access
from cms.oversight import dashboard as board
from cms.oversight import figures, periods, results
from cms.oversight.models import Plan, Target


def forbidden(request):
    # Rendered, not raised: Wagtail turns PermissionDenied into a redirect to its home.
    return render(
        request,
        "oversight/forbidden.html",
        {"page_title": _("OCOP targets"), "header_icon": "table"},
        status=403,
    )


def choose_period(request, plan, errors, default=None):
    """The ?period= asked for, or the plan's whole span (with a reason when it was bad)."""
    text = request.GET.get("period")
    default = default or periods.plan_period(plan)
    if not text:
        return default
    period = periods.parse(text)
    if period is None:
        errors.append(_("Unknown period “%(text)s”: showing the whole plan instead.") % {"text": text[:40]})
        return default
    if period.end < plan.starts_on or period.start > plan.ends_on:
        errors.append(_("The period is outside the plan's years: showing the whole plan instead."))
        return default
    return period


def dashboard(request):
    if not access.is_official(request.user):
        return forbidden(request)
    errors = []
    plans = list(Plan.objects.all())
    plan = None
    code = request.GET.get("plan")
    if code:
        plan = next((p for p in plans if p.code == code), None)
        if plan is None:
            errors.append(_("Unknown plan: showing the first one instead."))
    plan = plan or (plans[0] if plans else None)
    context = {
        "page_title": _("OCOP targets"),
        "header_icon": "table",
        "plans": [(p, board.plan_title(p)) for p in plans],
        "plan": plan,
        "errors": errors,
    }
    if plan is not None:
        with figures.remembered():
            period = choose_period(request, plan, errors)
            today = timezone.localdate()
            rows = board.target_rows(plan, period)
            tables = board.breakdowns(plan, period)
            history = board.by_period(plan, today)
            series = board.stars_series(plan, today)
            context.update(
                {
                    "plan_title": board.plan_title(plan),
                    "period": period,
                    "periods": board.period_choices(plan),
                    "running": board.running(period, today),
                    "rows": rows,
                    "annex01": board.per_district_year(plan),
                    "annex02": board.per_district_group(plan),
                    "history": history,
                    "tables": tables,
                    "series": series,
                    "charts": board.chart_svgs(rows, tables, series),
                    "shares": [r for r in rows if r.target.is_share],
                    "reports": board.report_links(plan, period),
                }
            )
    return render(request, "oversight/dashboard.html", context, status=400 if errors else 200)


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def describe(kind, item):
    """A behind-list line: the object's name, its admin edit page and its public page (the
    engine's lists fetch each object's page with it)."""
    obj, pk = item, item.pk
    page = getattr(obj, "page", None) if not hasattr(obj, "url_path") else obj
    if kind == "sales_points":
        admin = _url("wagtailadmin_pages:edit", pk)
    elif kind == "producers":
        admin = _url("wagtailsnippets_catalog_producer:edit", pk)
    else:
        admin = _url("wagtailsnippets_catalog_product:edit", pk)
    try:
        public = page.url if page is not None and page.live else ""
    except AttributeError:
        public = ""
    name = getattr(obj, "name", None) or getattr(obj, "title", None) or str(obj)
    place = getattr(obj, "producer", None) if kind == "products" else getattr(obj, "district", None)
    return {
        "name": name,
        "detail": getattr(place, "name", ""),
        "admin_url": admin,
        "public_url": public or "",
        "counted": getattr(item, "counted", True),
        "object": obj,
    }


def behind(request, pk):
    if not access.is_official(request.user):
        return forbidden(request)
    target = get_object_or_404(Target.objects.select_related("plan", "district", "group"), pk=pk)
    errors = []
    period = choose_period(request, target.plan, errors, results.default_period(target))
    with figures.remembered():
        kind, items = results.behind(target, period)
        result = results.evaluate(target, period)
    lines = [describe(kind, item) for item in items]
    heading = {
        "products": _("Products"),
        "producers": _("Producers"),
        "sales_points": _("Sales points"),
    }.get(kind, _("Products"))
    back = reverse("oversight:dashboard") + f"?plan={target.plan.code}&period={period.slug}"
    return render(
        request,
        "oversight/behind.html",
        {
            "page_title": board.target_label(target),
            "header_icon": "table",
            "target": target,
            "label": board.target_label(target),
            "plan_title": board.plan_title(target.plan),
            "plan_figure": board.plan_figure(target),
            "actual": board.actual_figure(result),
            "result": result,
            "period": period,
            "kind": kind,
            "heading": heading,
            "lines": lines,
            "counted": [line for line in lines if line["counted"]],
            "back": back,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


COLUMNS = {
    "new": EvaluationKind.FIRST,
    "upgrade": EvaluationKind.UPGRADE,
    "reevaluation": EvaluationKind.REEVALUATION,
    "certified": None,
}


def figure_list(request):
    """The products behind one figure of the breakdown tables: ?plan=&period=&column= (new,
    upgrade, reevaluation: decided in the period; certified: in force at its end) and
    optionally &by= (district, province, commune, group) &key= (its pk, or "none")."""
    if not access.is_official(request.user):
        return forbidden(request)
    plan = Plan.objects.filter(code=request.GET.get("plan")).first()
    column, by, key = request.GET.get("column"), request.GET.get("by") or "", request.GET.get("key") or ""
    if plan is None or column not in COLUMNS or by not in ("", *figures.DIMENSIONS):
        error = _("Unknown figure: choose one from the dashboard's tables.")
        context = {"page_title": _("OCOP targets"), "header_icon": "table", "errors": [error], "lines": []}
        return render(request, "oversight/figure_list.html", context, status=400)
    errors = []
    period = choose_period(request, plan, errors)
    districts = board.plan_districts(plan)
    with figures.remembered():
        if column == "certified":
            items = figures.certified(period.as_of, districts)
        else:
            items = figures.decided(period, COLUMNS[column], districts)
    where = ""
    if by:
        wanted = None if key == "none" else (int(key) if key.isdigit() else -1)
        items = [item for item in items if figures.key_of(item, by) == wanted]
        model = {"district": District, "province": Province, "commune": Commune, "group": ProductGroup}[by]
        place = model.objects.filter(pk=wanted).first() if wanted else None
        where = (getattr(place, "translated_name", None) or getattr(place, "name", "")) if place else _("Not recorded")
    products = Product.objects.filter(pk__in={item.product_id for item in items}).select_related("producer", "page")
    lines = [describe("products", product) for product in products.order_by("name")]
    headings = {
        "new": _("New products certified ≥3★ in the period"),
        "upgrade": _("Products upgraded in the period"),
        "reevaluation": _("Products re-evaluated in the period"),
        "certified": _("OCOP products in force at the end of the period"),
    }
    return render(
        request,
        "oversight/figure_list.html",
        {
            "page_title": headings[column],
            "header_icon": "table",
            "plan_title": board.plan_title(plan),
            "plan": plan,
            "period": period,
            "where": where,
            "lines": lines,
            "errors": errors,
            "back": reverse("oversight:dashboard") + f"?plan={plan.code}&period={period.slug}",
        },
        status=400 if errors else 200,
    )
