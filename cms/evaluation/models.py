"""The evaluation of a register product: dossier, rounds, council scores, decision.

A producer files a Dossier for its own register product (Mẫu 01 fields, Mẫu 02
self-assessment with evidence); the commune checks it and records its Mẫu 03 assessment;
the provincial OCOP office accepts it into a Round; the round's council members each
score it on the sheet (MemberScore, one option per criterion); the authorised official
records the decision, which creates the certificate. Every state change is a
DossierEvent (who, when, what, comment). The states and who may move a dossier between
them are in workflow.py and access.py; the arithmetic in scoring.py.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from catalog.models import EvaluationKind


class PrivateStorage(FileSystemStorage):
    """Evidence lives outside MEDIA_ROOT and has no URL: only views.evidence_file serves it.
    The folder is read from the settings on each use (tests and deployments move it)."""

    @property
    def base_location(self):
        return str(settings.OCOP_PRIVATE_ROOT / "dossiers")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


def private_storage():
    return PrivateStorage()


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("At the commune")
    RETURNED = "returned", _("Returned to the producer")
    FORWARDED = "forwarded", _("At the provincial OCOP office")
    DOCUMENTS_REQUESTED = "documents", _("More documents requested")
    ACCEPTED = "accepted", _("Accepted into a round")
    SCORING = "scoring", _("Council scoring")
    SCORED = "scored", _("Scored, awaiting decision")
    PROPOSED = "proposed", _("Proposed to the ministry")
    DECIDED = "decided", _("Decided")


# Why a product is evaluated: the register owns the choices (a certificate keeps its dossier's).
Kind = EvaluationKind


class Outcome(models.TextChoices):
    CERTIFIED = "certified", _("Certificate issued")
    NOT_RANKED = "not_ranked", _("Below 3★: no certificate")
    EXCLUDED = "excluded", _("Excluded (knock-out)")


class Round(ClusterableModel):
    """An evaluation round (đợt): a council scores the dossiers accepted into it."""

    name = models.CharField(_("name"), max_length=150)
    rule_set = models.ForeignKey(
        "catalog.RuleSet", on_delete=models.PROTECT, related_name="rounds", verbose_name=_("rule set")
    )
    level = models.CharField(
        _("level"),
        max_length=10,
        choices=[("province", _("Province")), ("ministry", _("Ministry"))],
        default="province",
    )
    proposals_by = models.DateField(_("dossiers proposed by"))
    decide_by = models.DateField(_("decided by"))
    published_on = models.DateField(_("results published on"), null=True, blank=True)

    class Meta:
        ordering = ["-decide_by"]
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")

    def __str__(self):
        return self.name


class CouncilSeat(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        MEMBER = "member", _("Member")

    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="seats")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats", verbose_name=_("member")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        ordering = ["round", "role", "member__last_name"]
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="councilseat_unique_member")]

    def __str__(self):
        return f"{self.member.get_full_name() or self.member.get_username()} ({self.get_role_display()})"


class CommuneOfficer(models.Model):
    """A commune officer account and the commune whose dossiers it checks."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commune_posts")
    commune = models.ForeignKey("catalog.Commune", on_delete=models.PROTECT, related_name="officers")

    class Meta:
        verbose_name = _("commune officer")
        verbose_name_plural = _("commune officers")
        constraints = [models.UniqueConstraint(fields=["user", "commune"], name="communeofficer_unique")]

    def __str__(self):
        return f"{self.user.get_username()} – {self.commune.name}"


class CalendarDay(models.Model):
    """A day that breaks the usual week: a make-up working Saturday, or an extra day off."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(_("working day"), help_text=_("Ticked: a make-up working day; not: a day off."))
    note = models.CharField(_("note"), max_length=150, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self):
        return f"{self.date:%d/%m/%Y} ({self.note})"


class Dossier(models.Model):
    """A producer's dossier (hồ sơ) for one register product, and where it stands."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("product")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.FIRST)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    rule_set = models.ForeignKey(
        "catalog.RuleSet", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("rule set")
    )
    sheet = models.ForeignKey(
        "catalog.ScoringSheet", on_delete=models.PROTECT, related_name="dossiers", verbose_name=_("scoring sheet")
    )
    previous_certificate = models.ForeignKey(
        "catalog.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("current certificate"),
        help_text=_("For an upgrade or a re-evaluation."),
    )
    # Mẫu 01: the registration form.
    unit_name = models.CharField(_("producer (unit)"), max_length=200)
    representative = models.CharField(_("legal representative"), max_length=100)
    address = models.CharField(_("address"), max_length=255)
    phone = models.CharField(_("phone"), max_length=20)
    email = models.EmailField(_("e-mail"))
    product_name = models.CharField(_("product name"), max_length=255)
    self_assessed_stars = models.PositiveSmallIntegerField(
        _("self-assessed stars"), null=True, blank=True, choices=[(n, f"{n}★") for n in range(1, 6)]
    )
    # Mẫu 03: the commune's assessment.
    commune_raw_materials = models.TextField(_("origin of the product and its raw materials"), blank=True)
    commune_labour = models.TextField(_("use of local labour"), blank=True)
    commune_idea = models.TextField(_("origin of the product idea"), blank=True)
    commune_identity = models.TextField(_("local identity, know-how and tradition"), blank=True)
    # The province's review.
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers", verbose_name=_("round")
    )
    site_visit_on = models.DateField(_("site visit on"), null=True, blank=True)
    site_visit_notes = models.TextField(_("site visit report"), blank=True)
    extra_tests = models.TextField(_("extra tests ordered"), blank=True)
    # Where it stands.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_on = models.DateField(_("filed on"), null=True, blank=True)
    complete_on = models.DateField(
        _("complete since"), null=True, blank=True, help_text=_("When the province received it complete.")
    )
    due_on = models.DateField(_("current step due on"), null=True, blank=True)
    # The result: the council's average, stars, and the decision.
    score_a = models.DecimalField(_("part A"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_b = models.DecimalField(_("part B"), max_digits=5, decimal_places=2, null=True, blank=True)
    score_c = models.DecimalField(_("part C"), max_digits=5, decimal_places=2, null=True, blank=True)
    score = models.DecimalField(_("average total"), max_digits=5, decimal_places=2, null=True, blank=True)
    result_stars = models.PositiveSmallIntegerField(_("stars"), null=True, blank=True)
    held_back = models.TextField(_("held back by"), blank=True)
    knocked_out = models.TextField(_("excluded because"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=50, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    certificate = models.OneToOneField(
        "catalog.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossier",
        verbose_name=_("certificate"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self):
        return f"{self.product_name} ({self.get_kind_display()})"

    @cached_property
    def producer(self):
        return self.product.producer

    @property
    def commune(self):
        return self.producer.commune


class DossierEvent(models.Model):
    """One recorded step: who moved the dossier, when, from where to where, and why."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(max_length=12, choices=State.choices)
    to_state = models.CharField(max_length=12, choices=State.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"


class ChosenOption(models.Model):
    """The option ticked on one criterion of a sheet (one per criterion, see subclasses)."""

    criterion = models.ForeignKey("catalog.Criterion", on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey("catalog.Option", on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.criterion_id}: {self.option_id}"


class Answer(ChosenOption):
    """The producer's self-assessment (Mẫu 02): the option it claims on a criterion."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "criterion"], name="answer_one_per_criterion")]


class Evidence(models.Model):
    """A file proving a criterion (or the dossier as a whole). Private: see private_storage."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(
        "catalog.Criterion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to="%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self):
        return self.name


class MemberScore(models.Model):
    """One council member's score sheet for one dossier; private to them until submitted."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="member_scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="member_scores")
    opinion = models.TextField(_("written opinion"), blank=True)
    knockouts = models.TextField(
        _("knock-outs found"), blank=True, help_text=_("Write the knock-out that applies, if any.")
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["dossier", "member"], name="memberscore_unique")]

    def __str__(self):
        return f"{self.member.get_username()} – {self.dossier}"


class MemberAnswer(ChosenOption):
    """A council member's option on a criterion."""

    score = models.ForeignKey(MemberScore, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["score", "criterion"], name="memberanswer_one_per_criterion")]
