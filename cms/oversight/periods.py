"""Reporting periods: a year, a half-year, a plan's whole span. Figures are taken as of a
period's last day, or today while the period is still running."""

import dataclasses
import datetime

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclasses.dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str  # "year", "half", "plan", "custom"

    @property
    def as_of(self):
        """The day figures are taken on: the last day, or today if the period runs on."""
        return min(self.end, timezone.localdate())

    @property
    def slug(self):
        """The query-string form (?period=2024, 2024-h1, 2021-2025) that `parse` reads."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "half":
            return f"{self.start.year}-h{1 if self.start.month == 1 else 2}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self):
        if self.kind == "year":
            return _("Year %(year)d") % {"year": self.start.year}
        if self.kind == "half":
            half = 1 if self.start.month == 1 else 2
            return (_("First half of %(year)d") if half == 1 else _("Second half of %(year)d")) % {
                "year": self.start.year
            }
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"

    def __contains__(self, day):
        return self.start <= day <= self.end


def year(y):
    return Period(datetime.date(y, 1, 1), datetime.date(y, 12, 31), "year")


def half(y, h):
    if h == 1:
        return Period(datetime.date(y, 1, 1), datetime.date(y, 6, 30), "half")
    return Period(datetime.date(y, 7, 1), datetime.date(y, 12, 31), "half")


def span(start, end):
    return Period(start, end, "custom")


def plan_period(plan):
    return Period(plan.starts_on, plan.ends_on, "plan")


def parse(text):
    """A Period from its slug (`Period.slug`), or None for anything else."""
    text = (text or "").strip()
    try:
        if text.isdigit() and len(text) == 4:
            return year(int(text))
        if len(text) == 7 and text[4:6] == "-h" and text[6] in "12":
            return half(int(text[:4]), int(text[6]))
        if ".." in text:
            start, end = (datetime.date.fromisoformat(part) for part in text.split("..", 1))
            return span(start, end) if start <= end else None
    except ValueError:
        return None
    return None


def report_period(day, kind):
    """The period a report due around `day` covers: the half-year report (due before 15/6)
    covers the first half of `day`'s year; the yearly one (due before 15/12) the year."""
    return half(day.year, 1) if kind == "half" else year(day.year)
