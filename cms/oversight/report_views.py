"""The report downloads of the officials' dashboard: /admin/chi-tieu/bao-cao/?period=2026-h1
&format=xlsx|pdf[&plan=<code>] (URL name oversight:report). Officials only (cms/lifecycle/
access.py); a bad period, format or plan is a 400 whose message is Vietnamese, then English
(a download has no page around it to follow the admin's language)."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

from cms.lifecycle import access
from cms.oversight import periods, reports
from cms.oversight.models import Plan

FORBIDDEN = _("Only OCOP officials, the provincial OCOP office and the approvers may download the reports.")
BAD_PERIOD = _(
    "Invalid reporting period: give a year (2025), a half-year (2026-h1, 2026-h2) or a range of days "
    "(2024-01-01..2024-06-30)."
)
BAD_FORMAT = _("Invalid format: choose xlsx or pdf.")
BAD_PLAN = _("There is no such plan.")


def _refuse(message, status):
    vietnamese, english = reports.both(message)
    return HttpResponse(f"{vietnamese}\n{english}\n", status=status, content_type="text/plain; charset=utf-8")


def report(request):
    if not access.is_official(request.user):
        return _refuse(FORBIDDEN, 403)
    period = periods.parse(request.GET.get("period"))
    if period is None or not reports.FIRST_YEAR <= period.start.year <= period.end.year <= reports.LAST_YEAR:
        return _refuse(BAD_PERIOD, 400)
    fmt = request.GET.get("format") or "xlsx"
    if fmt not in reports.FORMATS:
        return _refuse(BAD_FORMAT, 400)
    plan = None
    if request.GET.get("plan"):
        plan = Plan.objects.filter(code=request.GET["plan"]).first()
        if plan is None:
            return _refuse(BAD_PLAN, 400)
    collected = reports.collect(period, plan)
    content, content_type = reports.render(collected, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{collected.filename(fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
