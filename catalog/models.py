"""The OCOP register: places, product groups, standards, producers and certificates.

This is official data, kept by officials (Wagtail snippets, see wagtail_hooks.py).
Producers read it and never write it. The rules (stars, status, "certified") live in
rules.py; the models expose them and the querysets filter by them.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from catalog import rules
from storefront.languages import TranslatedField


class Province(index.Indexed, models.Model):
    """A current (post-1 July 2025) province or centrally-run city."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    name = models.CharField(_("name"), max_length=100)
    slug = models.SlugField(_("slug"), unique=True)

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self):
        return self.name


class District(index.Indexed, models.Model):
    """A historical district (huyện), abolished in 2025 but named by older certificates
    and by the provincial plans. `province` is the current province its area belongs to,
    so both the old district and the new province lead to a product."""

    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    former_province = models.CharField(_("former province"), max_length=100)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="historical_districts",
        verbose_name=_("current province"),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["former_province", "name"]
        verbose_name = _("historical district")
        verbose_name_plural = _("historical districts")

    def __str__(self):
        return f"{self.name} ({self.former_province})"


class Commune(index.Indexed, models.Model):
    """A current commune or ward; `district` is the historical district its area came from."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="communes",
        verbose_name=_("historical district"),
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("commune")
        verbose_name_plural = _("communes")

    def __str__(self):
        return f"{self.name}, {self.province.name}"


class ProductGroup(models.Model):
    """One of the six OCOP product groups (parent empty) or one of their sub-groups."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150)
    name_en = models.CharField(_("English name"), max_length=150, blank=True)
    # English with fallback to Vietnamese (cms.translation); place names have no English.
    translated_name = TranslatedField("name")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subgroups",
        verbose_name=_("parent group"),
    )
    requires_shipping = models.BooleanField(
        _("requires shipping"), default=True, help_text=_("Tourism services ship nothing.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("product group")
        verbose_name_plural = _("product groups")

    def __str__(self):
        return f"{self.code}. {self.name}"

    @property
    def top_group(self):
        return self.parent or self


class Standard(models.Model):
    """A quality standard or certification a product may hold (VietGAP, organic, HACCP…)."""

    code = models.SlugField(_("code"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self):
        return self.name


class Producer(index.Indexed, models.Model):
    """An OCOP producer (chủ thể OCOP): its legal identity and place, as registered.

    Its accounts are the members of `group`; its Oscar partner sells its products.
    """

    class LegalForm(models.TextChoices):
        COOPERATIVE = "cooperative", _("Cooperative")
        COOPERATIVE_GROUP = "cooperative_group", _("Cooperative group")
        ENTERPRISE = "enterprise", _("Enterprise")
        FARM = "farm", _("Farm")
        HOUSEHOLD = "household", _("Household business")

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    address = models.CharField(_("address"), max_length=255, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="producers", verbose_name=_("province")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("commune"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="producers",
        verbose_name=_("historical district"),
    )
    representative = models.CharField(_("representative"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(_("founded in"), null=True, blank=True)
    women_led = models.BooleanField(_("women-led"), default=False)
    ethnic_minority_led = models.BooleanField(_("led by an ethnic minority"), default=False)
    partner = models.OneToOneField(
        "partner.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="producer",
    )
    group = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="producer",
        help_text=_("The producer's accounts are the members of this group."),
    )
    collection = models.OneToOneField(
        "wagtailcore.Collection",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="producer",
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self):
        return self.name

    def clean(self):
        if self.commune_id and self.commune.province_id != self.province_id:
            raise ValidationError({"commune": _("The commune is not in the chosen province.")})

    def save(self, *args, **kwargs):
        from catalog.access import ensure_partner

        super().save(*args, **kwargs)
        ensure_partner(self)

    def has_member(self, user):
        return bool(self.group_id) and user.groups.filter(pk=self.group_id).exists()


class CertificateQuerySet(models.QuerySet):
    def in_force(self, today=None):
        """Neither expired nor revoked on `today` (expiring ones are still in force)."""
        today = today or timezone.localdate()
        return self.filter(expiry_date__gte=today).filter(
            Q(revoked_on__isnull=True) | Q(revoked_on__gt=today)
        )

    def certified(self, today=None):
        """In force and rated 3★ or more: what may carry the OCOP mark and be sold."""
        return self.in_force(today).filter(stars__gte=settings.OCOP_MIN_CERTIFIED_STARS)

    def expiring(self, today=None):
        today = today or timezone.localdate()
        horizon = today + datetime.timedelta(days=settings.OCOP_CERTIFICATE_EXPIRING_DAYS)
        return self.in_force(today).filter(expiry_date__lte=horizon)


class Certificate(models.Model):
    """An OCOP recognition decision for one product: its score, stars and validity.

    `score` and `stars` are computed by the database from the three parts, so no request
    can set them; the status is derived from the dates on the day asked.
    """

    class Level(models.TextChoices):
        DISTRICT = "district", _("District people's committee")
        PROVINCE = "province", _("Provincial people's committee")
        MINISTRY = "ministry", _("Ministry (central level)")

    product = models.ForeignKey(
        "cms.ProductPage",
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("product"),
    )
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    level = models.CharField(_("recognising level"), max_length=10, choices=Level.choices)
    issuer = models.CharField(
        _("issued by"), max_length=150, help_text=_("E.g. UBND huyện Krông Nô, UBND tỉnh Gia Lai.")
    )
    issue_date = models.DateField(
        _("issue date"), blank=True, help_text=_("Leave empty to use the decision date.")
    )
    expiry_date = models.DateField(
        _("expiry date"),
        blank=True,
        help_text=_("Last day of validity. Leave empty for 36 months after the decision."),
    )
    score_a = models.PositiveSmallIntegerField(
        _("part A: product and community strength"),
        validators=[MaxValueValidator(rules.PART_MAXIMA["a"])],
        help_text=_("0–40 points"),
    )
    score_b = models.PositiveSmallIntegerField(
        _("part B: marketing capacity"),
        validators=[MaxValueValidator(rules.PART_MAXIMA["b"])],
        help_text=_("0–25 points"),
    )
    score_c = models.PositiveSmallIntegerField(
        _("part C: product quality"),
        validators=[MaxValueValidator(rules.PART_MAXIMA["c"])],
        help_text=_("0–35 points"),
    )
    score = models.GeneratedField(
        expression=F("score_a") + F("score_b") + F("score_c"),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("score"),
    )
    stars = models.GeneratedField(
        expression=rules.stars_expression(F("score_a") + F("score_b") + F("score_c")),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
        verbose_name=_("stars"),
    )
    revoked_on = models.DateField(_("revoked on"), null=True, blank=True)
    revocation_reason = models.CharField(_("reason for revocation"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-decision_date"]
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(score_a__lte=rules.PART_MAXIMA["a"])
                & Q(score_b__lte=rules.PART_MAXIMA["b"])
                & Q(score_c__lte=rules.PART_MAXIMA["c"]),
                name="certificate_score_parts_within_maxima",
            ),
            models.CheckConstraint(
                condition=Q(expiry_date__gte=F("decision_date")),
                name="certificate_expires_after_decision",
            ),
            models.UniqueConstraint(
                fields=["product", "decision_number"], name="certificate_unique_decision_per_product"
            ),
        ]

    def __str__(self):
        return f"{self.decision_number} – {self.product}"

    def clean(self):
        if self.revoked_on and not self.revocation_reason:
            raise ValidationError({"revocation_reason": _("Give the reason for the revocation.")})
        if self.decision_date and self.expiry_date and self.expiry_date < self.decision_date:
            raise ValidationError({"expiry_date": _("The expiry date is before the decision date.")})

    def save(self, *args, **kwargs):
        if self.decision_date:
            self.issue_date = self.issue_date or self.decision_date
            self.expiry_date = self.expiry_date or rules.default_expiry(self.decision_date)
        super().save(*args, **kwargs)

    @property
    def total_score(self):
        """The score computed in Python, valid before the row is saved or refreshed."""
        return self.score_a + self.score_b + self.score_c

    @property
    def star_rating(self):
        return rules.stars_for_score(self.total_score)

    def status(self, today=None):
        return rules.certificate_status(
            expiry_date=self.expiry_date,
            revoked_on=self.revoked_on,
            today=today or timezone.localdate(),
        )

    def get_status_display(self, today=None):
        return rules.Status(self.status(today)).label

    def is_certified(self, today=None):
        return rules.is_certified(status=self.status(today), stars=self.star_rating)

