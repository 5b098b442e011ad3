"""The OCOP rules as plain functions: stars from a score, certificate dates and status, and
what "certified" means. Every other module asks here; none restates a threshold.

Scores (Decisions 148/2023, 148 + 1489/2025 and 26/2026/QĐ-TTg alike): 100 points in three
parts (A 40, B 25, C 35); the total is the council's average, a decimal such as 74.33.
1★ below 30, 2★ 30 to < 50, 3★ 50 to < 70, 4★ 70 to < 90, 5★ 90–100; only 3★ and above are
OCOP products. A certificate is valid 36 months from its decision; it is "expiring" in its
last days (OCOP_CERTIFICATE_EXPIRING_DAYS).

A certificate's stars are what the decision recognised: at most the score's band (a minimum
mark missed on the scoring sheet can hold a product below its band, never above it).

Rule versions are data (catalog/rulebook.py, loaded from fixtures/rules/ by `manage.py
load_rules`): a certificate records the RuleSet it was decided under, and the functions below
pick the version in force on a day or for a dossier. The star bands are the same in every
version, so they stay here.
"""

import calendar
import datetime
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Every version scores out of 100 (its parts, RuleSet.part_maxima, add up to it).
MAX_SCORE = 100

# (lowest score, stars), highest first.
STAR_THRESHOLDS = ((90, 5), (70, 4), (50, 3), (30, 2), (0, 1))


def rule_set(code):
    """The RuleSet with this code, or None."""
    from catalog.rulebook import RuleSet

    return RuleSet.objects.filter(code=code).first()


def rule_set_on(day):
    """The version in force on `day` (the oldest one for a day before the first)."""
    from catalog.rulebook import RuleSet

    versions = RuleSet.objects.order_by("valid_from")
    return versions.filter(valid_from__lte=day).last() or versions.first()


def rule_set_for_dossier(*, filed_on, reevaluation, today):
    """The version a dossier is evaluated under (Decision 26/2026, art. 12).

    The version in force today, unless it came into force after the dossier was filed and
    its transition period (60 days for a first evaluation or an upgrade, 30 for a
    re-evaluation, counted from its start) is still running: then the rules in force the
    day before it, which the dossier may finish under.
    """
    current = rule_set_on(today)
    if current is None or current.valid_from <= filed_on:
        return current
    days = current.transition_reevaluation_days if reevaluation else current.transition_days
    if days is not None and today <= current.valid_from + datetime.timedelta(days=days - 1):
        return rule_set_on(current.valid_from - datetime.timedelta(days=1))
    return current


def reevaluation_window(expiry_date, rule_set):
    """(first day, last day) to file the re-evaluation of a certificate expiring on
    `expiry_date` under `rule_set` (26/2026: 180 to 120 days before expiry), or None."""
    if rule_set is None or rule_set.reevaluation_opens_days is None or rule_set.reevaluation_closes_days is None:
        return None
    return (
        expiry_date - datetime.timedelta(days=rule_set.reevaluation_opens_days),
        expiry_date - datetime.timedelta(days=rule_set.reevaluation_closes_days),
    )


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
