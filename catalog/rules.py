"""The OCOP rules as plain functions: stars from a score, certificate dates and status.

Decision 148/QĐ-TTg (2023): 100 points in three parts (A 40, B 25, C 35); 1★ below 30,
2★ 30–49, 3★ 50–69, 4★ 70–89, 5★ 90–100; only 3★ and above are OCOP products.
A certificate is valid 36 months from its decision; it is "expiring" in its last 30 days.
The thresholds live here once; the model's database expression is built from them.
"""

import calendar

from django.conf import settings
from django.db import models
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _

PART_MAXIMA = {"a": 40, "b": 25, "c": 35}
MAX_SCORE = sum(PART_MAXIMA.values())

# (lowest score, stars), highest first.
STAR_THRESHOLDS = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))


def stars_for_score(score):
    if not 0 <= score <= MAX_SCORE:
        raise ValueError(f"an OCOP score is between 0 and {MAX_SCORE}, got {score}")
    for lowest, stars in STAR_THRESHOLDS:
        if score >= lowest:
            return stars
    raise AssertionError("unreachable")


def stars_expression(score_expression):
    """The same thresholds as a database CASE expression (for GeneratedField and filters)."""
    return models.Case(
        *[
            models.When(GreaterThanOrEqual(score_expression, lowest), then=models.Value(stars))
            for lowest, stars in STAR_THRESHOLDS[:-1]
        ],
        default=models.Value(STAR_THRESHOLDS[-1][1]),
        output_field=models.PositiveSmallIntegerField(),
    )


def add_months(day, months):
    """The same day `months` later, clamped to the month's end (29 Feb → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def default_expiry(decision_date):
    return add_months(decision_date, settings.OCOP_CERTIFICATE_VALIDITY_MONTHS)


class Status(models.TextChoices):
    VALID = "valid", _("Valid")
    EXPIRING = "expiring", _("Expiring soon")
    EXPIRED = "expired", _("Expired")
    REVOKED = "revoked", _("Revoked")


def certificate_status(*, expiry_date, revoked_on, today):
    """Status on `today`. The certificate is valid up to and including its expiry date."""
    if revoked_on is not None and revoked_on <= today:
        return Status.REVOKED
    if today > expiry_date:
        return Status.EXPIRED
    if (expiry_date - today).days <= settings.OCOP_CERTIFICATE_EXPIRING_DAYS:
        return Status.EXPIRING
    return Status.VALID


def is_certified(*, status, stars):
    """Recognised as an OCOP product: in force and rated 3★ or more."""
    return status in (Status.VALID, Status.EXPIRING) and stars >= settings.OCOP_MIN_CERTIFIED_STARS
