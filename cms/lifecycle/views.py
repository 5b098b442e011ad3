"""The officials' lifecycle screens in the admin: revoke a certificate."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from wagtail.admin import messages

from catalog.models import Certificate
from cms.lifecycle import access, revocation
from cms.lifecycle.forms import RevocationForm
from cms.lifecycle.models import Inspection


def revoke(request, pk):
    if not access.can_revoke(request.user):
        raise PermissionDenied
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
