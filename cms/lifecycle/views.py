"""The officials' lists of certificates per stage (window open, window missed, expiring,
lapsed), with each one's re-evaluation dossier and whether its reminder went out. Who may see
them is access.py's; the stages are stages.py's."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Certificate
from cms.evaluation.models import State
from cms.lifecycle import access, stages
from cms.lifecycle.models import Stage

PER_PAGE = 50


def reminders(request):
    if not access.can_see_lists(request.user):
        # Rendered, not raised: Wagtail turns PermissionDenied into a redirect to its home.
        return render(
            request,
            "lifecycle/forbidden.html",
            {"page_title": _("Re-evaluation reminders"), "header_icon": "time"},
            status=403,
        )
    today = timezone.localdate()
    stage = request.GET.get("stage") or Stage.WINDOW_OPEN
    status = 200
    error = None
    if stage not in stages.LISTED:
        error = _("Unknown stage: choose one of the tabs above.")
        stage, status = Stage.WINDOW_OPEN, 400
    certificates = stages.in_stage(
        stage, today, Certificate.objects.select_related("product__producer", "product__producer__province")
    )
    # Lapsed ones most recent first (the old ones are history); the others soonest first.
    certificates = certificates.order_by("-expiry_date" if stage == Stage.LAPSED else "expiry_date", "pk")
    page = Paginator(certificates, PER_PAGE).get_page(request.GET.get("p"))
    for certificate in page:
        certificate.days_left = stages.days_left(certificate, today)
        certificate.days_ago = -certificate.days_left
        state = certificate.reevaluation_state
        certificate.reevaluation_label = State(state).label if state else ""
    counts = stages.counts(today)
    return render(
        request,
        "lifecycle/reminders.html",
        {
            "page_title": _("Re-evaluation reminders"),
            "header_icon": "time",
            "today": today,
            "stage": Stage(stage),
            "tabs": [(value, value.label, counts[value]) for value in stages.LISTED],
            "certificates": page,
            "items": page,
            "elided_page_range": page.paginator.get_elided_page_range(page.number),
            "error": error,
        },
        status=status,
    )
