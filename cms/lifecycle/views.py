"""The officials' lifecycle screens in the admin: the lists of certificates per stage
(window open, window missed, expiring, lapsed) with each one's re-evaluation dossier and
whether its reminder went out, and the revocation of a certificate. Who may see them is
access.py's; the stages are stages.py's, the revocation revocation.py's."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.admin import messages

from catalog.models import Certificate
from cms.evaluation.models import State
from cms.lifecycle import access, revocation, stages
from cms.lifecycle.forms import RevocationForm
from cms.lifecycle.models import Inspection, Stage


def forbidden(request, title, icon):
    # Rendered, not raised: Wagtail turns PermissionDenied into a redirect to its home.
    return render(request, "lifecycle/forbidden.html", {"page_title": title, "header_icon": icon}, status=403)


PER_PAGE = 50


def reminders(request):
    if not access.can_see_lists(request.user):
        return forbidden(request, _("Re-evaluation reminders"), "time")
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


def revoke(request, pk):
    if not access.can_revoke(request.user):
        return forbidden(request, _("Revoke a certificate"), "cross")
    certificate = get_object_or_404(Certificate.objects.select_related("product__producer", "rule_version"), pk=pk)
    inspection = None
    if request.GET.get("inspection", "").isdigit():
        inspection = Inspection.objects.filter(pk=request.GET["inspection"], certificate=certificate).first()
    form = RevocationForm(request.POST or None, initial=revocation.initial_for(certificate, inspection))
    status = 200
    if request.method == "POST":
        if certificate.revoked_on is None and form.is_valid():
            try:
                revocation.revoke(certificate, request.user, **form.cleaned_data)
            except revocation.RevocationRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(
                    request,
                    _("Certificate %(number)s revoked; the product has left the shop and the search results.")
                    % {"number": certificate.decision_number},
                )
                return redirect("wagtailsnippets_catalog_certificate:list")
        status = 400
    return render(
        request,
        "lifecycle/revoke.html",
        {
            "page_title": _("Revoke a certificate"),
            "header_icon": "cross",
            "certificate": certificate,
            "inspection": inspection,
            "inspections": certificate.inspections.all()[:10],
            "due": revocation.due_date(inspection.inspected_on) if inspection else None,
            "form": form,
        },
        status=status,
    )
