"""The register in Wagtail's admin: one menu group of snippets, for officials only
(model permissions decide who sees and edits each one)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalog.history_admin import EffectiveDateForm, HistoryPanel
from catalog.models import Certificate, Commune, District, Producer, Product, ProductGroup, Province, Standard


class ProductSnippetViewSet(SnippetViewSet):
    model = Product
    icon = "tag"
    menu_label = _("Products")
    list_display = ["name", "code", "producer", "group"]
    list_filter = ["group", "producer"]
    search_fields = ["name", "code"]
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_en")]),
        FieldPanel("producer"),
        FieldRowPanel([FieldPanel("group"), FieldPanel("scoring_set")]),
        FieldPanel("code"),
    ]


class CertificateSnippetViewSet(SnippetViewSet):
    model = Certificate
    icon = "success"
    menu_label = _("Certificates")
    list_display = ["decision_number", "product", "score", "stars", "expiry_date", "revoked_on"]
    list_filter = ["stars", "level", "rule_version"]
    search_fields = ["decision_number", "issuer"]
    panels = [
        FieldPanel("product"),
        # A plain select: the snippet chooser looks the rule version up by pk, not by its code (500).
        FieldRowPanel(
            [
                FieldPanel("decision_number"),
                FieldPanel("decision_date"),
                FieldPanel("rule_version", widget=forms.Select),
            ]
        ),
        FieldRowPanel([FieldPanel("level"), FieldPanel("issuer")]),
        FieldRowPanel([FieldPanel("score_a"), FieldPanel("score_b"), FieldPanel("score_c"), FieldPanel("stars")]),
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("expiry_date")]),
        MultiFieldPanel([FieldPanel("revoked_on"), FieldPanel("revocation_reason")], heading=_("Revocation")),
        HistoryPanel(),
    ]


class ProducerSnippetViewSet(SnippetViewSet):
    model = Producer
    icon = "group"
    menu_label = _("Producers")
    list_display = ["name", "legal_form", "province", "district", "women_led", "ethnic_minority_led"]
    list_filter = ["legal_form", "province", "women_led", "ethnic_minority_led"]
    # The form dates a change entered late ("Effective from", catalog/history_admin.py).
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldRowPanel([FieldPanel("legal_form"), FieldPanel("size")]),
            FieldRowPanel([FieldPanel("province"), FieldPanel("commune"), FieldPanel("district")]),
            FieldPanel("address"),
            FieldRowPanel([FieldPanel("representative"), FieldPanel("phone"), FieldPanel("email")]),
            FieldRowPanel([FieldPanel("website"), FieldPanel("founded_year")]),
            FieldRowPanel([FieldPanel("women_led"), FieldPanel("ethnic_minority_led")]),
            FieldPanel("effective_from"),
            HistoryPanel(),
        ],
        base_form_class=EffectiveDateForm,
    )


class ProductGroupSnippetViewSet(SnippetViewSet):
    model = ProductGroup
    icon = "folder-open-inverse"
    menu_label = _("Product groups")
    list_display = ["code", "name", "parent", "requires_shipping"]


class ProvinceSnippetViewSet(SnippetViewSet):
    model = Province
    icon = "site"
    list_display = ["code", "name"]


class DistrictSnippetViewSet(SnippetViewSet):
    model = District
    icon = "site"
    list_display = ["name", "former_province", "province"]


class CommuneSnippetViewSet(SnippetViewSet):
    model = Commune
    icon = "site"
    list_display = ["code", "name", "province", "district"]
    list_filter = ["province"]


class StandardSnippetViewSet(SnippetViewSet):
    model = Standard
    icon = "tick-inverse"
    list_display = ["code", "name"]


class RegisterViewSetGroup(SnippetViewSetGroup):
    menu_label = _("OCOP register")
    menu_icon = "list-ul"
    menu_order = 200
    items = (
        ProductSnippetViewSet,
        CertificateSnippetViewSet,
        ProducerSnippetViewSet,
        ProductGroupSnippetViewSet,
        StandardSnippetViewSet,
        ProvinceSnippetViewSet,
        DistrictSnippetViewSet,
        CommuneSnippetViewSet,
    )


register_snippet(RegisterViewSetGroup)
