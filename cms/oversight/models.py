"""The provincial plans' targets, as data (fixtures/plans/, `manage.py load_plans`).

A Plan is one provincial plan (Gia Lai 2581/KH-UBND for 2021–2025, Đắk Nông 230/KH-UBND for
2024); each Target is one figure it sets: a metric (what is counted, cms/oversight/results.py),
optionally for one year, one historical district or one product group, compared with a value.
Where the plan's own tables disagree (Phụ lục 01 against Phụ lục 02, a total row against the
sum of its lines), both figures are kept as two targets with their sources and a note.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.models import District


class Metric(models.TextChoices):
    """What a target counts; each has one computation in cms/oversight/results.py."""

    NEW_PRODUCTS = "new_products", _("New products certified ≥3★")
    UPGRADED_PRODUCTS = "upgraded_products", _("Products upgraded to more stars")
    TOTAL_PRODUCTS = "total_products", _("Products recognised ≥3★ to date")
    FIVE_STAR = "five_star", _("5★ products")
    FOUR_STAR_EVALUATED = "four_star_evaluated", _("Products recognised at 4★ or more")
    UPGRADED_SHARE = "upgraded_share", _("Share of OCOP products upgraded")
    REEVALUATED_SHARE = "reevaluated_share", _("Share of certificates expiring in the period re-evaluated")
    COOPERATIVE_SHARE = "cooperative_share", _("Share of producers that are cooperatives")
    SME_SHARE = "sme_share", _("Share of producers that are small and medium enterprises")
    WOMEN_LED_SHARE = "women_led_share", _("Share of producers led by women")
    ETHNIC_MINORITY_SHARE = "ethnic_minority_share", _("Share of producers led by ethnic minorities")
    MODERN_CHANNEL_SHARE = "modern_channel_share", _("Share of producers in modern sales channels")
    ECOMMERCE_SHARE = "ecommerce_share", _("Share of products on an e-commerce platform")
    WEBSITE_SHARE = "website_share", _("Share of products presented on the website")
    SALES_POINTS = "sales_points", _("OCOP sales points")


SHARES = {
    Metric.UPGRADED_SHARE,
    Metric.REEVALUATED_SHARE,
    Metric.COOPERATIVE_SHARE,
    Metric.SME_SHARE,
    Metric.WOMEN_LED_SHARE,
    Metric.ETHNIC_MINORITY_SHARE,
    Metric.MODERN_CHANNEL_SHARE,
    Metric.ECOMMERCE_SHARE,
    Metric.WEBSITE_SHARE,
}


class Plan(models.Model):
    code = models.SlugField(_("code"), unique=True)
    number = models.CharField(_("number"), max_length=50, help_text=_("E.g. 2581/KH-UBND."))
    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("English title"), max_length=255, blank=True)
    former_province = models.CharField(
        _("province (before 2025)"),
        max_length=100,
        help_text=_("The province the plan was issued for, as historical districts name it."),
    )
    issued_on = models.DateField(_("issued on"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-starts_on", "code"]

    def __str__(self):
        return f"{self.number} – {self.title}"

    def district_ids(self):
        """The historical districts (pks) the plan was issued for: its former province's."""
        return set(District.objects.filter(former_province=self.former_province).values_list("pk", flat=True))

    @property
    def years(self):
        return list(range(self.starts_on.year, self.ends_on.year + 1))


class Target(models.Model):
    class Comparison(models.TextChoices):
        AT_LEAST = "gte", _("at least")
        MORE_THAN = "gt", _("more than")
        BETWEEN = "between", _("between")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets", verbose_name=_("plan"))
    metric = models.CharField(_("metric"), max_length=30, choices=Metric.choices)
    label = models.CharField(_("label"), max_length=255)
    label_en = models.CharField(_("English label"), max_length=255, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True, help_text=_("Empty: the whole plan."))
    district = models.ForeignKey(
        "catalog.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("historical district"),
    )
    group = models.ForeignKey(
        "catalog.ProductGroup",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("product group"),
    )
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices, default="gte")
    value = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    value_max = models.DecimalField(_("upper bound"), max_digits=8, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, help_text=_("Where the plan sets it, e.g. Phụ lục 01."))
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["plan", "order", "year", "district__name", "group__code", "source"]

    def __str__(self):
        return self.label

    @property
    def is_share(self):
        return self.metric in SHARES


# --- The periodic reports' dispatch log (cms/oversight/reports.py, tasks.py) ---------------


class ReportDispatch(models.Model):
    """One period's report, e-mailed to the OCOP office: the row that stops a second mailing
    (the scheduled job runs every morning of its window; `manage.py send_reports` by hand)."""

    period = models.CharField(_("period"), max_length=30, unique=True, help_text=_("E.g. 2026-h1, 2026."))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("recipients"))
    as_of = models.DateField(_("figures as of"))

    class Meta:
        verbose_name = _("report sent")
        verbose_name_plural = _("reports sent")
        ordering = ["-sent_at"]

    def __str__(self):
        return f"{self.period} ({self.sent_at:%d/%m/%Y})"
