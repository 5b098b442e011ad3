"""The OCOP rules as versioned data: rule sets and their scoring sheets.

A RuleSet is one version of the programme's rules (Decision 1048/2019, 148/2023, 148 as
amended by 1489/2025, 26/2026): its validity dates, its part weights, who recognises which
stars (RuleLevel), the round cut-offs (RoundCutoff), its process settings (day limits, the
re-evaluation window) and its scoring sheets (ScoringSheet → CriterionGroup → Criterion →
Option). Nothing here is a constant in code: `manage.py load_rules` reads fixtures/rules/
and officials correct a point or a date in the admin without a release.

GroupSheet says which sheet numbers a product sub-group is scored on (the usual one first);
sheet numbers are the same in every version that has sheets.

These models are part of the catalog app (imported by catalog/models.py); certificates
record the rule set they were decided under.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

PARTS = (
    ("a", _("Part A: product and community strength")),
    ("b", _("Part B: marketing capacity")),
    ("c", _("Part C: product quality")),
)


def points(value):
    """12, 2.5: a number of points as printed on the sheets (no trailing zeros)."""
    return format(Decimal(value).normalize(), "f")


class AuthorityLevel(models.TextChoices):
    DISTRICT = "district", _("District people's committee")
    PROVINCE = "province", _("Provincial people's committee")
    MINISTRY = "ministry", _("Ministry (central level)")


class RuleSet(ClusterableModel):
    """One version of the OCOP rules, in force from `valid_from` (to `valid_until`)."""

    class MinimumMarkPolicy(models.TextChoices):
        DROPS = "drops", _("Drops to the highest level whose minimum marks it meets")
        UNRANKED = "unranked", _("Is not ranked at all")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    decision = models.CharField(_("legal basis"), max_length=255, blank=True)
    valid_from = models.DateField(_("in force from"))
    valid_until = models.DateField(_("in force until"), null=True, blank=True)
    weight_a = models.PositiveSmallIntegerField(_("part A points"))
    weight_b = models.PositiveSmallIntegerField(_("part B points"))
    weight_c = models.PositiveSmallIntegerField(_("part C points"))
    validity_months = models.PositiveSmallIntegerField(_("certificate valid (months)"), default=36)
    commune_days = models.PositiveSmallIntegerField(
        _("commune check (working days)"), null=True, blank=True, help_text=_("Empty where the rules set none.")
    )
    office_days = models.PositiveSmallIntegerField(
        _("provincial office check (working days)"),
        null=True,
        blank=True,
        help_text=_("The province's own limit for checking a forwarded dossier."),
    )
    reevaluation_opens_days = models.PositiveSmallIntegerField(
        _("re-evaluation filed at most (days before expiry)"), null=True, blank=True
    )
    reevaluation_closes_days = models.PositiveSmallIntegerField(
        _("re-evaluation filed at least (days before expiry)"), null=True, blank=True
    )
    reevaluation_decision_days = models.PositiveSmallIntegerField(
        _("re-evaluation decided within (days of a complete dossier)"), null=True, blank=True
    )
    revocation_days = models.PositiveSmallIntegerField(_("revocation within (days)"), null=True, blank=True)
    transition_days = models.PositiveSmallIntegerField(
        _("older dossiers finish under the old rules within (days)"),
        null=True,
        blank=True,
        help_text=_("First evaluation and upgrade dossiers filed before this version."),
    )
    transition_reevaluation_days = models.PositiveSmallIntegerField(
        _("older re-evaluations finish under the old rules within (days)"), null=True, blank=True
    )
    minimum_rounds = models.PositiveSmallIntegerField(_("rounds a year, at least"), default=2)
    minimum_mark_policy = models.CharField(
        _("a product that misses a minimum mark"),
        max_length=10,
        choices=MinimumMarkPolicy.choices,
        default=MinimumMarkPolicy.DROPS,
        help_text=_("No written rule was found; Đồng Tháp's practice is that it cannot keep the level."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")

    def __str__(self):
        return self.name

    @property
    def part_maxima(self):
        return {"a": self.weight_a, "b": self.weight_b, "c": self.weight_c}

    def level_for(self, stars):
        """The RuleLevel recognising `stars` under this version, or None (1★/2★)."""
        return next((level for level in self.levels.all() if level.stars == stars), None)


class RuleLevel(models.Model):
    """Who recognises a number of stars under a rule set (e.g. 4★: the province)."""

    rule_set = ParentalKey(RuleSet, on_delete=models.CASCADE, related_name="levels")
    stars = models.PositiveSmallIntegerField(_("stars"), validators=[MinValueValidator(3), MaxValueValidator(5)])
    level = models.CharField(_("recognising level"), max_length=10, choices=AuthorityLevel.choices)
    authority = models.CharField(
        _("authority"), max_length=150, help_text=_("The recognising body, e.g. UBND cấp tỉnh.")
    )

    class Meta:
        ordering = ["stars"]
        constraints = [models.UniqueConstraint(fields=["rule_set", "stars"], name="rulelevel_unique_stars")]

    def __str__(self):
        return f"{self.stars}★: {self.authority}"


class RoundCutoff(models.Model):
    """A yearly round: dossiers proposed by (month, day) are decided by (month, day)."""

    rule_set = ParentalKey(RuleSet, on_delete=models.CASCADE, related_name="round_cutoffs")
    level = models.CharField(_("level"), max_length=10, choices=AuthorityLevel.choices)
    proposed_by_month = models.PositiveSmallIntegerField(_("proposed by (month)"), validators=[MaxValueValidator(12)])
    proposed_by_day = models.PositiveSmallIntegerField(_("proposed by (day)"), validators=[MaxValueValidator(31)])
    decided_by_month = models.PositiveSmallIntegerField(_("decided by (month)"), validators=[MaxValueValidator(12)])
    decided_by_day = models.PositiveSmallIntegerField(_("decided by (day)"), validators=[MaxValueValidator(31)])

    class Meta:
        ordering = ["level", "proposed_by_month"]

    def __str__(self):
        return (
            f"{self.proposed_by_day:02d}/{self.proposed_by_month:02d} → "
            f"{self.decided_by_day:02d}/{self.decided_by_month:02d} ({self.level})"
        )


class ScoringSheet(models.Model):
    """One product set's scoring sheet (1–26) under a rule set."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="sheets", verbose_name=_("rule set"))
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1), MaxValueValidator(26)])
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    knockouts = models.TextField(_("dossier excluded when"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    remarks = models.TextField(_("remarks"), blank=True, help_text=_("What the source leaves open or had to be fixed."))

    class Meta:
        ordering = ["rule_set__valid_from", "number"]
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        constraints = [models.UniqueConstraint(fields=["rule_set", "number"], name="scoringsheet_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.name} ({self.rule_set.code})"

    def criteria(self):
        """Every criterion in sheet order, with its group and options fetched."""
        return (
            Criterion.objects.filter(group__sheet=self)
            .select_related("group")
            .prefetch_related("options")
            .order_by("group__sort_order", "sort_order")
        )

    def sum_errors(self):
        """Why the sheet's points do not add up to its version's weights ([] when they do)."""
        errors = []
        groups = list(self.groups.prefetch_related("criteria__options"))
        for part, label in PARTS:
            total = sum((g.points for g in groups if g.part == part), Decimal(0))
            if total != self.rule_set.part_maxima[part]:
                errors.append(f"{label}: {points(total)} ≠ {self.rule_set.part_maxima[part]}")
        for group in groups:
            criteria = list(group.criteria.all())
            total = sum((c.points for c in criteria), Decimal(0))
            if total != group.points:
                errors.append(f"{group.code}. {group.title}: {points(total)} ≠ {points(group.points)}")
            for criterion in criteria:
                best = max((o.points for o in criterion.options.all()), default=Decimal(0))
                if best != criterion.points:
                    errors.append(
                        f"{criterion.code} {criterion.title[:40]}: max {points(best)} ≠ {points(criterion.points)}"
                    )
        return errors


class CriterionGroup(models.Model):
    """A numbered group of criteria in one part of a sheet (e.g. A 1. TỔ CHỨC SẢN XUẤT)."""

    sheet = models.ForeignKey(ScoringSheet, on_delete=models.CASCADE, related_name="groups")
    part = models.CharField(_("part"), max_length=1, choices=PARTS)
    code = models.CharField(_("code"), max_length=10)
    title = models.CharField(_("title"), max_length=255)
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sheet", "sort_order"]
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(ClusterableModel):
    """A criterion: the evaluator ticks exactly one of its options."""

    group = models.ForeignKey(
        CriterionGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group")
    )
    code = models.CharField(_("code"), max_length=10)
    title = models.TextField(_("title"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    knockout = models.TextField(
        _("knock-out"), blank=True, help_text=_("“Bị loại nếu …”: when it holds, the dossier is excluded.")
    )
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group__sort_order", "sort_order"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return f"{self.code}. {self.title[:80]}"

    @property
    def part(self):
        return self.group.part

    @property
    def sheet(self):
        return self.group.sheet


class Option(models.Model):
    """One answer to a criterion, its points and the minimum mark it carries (3★/4★/5★)."""

    criterion = ParentalKey(Criterion, on_delete=models.CASCADE, related_name="options")
    code = models.CharField(_("code"), max_length=16)
    title = models.TextField(_("title"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    min_stars = models.PositiveSmallIntegerField(
        _("minimum for"),
        null=True,
        blank=True,
        choices=[(3, "3★"), (4, "4★"), (5, "5★")],
        help_text=_("A product needs at least this option to be ranked so many stars."),
    )
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order"]
        verbose_name = _("option")
        verbose_name_plural = _("options")

    def __str__(self):
        return f"{self.title[:80]} ({self.points:g})"

    def clean(self):
        if self.criterion_id and self.points > self.criterion.points:
            raise ValidationError({"points": _("An option cannot score more than its criterion.")})


class GroupSheet(models.Model):
    """A product sub-group is scored on this sheet number (position 0: the usual one)."""

    group = models.ForeignKey(
        "catalog.ProductGroup", on_delete=models.CASCADE, related_name="sheets", verbose_name=_("product group")
    )
    number = models.PositiveSmallIntegerField(_("sheet"), validators=[MinValueValidator(1), MaxValueValidator(26)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["group", "position"]
        constraints = [models.UniqueConstraint(fields=["group", "number"], name="groupsheet_unique")]

    def __str__(self):
        return f"{self.group} → {self.number}"
