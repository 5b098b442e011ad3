"""The lifecycle in Wagtail's admin: the officials' lists (a menu item beside the register),
a home panel with the number of certificates per stage for them, and for a producer's
accounts a home panel with its own certificates' stages and the link to re-evaluate."""

from urllib.parse import urlencode

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from catalog.models import Certificate
from cms.evaluation.models import Kind, State
from cms.lifecycle import access, stages
from cms.lifecycle.models import Stage

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
