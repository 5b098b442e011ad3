"""Working days (cms/evaluation/calendar.py): weekends, Vietnamese public holidays from the
`holidays` package (Tết 2027: Thursday 04/02 to Wednesday 10/02), and the make-up working
days and extra days off officials enter (CalendarDay)."""

import datetime

import holidays
import pytest

from cms.evaluation.calendar import add_working_days, working_days_between
from cms.evaluation.models import CalendarDay

pytestmark = pytest.mark.django_db

day = datetime.date


def test_the_holidays_package_has_tet_2027():
    vn = holidays.country_holidays("VN", years=2027)
    tet = sorted(d for d in vn if day(2027, 2, 1) <= d <= day(2027, 2, 28))
    assert tet == [day(2027, 2, n) for n in range(4, 11)]


@pytest.mark.parametrize(
    "start, count, end",
    [
        (day(2026, 12, 1), 1, day(2026, 12, 2)),  # Tuesday → Wednesday
        (day(2026, 12, 3), 1, day(2026, 12, 4)),  # Thursday → Friday
        (day(2026, 12, 4), 1, day(2026, 12, 7)),  # Friday → Monday, over the weekend
        (day(2026, 12, 5), 1, day(2026, 12, 7)),  # from a Saturday
        (day(2026, 12, 4), 5, day(2026, 12, 11)),  # a whole week
        (day(2026, 12, 1), 0, day(2026, 12, 1)),
    ],
)
def test_weekends_are_not_working_days(start, count, end):
    assert add_working_days(start, count) == end


def test_one_working_day_across_tet_2027():
    # Wednesday 03/02 → Thursday 11/02: Thursday 04 to Wednesday 10 are all off.
    assert add_working_days(day(2027, 2, 3), 1) == day(2027, 2, 11)
    assert add_working_days(day(2027, 2, 2), 2) == day(2027, 2, 11)


def test_15_working_days_from_before_tet_2027():
    # Monday 25/01/2027: 26, 27, 28, 29 Jan, 1, 2, 3 Feb (7), Tết, then 11, 12, 15–19, 22 Feb.
    assert add_working_days(day(2027, 1, 25), 15) == day(2027, 2, 22)
    # Wednesday 03/02/2027, the last working day before Tết: 15 days end on Wednesday 03/03.
    assert add_working_days(day(2027, 2, 3), 15) == day(2027, 3, 3)


def test_15_working_days_without_a_holiday():
    # Two weeks of five days and one more: the commune's limit from Tuesday 01/12/2026.
    assert add_working_days(day(2026, 12, 1), 15) == day(2026, 12, 22)


def test_the_new_year_holiday_is_skipped():
    # Thursday 31/12/2026 + 1 → Monday 04/01/2027 (01/01 is New Year's Day, then a weekend).
    assert add_working_days(day(2026, 12, 31), 1) == day(2027, 1, 4)


def test_a_make_up_working_saturday_counts():
    CalendarDay.objects.create(date=day(2026, 12, 5), working=True, note="Làm bù")
    assert add_working_days(day(2026, 12, 4), 1) == day(2026, 12, 5)
    assert add_working_days(day(2026, 12, 4), 2) == day(2026, 12, 7)


def test_an_extra_day_off_is_skipped():
    CalendarDay.objects.create(date=day(2026, 12, 7), working=False, note="Nghỉ thêm")
    assert add_working_days(day(2026, 12, 4), 1) == day(2026, 12, 8)
    assert add_working_days(day(2026, 12, 1), 15) == day(2026, 12, 23)


def test_a_make_up_day_during_tet_counts():
    # Officials can make a holiday a working day too (entered days take precedence).
    CalendarDay.objects.create(date=day(2027, 2, 10), working=True, note="Đi làm sớm")
    assert add_working_days(day(2027, 2, 3), 1) == day(2027, 2, 10)
    assert add_working_days(day(2027, 2, 3), 15) == day(2027, 3, 2)


def test_tet_with_a_make_up_saturday_and_an_extra_day_off():
    CalendarDay.objects.create(date=day(2027, 1, 30), working=True, note="Làm bù cho Tết")
    CalendarDay.objects.create(date=day(2027, 2, 11), working=False, note="Nghỉ thêm sau Tết")
    # From Monday 25/01: 26–29 Jan (4), Sat 30 (5), 1–3 Feb (8), Tết, 11 off, 12 (9), 15–19 (14), 22 (15).
    assert add_working_days(day(2027, 1, 25), 15) == day(2027, 2, 22)
    assert add_working_days(day(2027, 1, 25), 8) == day(2027, 2, 3)
    assert add_working_days(day(2027, 1, 25), 9) == day(2027, 2, 12)


@pytest.mark.parametrize(
    "start, end, days",
    [
        (day(2027, 2, 3), day(2027, 2, 11), 1),
        (day(2027, 1, 25), day(2027, 2, 22), 15),
        (day(2026, 12, 4), day(2026, 12, 7), 1),
        (day(2026, 12, 7), day(2026, 12, 7), 0),
        (day(2026, 12, 8), day(2026, 12, 7), 0),
    ],
)
def test_working_days_between_counts_the_same_days(start, end, days):
    assert working_days_between(start, end) == days
