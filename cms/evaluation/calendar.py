"""Working days in Việt Nam: Monday to Friday, less the public holidays (the `holidays`
package's calendar for VN, Tết included), with the days officials enter by hand
(CalendarDay: a make-up working Saturday, an extra day off) taking precedence."""

import datetime

import holidays

from cms.evaluation.models import CalendarDay


def _overrides(start, end):
    return dict(CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "working"))


def add_working_days(start, count):
    """The `count`-th working day after `start` (the day a limit of `count` working days ends)."""
    horizon = start + datetime.timedelta(days=count * 2 + 40)  # Tết can take nine days off
    public = holidays.country_holidays("VN", years=range(start.year, horizon.year + 1))
    overrides = _overrides(start, horizon)
    day = start
    while count > 0:
        day += datetime.timedelta(days=1)
        working = overrides.get(day, day.weekday() < 5 and day not in public)
        if working:
            count -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    public = holidays.country_holidays("VN", years=range(start.year, end.year + 1))
    overrides = _overrides(start, end)
    days, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        if overrides.get(day, day.weekday() < 5 and day not in public):
            days += 1
    return days
