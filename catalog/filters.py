"""The filters of the register's admin listings (wagtail_hooks.py).

The certificate list filters by the status on today's date (CertificateQuerySet.with_status,
the same rule as rules.certificate_status), by the decision's facts and by where the
producer is, current province or historical district.
"""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from catalog import rules
from catalog.models import Certificate, District, Producer, ProductGroup, Province


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=rules.Status.choices, method="filter_status")
    province = django_filters.ModelChoiceFilter(
        label=_("province"), field_name="product__producer__province", queryset=Province.objects.all()
    )
    district = django_filters.ModelChoiceFilter(
        label=_("historical district"), field_name="product__producer__district", queryset=District.objects.all()
    )
    group = django_filters.ModelChoiceFilter(
        label=_("product group"),
        queryset=ProductGroup.objects.select_related("parent"),
        method="filter_group",
        help_text=_("A group includes its sub-groups."),
    )
    producer = django_filters.ModelChoiceFilter(
        label=_("producer"), field_name="product__producer", queryset=Producer.objects.all()
    )
    expiry_date = django_filters.DateFromToRangeFilter(label=_("expiry date"), widget=DateRangePickerWidget)

    class Meta:
        model = Certificate
        fields = ["status", "stars", "kind", "level", "rule_version", "province", "district", "group", "producer"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value) if value else queryset

    def filter_group(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Q(product__group=value) | Q(product__group__parent=value))
