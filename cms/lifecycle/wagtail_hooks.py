"""The lifecycle in Wagtail's admin: the officials' lists of certificates per stage (a menu
item beside the register) and a home panel with their counts; for a producer's accounts a
home panel with its own certificates' stages and the link to re-evaluate; inspections (a
snippet; model permissions decide who records them); the revocation screen, and "Revoke"
buttons on the certificate and inspection lists for the officials allowed to revoke."""

from urllib.parse import urlencode

import django_filters
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button, ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from catalog import rules
from catalog.models import Certificate
from cms.evaluation.models import Kind, State
from cms.lifecycle import access, stages
from cms.lifecycle.models import Inspection, Stage

# Stages in which the producer may still start the re-evaluation: the certificate is in force.
STARTABLE = (Stage.WINDOW_OPEN, Stage.WINDOW_MISSED, Stage.EXPIRING)


@hooks.register("register_admin_urls")
def lifecycle_urls():
    return [path("vong-doi/", include("cms.lifecycle.urls", namespace="lifecycle"))]


class RemindersMenuItem(MenuItem):
    def is_shown(self, request):
        return access.can_see_lists(request.user)


@hooks.register("register_admin_menu_item")
def reminders_menu_item():
    # Just after the register's menu group (catalog/wagtail_hooks.py, order 200).
    return RemindersMenuItem(_("Re-evaluation reminders"), reverse("lifecycle:reminders"), icon_name="time", order=201)


class StageCountsPanel(Component):
    """For officials: how many certificates sit in each stage today, each a link to its list."""

    name = "lifecycle_stage_counts"
    template_name = "lifecycle/home/stage_counts.html"
    order = 90

    def get_context_data(self, parent_context):
        url = reverse("lifecycle:reminders")
        return {
            "rows": [(stage.label, number, f"{url}?stage={stage.value}") for stage, number in stages.counts().items()]
        }


def producer_rows(user, today=None):
    """The latest certificate of each of the user's producers' products, with its stage and
    what the producer can do: open its re-evaluation dossier, or start one."""
    today = today or timezone.localdate()
    own = Certificate.objects.filter(product__producer__group__in=user.groups.all()).select_related("product")
    rows = list(stages.annotate(own, today).exclude(stage=Stage.SUPERSEDED).order_by("expiry_date", "pk"))
    start = reverse("evaluation:start")
    for row in rows:
        row.stage_label = Stage(row.stage).label
        row.days_left = stages.days_left(row, today)
        row.dossier_label = State(row.reevaluation_state).label if row.reevaluation_state else ""
        in_progress = row.reevaluation_pk and row.reevaluation_state != State.DECIDED
        row.dossier_url = reverse("evaluation:detail", args=[row.reevaluation_pk]) if in_progress else ""
        row.start_url = (
            f"{start}?{urlencode({'product': row.product_id, 'kind': Kind.REEVALUATION.value})}"
            if row.stage in STARTABLE and not in_progress
            else ""
        )
    return rows


class ProducerCertificatesPanel(Component):
    name = "lifecycle_producer_certificates"
    template_name = "lifecycle/home/producer_certificates.html"
    order = 80

    def __init__(self, rows):
        self.rows = rows

    def get_context_data(self, parent_context):
        return {"rows": self.rows, "Stage": Stage}


@hooks.register("construct_homepage_panels")
def lifecycle_panels(request, panels):
    if access.can_see_lists(request.user):
        panels.append(StageCountsPanel())
    rows = producer_rows(request.user)
    if rows:
        panels.append(ProducerCertificatesPanel(rows))


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
    add_to_admin_menu = True
    menu_order = 202  # after the re-evaluation reminders
    filterset_class = InspectionFilterSet
    list_display = [
        "inspected_on",
        "product",
        "kind",
        Column("certificate", label=_("certificate"), accessor="certificate.decision_number"),
        "mark_use",
        "outcome",
    ]
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


register_snippet(InspectionViewSet)


def revoke_button(certificate, query="", button_class=Button):
    """In the certificate list's "More" menu (destructive, rarely used); at the top level on an
    inspection that proposes it (`button_class=ListingButton`)."""
    return button_class(
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
    if isinstance(snippet, Certificate) and snippet.status() in rules.IN_FORCE:
        yield revoke_button(snippet)
    elif isinstance(snippet, Inspection) and snippet.proposes_revocation:
        yield revoke_button(snippet.certificate, f"?inspection={snippet.pk}", ListingButton)
