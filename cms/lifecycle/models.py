"""A certificate's life after its decision: re-evaluation reminders sent, inspections made.

The stages a certificate passes through (re-evaluation window open, window missed,
expiring, lapsed) are computed from its dates by stages.py; a CertificateReminder records
that a stage's e-mail went out, so the daily job (reminders.py) sends each one once. An
Inspection (hậu kiểm, Decision 26/2026 art. 8) records what a periodic or ad-hoc check
found; one that proposes revocation leads to revocation.py. The revocation itself is the
certificate's (catalog.Certificate.revoked_on and the fields after it).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a certificate stands today, latest first (see stages.py)."""

    VALID = "valid", _("Valid")
    WINDOW_OPEN = "window_open", _("Re-evaluation window open")
    WINDOW_MISSED = "window_missed", _("Re-evaluation window missed")
    EXPIRING = "expiring", _("Expiring")
    LAPSED = "lapsed", _("Lapsed")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Replaced by a later certificate")


class CertificateReminder(models.Model):
    """A stage's e-mail, sent once to the producer and the OCOP office."""

    certificate = models.ForeignKey(
        "catalog.Certificate", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("certificate")
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    recipients = models.TextField(_("sent to"), blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("re-evaluation reminder")
        verbose_name_plural = _("re-evaluation reminders")
        constraints = [
            models.UniqueConstraint(fields=["certificate", "stage"], name="reminder_once_per_stage"),
        ]

    def __str__(self):
        return f"{self.certificate} – {self.get_stage_display()}"


class Inspection(models.Model):
    """An inspection after certification (hậu kiểm): periodic or ad hoc."""

    class Kind(models.TextChoices):
        PERIODIC = "periodic", _("Periodic")
        AD_HOC = "ad_hoc", _("Ad hoc")

    class MarkUse(models.TextChoices):
        CORRECT = "correct", _("Used as allowed")
        MISUSED = "misused", _("Misused")
        NOT_USED = "not_used", _("Not used")

    class Outcome(models.TextChoices):
        KEPT = "kept", _("Certificate kept")
        REMEDY = "remedy", _("Remedy required")
        REVOKE = "revoke", _("Revocation proposed")

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("product")
    )
    certificate = models.ForeignKey(
        "catalog.Certificate",
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("certificate"),
        help_text=_("The certificate in force on the inspection date."),
    )
    kind = models.CharField(_("kind of inspection"), max_length=10, choices=Kind.choices, default=Kind.PERIODIC)
    inspected_on = models.DateField(_("inspected on"))
    inspectors = models.CharField(
        _("inspectors"), max_length=255, help_text=_("Who inspected: the team or agency and its members.")
    )
    findings = models.TextField(_("findings"))
    criteria_kept = models.BooleanField(
        _("criteria kept"), default=True, help_text=_("The product still meets the criteria of its stars.")
    )
    mark_use = models.CharField(_("use of the OCOP mark"), max_length=10, choices=MarkUse.choices)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    remedy_by = models.DateField(_("remedy by"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-inspected_on", "-pk"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self):
        return f"{self.product} – {self.inspected_on:%d/%m/%Y}"

    def clean(self):
        """The certificate is the product's one in force on the inspection date."""
        if not (self.product_id and self.inspected_on):
            return
        if self.inspected_on > timezone.localdate():
            raise ValidationError({"inspected_on": _("An inspection cannot be dated in the future.")})
        on_day = self.product.certificates.in_force(self.inspected_on).filter(decision_date__lte=self.inspected_on)
        certificate = on_day.order_by("-decision_date", "-pk").first()
        if certificate is None:
            raise ValidationError(
                {"product": _("This product had no OCOP certificate in force on the inspection date.")}
            )
        self.certificate = certificate
        if self.outcome == self.Outcome.REMEDY and not self.remedy_by:
            raise ValidationError({"remedy_by": _("Give the date by which the producer must remedy.")})

    def criteria_kept_label(self):
        return _("Yes") if self.criteria_kept else _("No")

    @property
    def proposes_revocation(self):
        return self.outcome == self.Outcome.REVOKE and self.certificate.revoked_on is None
