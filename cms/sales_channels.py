"""Where producers sell, in the admin: their products' marketplace listings and their own
sales channels (catalog.MarketplaceListing, catalog.SalesChannel).

Who sees which rows, enforced on the server in every view that takes a row's id:
- a producer's accounts (members of its producer's group, catalog/access.py) list, open and
  change only their own producer's rows, and may add rows only for their own products and
  producer (the form's choices are scoped; a crafted id is an invalid choice). They hold no
  delete permission: a listing taken down is dated ("removed on"), so past coverage figures
  stay as they were.
- officials (roles.OFFICIALS) and the provincial OCOP office see every row; what they may do
  is their model permissions (cms/roles.py: officials all, the office view only).
Another producer's row is "not found" (404), whatever id the request carries.
"""

import datetime

import django_filters
from django import forms
from django.http import Http404
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from catalog.models import Marketplace, MarketplaceListing, Producer, Product, SalesChannel, active_on
from cms import roles
from cms.evaluation import access as evaluation_access

# A listing nobody has seen live for this long is "not checked recently" in the list's filter.
CHECK_FRESH_DAYS = 180


def sees_all(user):
    """Officials, the OCOP office and superusers see every producer's rows."""
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name__in=(roles.OFFICIALS, evaluation_access.OCOP_OFFICE)).exists()


def scoped(queryset, user, producer_path):
    """`queryset` cut to the rows of the user's own producers, unless the user sees all."""
    if sees_all(user):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    lookup = f"{producer_path}__group__user" if producer_path else "group__user"
    return queryset.filter(**{lookup: user}).distinct()


def listings_for(user):
    return scoped(MarketplaceListing.objects.select_related("product__producer"), user, "product__producer")


def channels_for(user):
    return scoped(SalesChannel.objects.select_related("producer"), user, "producer")


def products_for(user):
    return scoped(Product.objects.select_related("producer").order_by("name"), user, "producer")


def producers_for(user):
    return scoped(Producer.objects.order_by("name"), user, "")


# --- Forms: the producer's own products or producer only, and the dates in order ---


class ScopedForm(WagtailAdminModelForm):
    """The choices of `scoped_field` are the user's own; dates end after they begin."""

    scoped_field = None
    since_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get(self.scoped_field)
        if field is not None and self.for_user is not None:
            field.queryset = self.choices_for(self.for_user)

    def choices_for(self, user):
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get(self.since_field), cleaned.get("until")
        if since and until and until < since:
            # Said here, on the field: the table's check constraint would only name itself.
            self.add_error("until", _("This date is before the start date."))
        return cleaned


class MarketplaceListingForm(ScopedForm):
    scoped_field = "product"
    since_field = "listed_since"

    def choices_for(self, user):
        return products_for(user)


class SalesChannelForm(ScopedForm):
    scoped_field = "producer"
    since_field = "since"

    def choices_for(self, user):
        return producers_for(user)


# --- Filters of the lists, their choices scoped like the rows ---


def _product_choices(request):
    return products_for(request.user) if request else Product.objects.none()


def _producer_choices(request):
    return producers_for(request.user) if request else Producer.objects.none()


class Liveness(django_filters.ChoiceFilter):
    """Current rows (begun, not ended today) or ended ones."""

    def __init__(self, since, **kwargs):
        self.since = since
        kwargs.setdefault("label", _("Status"))
        kwargs.setdefault("choices", (("live", _("Current")), ("ended", _("Ended"))))
        super().__init__(**kwargs)

    def filter(self, queryset, value):
        if not value:
            return queryset
        current = active_on(timezone.localdate(), since=self.since)
        return queryset.filter(current) if value == "live" else queryset.exclude(current)


class MarketplaceListingFilterSet(WagtailFilterSet):
    platform = django_filters.ChoiceFilter(label=_("platform"), choices=Marketplace.choices)
    product = django_filters.ModelChoiceFilter(label=_("product"), queryset=_product_choices)
    producer = django_filters.ModelChoiceFilter(
        label=_("producer"), field_name="product__producer", queryset=_producer_choices
    )
    checked = django_filters.ChoiceFilter(
        label=_("last checked"),
        choices=(
            ("recent", lazy(lambda: gettext("Checked in the last %(days)d days") % {"days": CHECK_FRESH_DAYS}, str)()),
            ("stale", lazy(lambda: gettext("Not checked for %(days)d days") % {"days": CHECK_FRESH_DAYS}, str)()),
            ("never", _("Never checked")),
        ),
        method="filter_checked",
    )
    status = Liveness(since="listed_since")

    class Meta:
        model = MarketplaceListing
        fields = ["platform", "product", "producer", "checked", "status"]

    def filter_checked(self, queryset, name, value):
        threshold = timezone.localdate() - datetime.timedelta(days=CHECK_FRESH_DAYS)
        if value == "recent":
            return queryset.filter(checked_on__gte=threshold)
        if value == "stale":
            return queryset.filter(checked_on__lt=threshold)
        if value == "never":
            return queryset.filter(checked_on__isnull=True)
        return queryset


class SalesChannelFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("channel"), choices=SalesChannel.Kind.choices)
    modern = django_filters.BooleanFilter(label=_("modern channel"), method="filter_modern")
    producer = django_filters.ModelChoiceFilter(label=_("producer"), queryset=_producer_choices)
    status = Liveness(since="since")

    class Meta:
        model = SalesChannel
        fields = ["kind", "modern", "producer", "status"]

    def filter_modern(self, queryset, name, value):
        if value is None:
            return queryset
        modern = [str(kind) for kind in SalesChannel.MODERN]
        return queryset.filter(kind__in=modern) if value else queryset.exclude(kind__in=modern)


# --- Views: every row looked up through the user's scope ---


class ScopedObjectMixin:
    """A row outside the user's scope is not found, whatever id the URL carries."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.scope(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class ListingScope(ScopedObjectMixin):
    scope = staticmethod(listings_for)


class ChannelScope(ScopedObjectMixin):
    scope = staticmethod(channels_for)


class ListingIndexView(generic.IndexView):
    def get_base_queryset(self):
        return listings_for(self.request.user)


class ChannelIndexView(generic.IndexView):
    def get_base_queryset(self):
        return channels_for(self.request.user)


def _is_live(row, since):
    today = timezone.localdate()
    return getattr(row, since) <= today and (row.until is None or row.until >= today)


def live_label(row):
    return _("Current") if _is_live(row, "listed_since" if hasattr(row, "listed_since") else "since") else _("Ended")


class MarketplaceListingViewSet(ModelViewSet):
    """Products' pages on Shopee, Lazada, TikTok Shop… (Đắk Nông's e-commerce target)."""

    model = MarketplaceListing
    name = "marketplace-listings"
    icon = "link-external"
    menu_label = _("Marketplace listings")
    copy_view_enabled = False
    inspect_view_enabled = True  # what the view-only office opens
    index_view_class = ListingIndexView
    edit_view_class = type("ListingEditView", (ListingScope, generic.EditView), {})
    delete_view_class = type("ListingDeleteView", (ListingScope, generic.DeleteView), {})
    inspect_view_class = type("ListingInspectView", (ListingScope, generic.InspectView), {})
    history_view_class = type("ListingHistoryView", (ListingScope, history.HistoryView), {})
    usage_view_class = type("ListingUsageView", (ListingScope, usage.UsageView), {})
    list_display = [
        "product",
        Column("producer", label=_("producer"), accessor="product.producer"),
        "platform",
        "url",
        "listed_since",
        "checked_on",
        StatusTagColumn(
            "status", label=_("Status"), accessor=live_label, primary=lambda row: _is_live(row, "listed_since")
        ),
    ]
    filterset_class = MarketplaceListingFilterSet
    search_fields = ["url", "product__name"]
    edit_handler = ObjectList(
        [
            FieldPanel("product", widget=forms.Select),
            FieldRowPanel([FieldPanel("platform"), FieldPanel("url")]),
            FieldRowPanel([FieldPanel("listed_since"), FieldPanel("checked_on"), FieldPanel("until")]),
        ],
        base_form_class=MarketplaceListingForm,
    )


class SalesChannelViewSet(ModelViewSet):
    """A producer's ways of selling, dated (Gia Lai's "modern channels" target)."""

    model = SalesChannel
    name = "sales-channels"
    icon = "site"
    menu_label = _("Sales channels")
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = ChannelIndexView
    edit_view_class = type("ChannelEditView", (ChannelScope, generic.EditView), {})
    delete_view_class = type("ChannelDeleteView", (ChannelScope, generic.DeleteView), {})
    inspect_view_class = type("ChannelInspectView", (ChannelScope, generic.InspectView), {})
    history_view_class = type("ChannelHistoryView", (ChannelScope, history.HistoryView), {})
    usage_view_class = type("ChannelUsageView", (ChannelScope, usage.UsageView), {})
    list_display = [
        "producer",
        "kind",
        "name",
        "since",
        "until",
        StatusTagColumn("status", label=_("Status"), accessor=live_label, primary=lambda row: _is_live(row, "since")),
    ]
    filterset_class = SalesChannelFilterSet
    search_fields = ["name", "producer__name"]
    edit_handler = ObjectList(
        [
            FieldPanel("producer", widget=forms.Select),
            FieldRowPanel([FieldPanel("kind"), FieldPanel("name")]),
            FieldRowPanel([FieldPanel("since"), FieldPanel("until")]),
        ],
        base_form_class=SalesChannelForm,
    )


class SalesViewSetGroup(ModelViewSetGroup):
    menu_label = _("Sales channels")
    menu_icon = "link-external"
    menu_order = 210
    items = (MarketplaceListingViewSet, SalesChannelViewSet)
