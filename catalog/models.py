"""The OCOP register: places, product groups, standards, producers, products and certificates.

This is official data, kept by officials (Wagtail snippets, see wagtail_hooks.py).
Producers read it and never write it. A register Product exists from its first dossier on,
before it has any web page; its certificates belong to it. The rules (stars, status,
"certified") live in rules.py; the models expose them and the querysets filter by them.

The register is the lowest layer: it knows nothing of pages, the shop or search. Pages
point at register products (cms), the shop links producers and pages to Oscar's partners
and products (storefront), and search indexes all of them.
"""

import datetime
from decimal import Decimal
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from wagtail.search import index

from catalog import rules
from catalog.prepared import prepared
from catalog.rulebook import (  # noqa: F401 (the rule sets are catalog models)
    AuthorityLevel,
    Criterion,
    CriterionGroup,
    GroupSheet,
    Option,
    RoundCutoff,
    RuleLevel,
    RuleSet,
    ScoringSheet,
)
from catalog.translation import TranslatedField


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
    name_en = models.CharField(_("English name"), max_length=100, blank=True)

    translated_name = TranslatedField("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")

    def __str__(self):
        return self.translated_name


class HistoryRecord(models.Model):
    """What every history row of the register adds to django-simple-history's: when it was
    entered. `history_date` is when the change took effect, which an official may set
    earlier than the day of entry ("women-led since 01/03/2025"); this keeps the entry's
    own time, so a backdated change shows as one (catalog/history.py)."""

    history_recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        abstract = True


class EnterpriseSize(models.TextChoices):
    """Decree 80/2021/NĐ-CP's sizes; micro, small and medium are the SMEs (doanh nghiệp nhỏ và vừa)."""

    MICRO = "micro", _("Micro")
    SMALL = "small", _("Small")
    MEDIUM = "medium", _("Medium")
    LARGE = "large", _("Large")


class Producer(index.Indexed, models.Model):
    """An OCOP producer (chủ thể OCOP): its legal identity and place, as registered.

    Its accounts are the members of `group`; the shop links it to the Oscar partner that
    sells its products (storefront/partner).
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
    size = models.CharField(
        _("enterprise size"),
        max_length=10,
        choices=EnterpriseSize.choices,
        blank=True,
        help_text=_("By Decree 80/2021/NĐ-CP (labour and revenue or capital); empty if not known."),
    )
    women_led = models.BooleanField(_("women-led"), default=False)
    ethnic_minority_led = models.BooleanField(_("led by an ethnic minority"), default=False)
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

    # Every change, dated (catalog/history.py); not the account group and image collection,
    # which are access plumbing set behind the form's back, not facts about the producer.
    history = HistoricalRecords(excluded_fields=["group", "collection"], bases=[HistoryRecord])

    class Meta:
        ordering = ["name"]
        verbose_name = _("producer")
        verbose_name_plural = _("producers")

    def __str__(self):
        return self.name

    def clean(self):
        if self.commune_id and self.commune.province_id != self.province_id:
            raise ValidationError({"commune": _("The commune is not in the chosen province.")})

    def has_member(self, user):
        return bool(self.group_id) and user.groups.filter(pk=self.group_id).exists()


PRODUCT_CODE = RegexValidator(
    r"^\d{2}-\d{5}-\d{1,4}-\d{4}$",
    _("Write the product code as province code-commune code-serial-year, e.g. 68-24817-3-2026."),
)


class ProductQuerySet(models.QuerySet):
    def with_certification(self, today=None):
        """Annotate `current_stars`: the stars of the certificate in force (None when none is)."""
        return self.annotate(current_stars=current_stars(OuterRef("pk"), today))

    def certified(self, today=None):
        """Products whose certificate in force is rated 3★ or more (rules.is_certified)."""
        return self.with_certification(today).filter(current_stars__gte=rules.min_certified_stars())


class Product(index.Indexed, models.Model):
    """An OCOP product in the register: what is evaluated and certified.

    It exists from the producer's first dossier on, with or without a web page; its
    certificates belong to it. The product page (cms.ProductPage) points at it, one to one.
    """

    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    translated_name = TranslatedField("name")
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="products", verbose_name=_("producer")
    )
    group = models.ForeignKey(
        ProductGroup,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("product group"),
        help_text=_("The sub-group where the group has sub-groups."),
    )
    scoring_set = models.PositiveSmallIntegerField(
        _("scoring set"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(26)],
        help_text=_("The scoring sheet it is evaluated under (1–26, Decision 26/2026, Annex I)."),
    )
    code = models.CharField(
        _("product code"),
        max_length=30,
        unique=True,
        null=True,
        blank=True,
        validators=[PRODUCT_CODE],
        help_text=_("Province code-commune code-serial-year (Decision 26/2026), e.g. 68-24817-3-2026."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProductQuerySet.as_manager()

    # "code" too: the register's product list searches by it (catalog/wagtail_hooks.py).
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.SearchField("code")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("OCOP product")
        verbose_name_plural = _("OCOP products")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.code = self.code or None  # empty codes are not unique
        super().save(*args, **kwargs)

    @cached_property
    def current_certificate(self):
        """The certificate in force (latest decision first), else the latest one, else None."""
        if not self.pk:
            return None
        certificates = _certificates_of(self.pk)
        today = timezone.localdate()
        in_force = [c for c in certificates if c.status(today) in rules.IN_FORCE]
        return (in_force or certificates or [None])[0]

    @property
    def is_certified(self):
        certificate = self.current_certificate
        return bool(certificate) and certificate.is_certified()


@prepared
def _certificates_of(product_id):
    """A product's certificates, latest decision first."""
    return Certificate.objects.filter(product_id=product_id).order_by("-decision_date", "-pk")


class CertificateQuerySet(models.QuerySet):
    def in_force(self, today=None):
        """Neither expired nor revoked on `today` (expiring ones are still in force)."""
        today = today or timezone.localdate()
        return self.filter(expiry_date__gte=today).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=today))

    def certified(self, today=None):
        """In force and rated 3★ or more: what may carry the OCOP mark and be sold."""
        return self.in_force(today).filter(stars__gte=rules.min_certified_stars())

    def expiring(self, today=None):
        today = today or timezone.localdate()
        return self.in_force(today).filter(expiry_date__lte=_expiring_horizon(today))

    def with_status(self, status, today=None):
        """The certificates whose status (rules.certificate_status) on `today` is `status`."""
        if status not in rules.Status.values:
            raise ValueError(f"no certificate status {status!r}")
        return self.alias(status_on_day=status_on(today or timezone.localdate())).filter(status_on_day=status)


def _expiring_horizon(today):
    """The last expiry date that counts as "expiring" on `today`."""
    return today + datetime.timedelta(days=settings.OCOP_CERTIFICATE_EXPIRING_DAYS)


def status_on(day):
    """SQL for a certificate's status on `day`: rules.certificate_status, which stays the rule
    (tests check that the two agree). Works on certificates and on their history rows."""
    return models.Case(
        models.When(revoked_on__lte=day, then=models.Value(rules.Status.REVOKED)),
        models.When(expiry_date__lt=day, then=models.Value(rules.Status.EXPIRED)),
        models.When(expiry_date__lte=_expiring_horizon(day), then=models.Value(rules.Status.EXPIRING)),
        default=models.Value(rules.Status.VALID),
        output_field=models.CharField(),
    )


def current_stars(product, today=None):
    """Subquery: the stars of `product`'s certificate in force, latest decision first.

    `product` is an expression for a register product's id (e.g. OuterRef("pk")), so pages,
    listings and search documents all annotate the same rule.
    """
    in_force = Certificate.objects.in_force(today).filter(product=product)
    return Subquery(in_force.order_by("-decision_date", "-pk").values("stars")[:1])


def score_field(verbose_name, maximum, help_text):
    """A part of the score: a decimal (the council's average), checked per rule version in clean()."""
    return models.DecimalField(
        verbose_name,
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(maximum)],
        help_text=help_text,
    )


class RevocationGround(models.TextChoices):
    """The six grounds for revoking a certificate (Decision 26/2026/QĐ-TTg, art. 8)."""

    FALSE_INFORMATION = "false_information", _("False or forged information in the dossier")
    CRITERIA_NOT_KEPT = "criteria_not_kept", _("No longer meets the criteria on inspection")
    LAW_BREACH = "law_breach", _("Breach of quality, food-safety, environment, IP or labelling law")
    MARK_MISUSE = "mark_misuse", _("Misuse of the OCOP mark")
    PRODUCTION_STOPPED = "production_stopped", _("Production stopped")
    OTHER_AUTHORITY = "other_authority", _("Finding of another competent authority")


class EvaluationKind(models.TextChoices):
    """Why a product was evaluated: the plans count new products and upgrades apart."""

    FIRST = "first", _("First evaluation")
    UPGRADE = "upgrade", _("Upgrade")
    REEVALUATION = "reevaluation", _("Re-evaluation on expiry")


class Certificate(models.Model):
    """An OCOP recognition decision for one register product: score, stars and validity.

    `score` is the sum of the three parts (the council's average total). `stars` are what
    the decision recognised, checked against the score when entered: never above the
    score's band. The status is derived from the dates on the day asked.
    """

    Level = AuthorityLevel
    Ground = RevocationGround
    Kind = EvaluationKind

    product = models.ForeignKey(
        Product,
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("product"),
    )
    decision_number = models.CharField(_("decision number"), max_length=50)
    decision_date = models.DateField(_("decision date"))
    kind = models.CharField(
        _("evaluation"),
        max_length=15,
        choices=EvaluationKind.choices,
        default=EvaluationKind.FIRST,
        help_text=_("First evaluation of a new product, an upgrade to more stars, or a re-evaluation on expiry."),
    )
    rule_version = models.ForeignKey(
        "catalog.RuleSet",
        on_delete=models.PROTECT,
        to_field="code",
        db_column="rule_version",
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("rule version"),
        help_text=_("Leave empty for the rules in force on the decision date."),
    )
    level = models.CharField(_("recognising level"), max_length=10, choices=Level.choices)
    issuer = models.CharField(
        _("issued by"), max_length=150, help_text=_("E.g. UBND huyện Krông Nô, UBND tỉnh Gia Lai.")
    )
    issue_date = models.DateField(_("issue date"), blank=True, help_text=_("Leave empty to use the decision date."))
    expiry_date = models.DateField(
        _("expiry date"),
        blank=True,
        help_text=_("Last day of validity. Leave empty for 36 months after the decision."),
    )
    score_a = score_field(
        _("part A: product and community strength"),
        40,
        _("0–40 points (35 under Decision 1048/2019); the council's average, e.g. 31.67"),
    )
    score_b = score_field(_("part B: marketing capacity"), 25, _("0–25 points; the council's average, e.g. 18.33"))
    score_c = score_field(
        _("part C: product quality"), 40, _("0–35 points (40 under Decision 1048/2019); the council's average")
    )
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, editable=False)
    stars = models.PositiveSmallIntegerField(
        _("stars"),
        choices=[(n, f"{n}★") for n in range(1, 6)],
        blank=True,
        help_text=_("As recognised by the decision. Leave empty for the score's band."),
    )
    # Revocation (Decision 26/2026, art. 8), recorded by cms/lifecycle/revocation.py.
    revoked_on = models.DateField(
        _("revoked on"), null=True, blank=True, help_text=_("The revocation decision's date.")
    )
    revocation_ground = models.CharField(
        _("ground for revocation"), max_length=20, choices=RevocationGround.choices, blank=True
    )
    revocation_decision_number = models.CharField(_("revocation decision number"), max_length=50, blank=True)
    revocation_level = models.CharField(
        _("revoked by (level)"), max_length=10, choices=AuthorityLevel.choices, blank=True
    )
    revocation_issuer = models.CharField(
        _("revoked by"), max_length=150, blank=True, help_text=_("E.g. Chủ tịch UBND tỉnh Gia Lai.")
    )
    revocation_reason = models.CharField(
        _("reason for revocation"),
        max_length=255,
        blank=True,
        help_text=_("What was found, in a sentence the public page shows."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CertificateQuerySet.as_manager()
    # Every change, dated (catalog/history.py); `updated_at` is the history's own date.
    history = HistoricalRecords(excluded_fields=["updated_at"], bases=[HistoryRecord])

    class Meta:
        ordering = ["-decision_date"]
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(score_a__gte=0) & Q(score_b__gte=0) & Q(score_c__gte=0) & Q(score__lte=rules.MAX_SCORE),
                name="certificate_score_within_range",
            ),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="certificate_stars_1_to_5"),
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

    def save(self, *args, **kwargs):
        if self.decision_date:
            self.issue_date = self.issue_date or self.decision_date
            self.expiry_date = self.expiry_date or rules.default_expiry(self.decision_date)
            if self.rule_version_id is None:
                self.rule_version = rules.rule_set_on(self.decision_date)
        self.score = self.total_score
        self.stars = self.stars or rules.stars_for_score(self.score)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        version = self.version
        if version is not None:
            for part in ("a", "b", "c"):
                value = getattr(self, f"score_{part}")
                if value is not None and value > version.part_maxima[part]:
                    errors[f"score_{part}"] = _("At most %(max)d points under %(version)s.") % {
                        "max": version.part_maxima[part],
                        "version": version.name,
                    }
        if not errors and None not in (self.score_a, self.score_b, self.score_c):
            self.score = self.total_score
            band = rules.stars_for_score(self.score)
            if self.stars and self.stars > band:
                errors["stars"] = _("A score of %(score)s is %(band)d★: the decision cannot recognise more.") % {
                    "score": formats.localize(self.score),
                    "band": band,
                }
            self.stars = self.stars or band  # empty: the score's band (the constraints check it next)
        if version is not None and self.stars and "stars" not in errors:
            errors.update(self._level_errors(version))
        if self.revoked_on:
            errors.update(self._revocation_errors())
        if self.decision_date and self.expiry_date and self.expiry_date < self.decision_date:
            errors["expiry_date"] = _("The expiry date is before the decision date.")
        if errors:
            raise ValidationError(errors)

    def revoking_level(self, day):
        """The RuleLevel that revokes this certificate on `day`: the body that would recognise
        its stars under the rules then in force (26/2026: the province 3★/4★, the ministry 5★)."""
        version = rules.rule_set_on(day)
        return version.level_for(self.stars) if version is not None and self.stars else None

    def _revocation_errors(self):
        errors = {}
        for field in ("revocation_ground", "revocation_decision_number", "revocation_issuer", "revocation_reason"):
            if not getattr(self, field):
                errors[field] = _("A revocation needs its ground, decision number, who decided and the reason.")
        if self.revoked_on > timezone.localdate():
            errors["revoked_on"] = _("A revocation decision cannot be dated in the future.")
        elif self.decision_date and self.revoked_on < self.decision_date:
            errors["revoked_on"] = _("The revocation is dated before the certificate's decision.")
        elif self.expiry_date and self.revoked_on > self.expiry_date:
            errors["revoked_on"] = _("The certificate had already expired on that date: there is nothing to revoke.")
        expected = self.revoking_level(self.revoked_on)
        if expected is not None and self.revocation_level != expected.level:
            errors["revocation_level"] = _(
                "Under %(version)s a %(stars)d★ certificate is revoked by %(authority)s."
            ) % {
                "version": expected.rule_set.name,
                "stars": self.stars,
                "authority": expected.authority,
            }
        return errors

    def _level_errors(self, version):
        """Who may recognise these stars under `version` (its RuleLevel rows): a level that
        does not match, or stars no level recognises, is refused. A version whose levels
        are not loaded (`manage.py load_rules`) checks nothing."""
        levels = list(version.levels.all())
        if not levels:
            return {}
        expected = version.level_for(self.stars)
        if expected is None:
            return {
                "stars": _("Under %(version)s, %(stars)d★ products are not recognised: only %(lowest)d★ and above.")
                % {"version": version.name, "stars": self.stars, "lowest": min(level.stars for level in levels)}
            }
        if self.level and self.level != expected.level:
            return {
                "level": _("Under %(version)s, %(stars)d★ products are recognised by %(authority)s, not %(level)s.")
                % {
                    "version": version.name,
                    "stars": self.stars,
                    "authority": expected.authority,
                    "level": self.get_level_display(),
                }
            }
        return {}

    @property
    def total_score(self):
        """The score computed in Python, valid before the row is saved."""
        return sum((Decimal(p or 0) for p in (self.score_a, self.score_b, self.score_c)), Decimal(0))

    @property
    def version(self):
        if self.rule_version_id:
            return self.rule_version
        return rules.rule_set_on(self.decision_date) if self.decision_date else None

    def status(self, today=None):
        return rules.certificate_status(
            expiry_date=self.expiry_date,
            revoked_on=self.revoked_on,
            today=today or timezone.localdate(),
        )

    def get_status_display(self, today=None):
        return rules.Status(self.status(today)).label

    def is_certified(self, today=None):
        return rules.is_certified(status=self.status(today), stars=self.stars)


# --- Where producers sell: the plans' "modern channels" and "e-commerce platforms" ---


class SalesChannel(models.Model):
    """A way a producer sells, dated: Gia Lai's plan counts producers in modern channels
    (supermarkets, convenience stores, e-commerce, online), so each channel says since when
    and, once dropped, until when."""

    class Kind(models.TextChoices):
        SUPERMARKET = "supermarket", _("Supermarket chain")
        CONVENIENCE_STORE = "convenience_store", _("Convenience stores")
        ECOMMERCE = "ecommerce", _("E-commerce platform")
        ONLINE = "online", _("Own website, social media, livestream")
        OCOP_SHOP = "ocop_shop", _("OCOP showroom or sales point")
        TRADITIONAL = "traditional", _("Markets, agents, traditional shops")
        EXPORT = "export", _("Export")

    MODERN = (Kind.SUPERMARKET, Kind.CONVENIENCE_STORE, Kind.ECOMMERCE, Kind.ONLINE)

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="sales_channels", verbose_name=_("producer")
    )
    kind = models.CharField(_("channel"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150, blank=True, help_text=_("E.g. Co.opmart Pleiku."))
    since = models.DateField(_("since"), default=timezone.localdate)
    until = models.DateField(_("until"), null=True, blank=True, help_text=_("Leave empty while it lasts."))

    class Meta:
        verbose_name = _("sales channel")
        verbose_name_plural = _("sales channels")
        ordering = ["producer", "kind", "since"]
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("since")), name="sales_channel_until_after_since"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name}" if self.name else self.get_kind_display()

    @property
    def is_modern(self):
        return self.kind in self.MODERN


def active_on(day, since="since", until="until"):
    """Rows that began by `day` and had not ended by then (an `until` day is the last one)."""
    return Q(**{f"{since}__lte": day}) & (Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": day}))


class Marketplace(models.TextChoices):
    """The e-commerce platforms Vietnamese producers sell on, with the host their listings live on."""

    SHOPEE = "shopee", "Shopee"
    LAZADA = "lazada", "Lazada"
    TIKTOK = "tiktok", "TikTok Shop"
    TIKI = "tiki", "Tiki"
    SENDO = "sendo", "Sendo"
    POSTMART = "postmart", "Postmart"
    VOSO = "voso", "Voso"
    OTHER = "other", _("Other platform")


MARKETPLACE_HOSTS = {
    Marketplace.SHOPEE: ("shopee.vn",),
    Marketplace.LAZADA: ("lazada.vn",),
    Marketplace.TIKTOK: ("tiktok.com",),
    Marketplace.TIKI: ("tiki.vn",),
    Marketplace.SENDO: ("sendo.vn",),
    Marketplace.POSTMART: ("postmart.vn",),
    Marketplace.VOSO: ("voso.vn",),
}


def host_matches(host, domains):
    host = (host or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in domains)


class MarketplaceListing(models.Model):
    """A product's page on an outside e-commerce platform (Đắk Nông's target: every OCOP
    product on at least one). The producer records it; `checked_on` is the last day someone
    saw it live."""

    Platform = Marketplace

    product = models.ForeignKey(Product, on_delete=models.CASCADE, related_name="listings", verbose_name=_("product"))
    platform = models.CharField(_("platform"), max_length=20, choices=Marketplace.choices)
    url = models.URLField(_("address (URL)"), max_length=500)
    listed_since = models.DateField(_("listed since"), default=timezone.localdate)
    checked_on = models.DateField(_("last checked"), null=True, blank=True)
    until = models.DateField(_("removed on"), null=True, blank=True, help_text=_("Leave empty while it is listed."))

    class Meta:
        verbose_name = _("marketplace listing")
        verbose_name_plural = _("marketplace listings")
        ordering = ["product", "platform"]
        constraints = [
            models.UniqueConstraint(fields=["product", "url"], name="listing_unique_url_per_product"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=F("listed_since")), name="listing_until_after_since"
            ),
        ]

    def __str__(self):
        return f"{self.product} – {self.get_platform_display()}"

    def clean(self):
        errors = {}
        parts = urlsplit(self.url or "")
        if self.url and parts.scheme != "https":
            errors["url"] = _("Enter the listing's https:// address.")
        domains = MARKETPLACE_HOSTS.get(self.platform)
        if self.url and domains and not host_matches(parts.hostname, domains):
            errors["url"] = _("A %(platform)s listing's address is on %(host)s.") % {
                "platform": Marketplace(self.platform).label,
                "host": domains[0],
            }
        today = timezone.localdate()
        if self.listed_since and self.listed_since > today:
            errors["listed_since"] = _("This date is in the future.")
        if self.checked_on and self.checked_on > today:
            errors["checked_on"] = _("This date is in the future.")
        if errors:
            raise ValidationError(errors)
