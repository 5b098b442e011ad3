"""The OCOP rules at every threshold (Decision 148/QĐ-TTg; 36-month validity)."""

import datetime

import pytest

from catalog import rules
from catalog.rules import Status


@pytest.mark.parametrize(
    "score, stars",
    [(0, 1), (29, 1), (30, 2), (49, 2), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)],
)
def test_stars_for_score_at_every_threshold(score, stars):
    assert rules.stars_for_score(score) == stars


@pytest.mark.parametrize("score", [-1, 101])
def test_score_out_of_range_is_refused(score):
    with pytest.raises(ValueError):
        rules.stars_for_score(score)


def test_every_version_scores_out_of_100():
    assert rules.MAX_SCORE == 100


@pytest.mark.parametrize(
    "decided, expires",
    [
        (datetime.date(2023, 1, 15), datetime.date(2026, 1, 15)),
        (datetime.date(2024, 2, 29), datetime.date(2027, 2, 28)),  # leap day clamps
        (datetime.date(2023, 12, 31), datetime.date(2026, 12, 31)),
    ],
)
def test_default_expiry_is_36_months(decided, expires):
    assert rules.default_expiry(decided) == expires


EXPIRY = datetime.date(2026, 6, 30)


@pytest.mark.parametrize(
    "today, revoked_on, status",
    [
        (EXPIRY - datetime.timedelta(days=31), None, Status.VALID),
        (EXPIRY - datetime.timedelta(days=30), None, Status.EXPIRING),
        (EXPIRY, None, Status.EXPIRING),  # valid through its expiry date
        (EXPIRY + datetime.timedelta(days=1), None, Status.EXPIRED),
        (EXPIRY - datetime.timedelta(days=100), EXPIRY - datetime.timedelta(days=100), Status.REVOKED),
        (EXPIRY - datetime.timedelta(days=100), EXPIRY - datetime.timedelta(days=99), Status.VALID),
        (EXPIRY + datetime.timedelta(days=5), EXPIRY - datetime.timedelta(days=10), Status.REVOKED),
    ],
)
def test_status_from_dates(today, revoked_on, status):
    assert rules.certificate_status(expiry_date=EXPIRY, revoked_on=revoked_on, today=today) == status


@pytest.mark.parametrize(
    "status, stars, certified",
    [
        (Status.VALID, 3, True),
        (Status.EXPIRING, 3, True),
        (Status.VALID, 5, True),
        (Status.VALID, 2, False),
        (Status.EXPIRED, 4, False),
        (Status.REVOKED, 5, False),
    ],
)
def test_certified_means_in_force_and_three_stars(status, stars, certified):
    assert rules.is_certified(status=status, stars=stars) is certified
