"""The certificate lifecycle in Wagtail's admin: inspections (a snippet; model permissions
decide who records them), the revocation screen, and "Revoke" buttons on the certificate
and inspection lists for the officials allowed to revoke."""

import django_filters
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from catalog.models import Certificate
from cms.lifecycle import access
from cms.lifecycle.models import Inspection


@hooks.register("register_admin_urls")
def lifecycle_urls():
    return [path("vong-doi/", include("cms.lifecycle.urls", namespace="lifecycle"))]


def inspection_years():
    years = Inspection.objects.dates("inspected_on", "year", order="DESC")
    return [(d.year, str(d.year)) for d in years]


class InspectionFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=_("Year"), field_name="inspected_on__year", choices=inspection_years)

    class Meta:
        model = Inspection
        fields = ["product", "kind", "outcome", "mark_use", "criteria_kept"]


class InspectionForm(WagtailAdminModelForm):
    def save(self, commit=True):
        if self.instance.pk is None and self.for_user is not None:
            self.instance.recorded_by = self.for_user
        return super().save(commit)


class InspectionIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("product", "certificate__product")


class InspectionViewSet(SnippetViewSet):
    model = Inspection
    index_view_class = InspectionIndexView
    icon = "doc-full"
    menu_label = _("Inspections")
    filterset_class = InspectionFilterSet
    list_display = ["inspected_on", "product", "kind", "certificate", "mark_use", "outcome"]
    list_export = ["inspected_on", "product", "certificate", "get_kind_display", "inspectors", "findings"]
    list_export += ["criteria_kept_label", "get_mark_use_display", "get_outcome_display", "remedy_by"]
    export_headings = {
        "get_kind_display": _("kind of inspection"),
        "criteria_kept_label": _("criteria kept"),
        "get_mark_use_display": _("use of the OCOP mark"),
        "get_outcome_display": _("outcome"),
    }
    export_filename = "hau-kiem-ocop"
    search_fields = ["findings", "inspectors"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("product"), FieldPanel("kind"), FieldPanel("inspected_on")]),
            FieldPanel("inspectors"),
            FieldPanel("findings"),
            FieldRowPanel([FieldPanel("criteria_kept"), FieldPanel("mark_use")]),
            FieldRowPanel([FieldPanel("outcome"), FieldPanel("remedy_by")]),
        ],
        base_form_class=InspectionForm,
    )


class LifecycleViewSetGroup(SnippetViewSetGroup):
    menu_label = _("After certification")
    menu_icon = "history"
    menu_order = 210
    items = (InspectionViewSet,)


register_snippet(LifecycleViewSetGroup)


def revoke_button(certificate, query=""):
    return ListingButton(
        _("Revoke"),
        reverse("lifecycle:revoke", args=[certificate.pk]) + query,
        icon_name="cross",
        priority=30,
        attrs={"aria-label": _("Revoke certificate %(number)s") % {"number": certificate.decision_number}},
    )


@hooks.register("register_snippet_listing_buttons")
def lifecycle_listing_buttons(snippet, user, next_url=None):
    if not access.can_revoke(user):
        return
    if isinstance(snippet, Certificate) and snippet.revoked_on is None:
        yield revoke_button(snippet)
    elif isinstance(snippet, Inspection) and snippet.proposes_revocation:
        yield revoke_button(snippet.certificate, f"?inspection={snippet.pk}")
