"""The OCOP rules as plain functions: stars from a score, certificate dates and status, and
what "certified" means. Every other module asks here; none restates a threshold.

Scores (Decisions 148/2023, 148 + 1489/2025 and 26/2026/QĐ-TTg alike): 100 points in three
parts (A 40, B 25, C 35); the total is the council's average, a decimal such as 74.33.
1★ below 30, 2★ 30 to < 50, 3★ 50 to < 70, 4★ 70 to < 90, 5★ 90–100; only 3★ and above are
OCOP products. A certificate is valid 36 months from its decision; it is "expiring" in its
last days (OCOP_CERTIFICATE_EXPIRING_DAYS).

A certificate's stars are what the decision recognised: at most the score's band (a minimum
mark missed on the scoring sheet can hold a product below its band, never above it).

Rule versions are listed in RULE_VERSIONS (code, name, in force from, part maxima) so that a
certificate records the version it was decided under; the evaluation's full rule sets
(weights, levels, sheets) are data loaded from fixtures/.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PART_MAXIMA = {"a": 40, "b": 25, "c": 35}
MAX_SCORE = sum(PART_MAXIMA.values())

# (lowest score, stars), highest first.
STAR_THRESHOLDS = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))


@dataclass(frozen=True)
class RuleVersion:
    code: str
    name: str
    in_force_from: datetime.date
    part_maxima: dict


RULE_VERSIONS = (
    RuleVersion("1048-2019", "QĐ 1048/QĐ-TTg (2019)", datetime.date(2019, 8, 21), {"a": 35, "b": 25, "c": 40}),
    RuleVersion("148-2023", "QĐ 148/QĐ-TTg (2023)", datetime.date(2023, 2, 24), PART_MAXIMA),
    RuleVersion("148-1489-2025", "QĐ 148 + 1489/QĐ-TTg (2025)", datetime.date(2025, 7, 6), PART_MAXIMA),
    RuleVersion("26-2026", "QĐ 26/2026/QĐ-TTg", datetime.date(2026, 5, 22), PART_MAXIMA),
)
RULE_VERSION_CHOICES = [(v.code, v.name) for v in RULE_VERSIONS]


def rule_version(code):
    return next(v for v in RULE_VERSIONS if v.code == code)


def rule_version_on(day):
    """The version in force on `day` (the oldest one before the first)."""
    in_force = [v for v in RULE_VERSIONS if v.in_force_from <= day]
    return in_force[-1] if in_force else RULE_VERSIONS[0]


def stars_for_score(score):
    score = Decimal(score)
    if not 0 <= score <= MAX_SCORE:
        raise ValueError(f"an OCOP score is between 0 and {MAX_SCORE}, got {score}")
    for lowest, stars in STAR_THRESHOLDS:
        if score >= lowest:
            return stars
    raise AssertionError("unreachable")


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


# The statuses of a certificate in force (expiring ones still are).
IN_FORCE = (Status.VALID, Status.EXPIRING)


def certificate_status(*, expiry_date, revoked_on, today):
    """Status on `today`. The certificate is valid up to and including its expiry date."""
    if revoked_on is not None and revoked_on <= today:
        return Status.REVOKED
    if today > expiry_date:
        return Status.EXPIRED
    if (expiry_date - today).days <= settings.OCOP_CERTIFICATE_EXPIRING_DAYS:
        return Status.EXPIRING
    return Status.VALID


def min_certified_stars():
    return settings.OCOP_MIN_CERTIFIED_STARS


def is_certified(*, status, stars):
    """Recognised as an OCOP product: in force and rated 3★ or more."""
    return status in IN_FORCE and stars >= min_certified_stars()
