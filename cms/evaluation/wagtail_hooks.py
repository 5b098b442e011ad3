"""The evaluation in Wagtail's admin: the dossier screens (a menu item for everyone who
takes part), and for officials the rounds, calendar days, commune officers and the rule
sets with their sheets (snippets; model permissions decide who edits them)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalog.rulebook import Criterion, GroupSheet, RuleSet, ScoringSheet
from cms.evaluation import access
from cms.evaluation.models import CalendarDay, CommuneOfficer, Round


@hooks.register("register_admin_urls")
def dossier_urls():
    return [path("ho-so/", include("cms.evaluation.urls", namespace="evaluation"))]


class DossierMenuItem(MenuItem):
    def is_shown(self, request):
        return access.takes_part(request.user)


@hooks.register("register_admin_menu_item")
def dossier_menu_item():
    return DossierMenuItem(_("OCOP dossiers"), reverse("evaluation:index"), icon_name="folder-open-inverse", order=150)


class RoundViewSet(SnippetViewSet):
    model = Round
    icon = "date"
    menu_label = _("Evaluation rounds")
    list_display = ["name", "rule_set", "proposals_by", "decide_by", "published_on"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("rule_set"), FieldPanel("level")]),
        FieldRowPanel([FieldPanel("proposals_by"), FieldPanel("decide_by"), FieldPanel("published_on")]),
        InlinePanel("seats", heading=_("Council"), label=_("Member")),
    ]


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "calendar"
    menu_label = _("Make-up and extra days off")
    list_display = ["date", "working", "note"]


class CommuneOfficerViewSet(SnippetViewSet):
    model = CommuneOfficer
    icon = "user"
    list_display = ["user", "commune"]


class RuleSetViewSet(SnippetViewSet):
    model = RuleSet
    icon = "doc-full"
    list_display = ["name", "valid_from", "valid_until", "weight_a", "weight_b", "weight_c"]
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("name")]),
        FieldPanel("decision"),
        FieldRowPanel([FieldPanel("valid_from"), FieldPanel("valid_until")]),
        FieldRowPanel([FieldPanel("weight_a"), FieldPanel("weight_b"), FieldPanel("weight_c")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("validity_months"), FieldPanel("commune_days"), FieldPanel("office_days")]),
                FieldRowPanel(
                    [
                        FieldPanel("reevaluation_opens_days"),
                        FieldPanel("reevaluation_closes_days"),
                        FieldPanel("reevaluation_decision_days"),
                    ]
                ),
                FieldRowPanel(
                    [
                        FieldPanel("revocation_days"),
                        FieldPanel("transition_days"),
                        FieldPanel("transition_reevaluation_days"),
                    ]
                ),
                FieldRowPanel([FieldPanel("minimum_rounds"), FieldPanel("minimum_mark_policy")]),
            ],
            heading=_("Process"),
        ),
        InlinePanel("levels", heading=_("Who recognises which stars"), label=_("Level")),
        InlinePanel("round_cutoffs", heading=_("Rounds"), label=_("Round")),
        FieldPanel("notes"),
    ]


class ScoringSheetViewSet(SnippetViewSet):
    model = ScoringSheet
    icon = "list-ol"
    list_display = ["number", "name", "rule_set"]
    list_filter = ["rule_set"]

    def get_queryset(self, request):
        return ScoringSheet.objects.select_related("rule_set").order_by("-rule_set__valid_from", "number")

    search_fields = ["name"]


class CriterionViewSet(SnippetViewSet):
    model = Criterion
    icon = "tick"
    list_display = ["code", "title", "points", "group", Column("sheet", label=_("scoring sheet"))]
    list_filter = ["group__sheet__rule_set", "group__sheet__number"]
    search_fields = ["title"]

    def get_queryset(self, request):
        # The rules in force first, then sheet by sheet in the sheet's own order.
        return Criterion.objects.select_related("group__sheet__rule_set").order_by(
            "-group__sheet__rule_set__valid_from", "group__sheet__number", "group__sort_order", "sort_order"
        )

    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("points")]),
        FieldPanel("title"),
        FieldPanel("knockout"),
        FieldPanel("note"),
        InlinePanel("options", heading=_("Options"), label=_("Option")),
    ]


class GroupSheetViewSet(SnippetViewSet):
    model = GroupSheet
    icon = "folder-open-inverse"
    menu_label = _("Sheets of product groups")
    list_display = ["group", "number", "position"]


class EvaluationViewSetGroup(SnippetViewSetGroup):
    menu_label = _("OCOP evaluation")
    menu_icon = "form"
    menu_order = 210
    items = (
        RoundViewSet,
        CommuneOfficerViewSet,
        CalendarDayViewSet,
        RuleSetViewSet,
        ScoringSheetViewSet,
        CriterionViewSet,
        GroupSheetViewSet,
    )


register_snippet(EvaluationViewSetGroup)
