"""The register in Wagtail's admin: one menu group of snippets, for officials only
(model permissions decide who sees and edits each one)."""

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from catalog import rules
from catalog.filters import CertificateFilterSet
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
    """The officials' register of certificates: filtered by status on today's date, by the
    decision and by the producer's place, and exported as CSV with the filters applied."""

    model = Certificate
    icon = "success"
    menu_label = _("Certificates")
    list_display = [
        "decision_number",
        "product",
        Column("producer", label=_("producer"), accessor="product.producer"),
        "score",
        "stars",
        "level",
        "expiry_date",
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda certificate: certificate.status() in rules.IN_FORCE,
        ),
    ]
    filterset_class = CertificateFilterSet
    search_fields = ["decision_number", "issuer"]
    list_export = [
        "decision_number",
        "product.name",
        "product.code",
        "product.producer.name",
        "product.group",
        "stars",
        "score",
        "get_level_display",
        "issuer",
        "decision_date",
        "get_kind_display",
        "expiry_date",
        "get_status_display",
        "rule_version.name",
        "revoked_on",
        "get_revocation_ground_display",
    ]
    export_headings = {
        "decision_number": capfirst(_("decision number")),
        "product.name": capfirst(_("product")),
        "product.code": capfirst(_("product code")),
        "product.producer.name": capfirst(_("producer")),
        "product.group": capfirst(_("product group")),
        "stars": capfirst(_("stars")),
        "score": capfirst(_("score")),
        "get_level_display": capfirst(_("recognising level")),
        "issuer": capfirst(_("issued by")),
        "decision_date": capfirst(_("decision date")),
        "get_kind_display": capfirst(_("evaluation")),
        "expiry_date": capfirst(_("expiry date")),
        "get_status_display": capfirst(_("Status")),
        "rule_version.name": capfirst(_("rule version")),
        "revoked_on": capfirst(_("revoked on")),
        "get_revocation_ground_display": capfirst(_("ground for revocation")),
    }
    export_filename = "giay-chung-nhan-ocop"
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
        FieldRowPanel([FieldPanel("kind"), FieldPanel("level"), FieldPanel("issuer")]),
        FieldRowPanel([FieldPanel("score_a"), FieldPanel("score_b"), FieldPanel("score_c"), FieldPanel("stars")]),
        FieldRowPanel([FieldPanel("issue_date"), FieldPanel("expiry_date")]),
        # Every field clean() asks of a revocation is in the form: an error on a field the
        # form lacks would be a 500, not a message. Revoking with the notice to the producer
        # is the "Revoke" button's (cms/lifecycle); here an official records or corrects one.
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("revoked_on"), FieldPanel("revocation_decision_number")]),
                FieldPanel("revocation_ground"),
                FieldRowPanel([FieldPanel("revocation_level"), FieldPanel("revocation_issuer")]),
                FieldPanel("revocation_reason"),
            ],
            heading=_("Revocation"),
            help_text=_(
                "To revoke and send the notice to the producer, use “Revoke” in the certificate list; "
                "here you record a past revocation or correct one."
            ),
        ),
        HistoryPanel(),
    ]

    def get_queryset(self, request):
        # One query for the rows, whatever their number: every column and export field
        # reads the product, its producer and group, and the rule version.
        return Certificate.objects.select_related("product__producer", "product__group", "rule_version")


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
