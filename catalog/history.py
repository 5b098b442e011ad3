"""The register's past: certificates and producers as they stood at the end of a day.

Every save of a Certificate or a Producer writes a history row (django-simple-history,
`Model.history`) with the whole row, who made the change and `history_date`, the moment the
change took effect: the time of saving, or an earlier day an official gives for a producer's
change entered late ("women-led since 01/03/2025", catalog/history_admin.py). The rows that
were in the register before the history are dated by catalog/migrations/0011_history.py.

The state of an object at the end of `day` is its latest history row dated on or before that
day. An object first recorded after `day` (a certificate of 2023 typed in from paper in
2026, the producer entered with it) is taken as first recorded: the register knows no
earlier state, and leaving it out would drop a certificate from the years it was in force.
Then a certificate counts only from its decision date, a producer only from its founding
year when that is known; a deleted object counts until its deletion (and never, if it was
deleted before anything dated it on or before `day`).

Statuses are those of catalog/rules.py on `day`: a certificate revoked in 2025 is valid in a
figure for 2023, whatever was entered since.
"""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from catalog import rules
from catalog.models import Certificate, Producer, status_on


def start_of(day):
    """Midnight at the start of `day`, local time: a change dated so holds all of `day`."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _as_of(history, day):
    """The rows of the `history` model that give each object's state at the end of `day`."""
    end = start_of(day + datetime.timedelta(days=1))
    same = history.objects.filter(id=OuterRef("id"))
    recorded = same.filter(history_date__lt=end)
    later = Q(history_date__gt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__gt=OuterRef("history_id")
    )
    earlier = Q(history_date__lt=OuterRef("history_date")) | Q(
        history_date=OuterRef("history_date"), history_id__lt=OuterRef("history_id")
    )
    latest_by_then = Q(history_date__lt=end) & ~Exists(recorded.filter(later))
    first_recorded_later = ~Exists(recorded) & ~Exists(same.filter(earlier)) & ~Exists(same.filter(history_type="-"))
    return history.objects.filter(latest_by_then | first_recorded_later).exclude(history_type="-")


def producers_as_of(day):
    """The producers in the register at the end of `day`, with their facts as they stood.

    A queryset of history rows (`Producer.history.model`): `id` is the producer's, and each
    row holds its legal form, size, women_led, ethnic_minority_led, province, commune and
    historical district on that day. Count with it as with producers, e.g.
    `producers_as_of(day).filter(women_led=True).count()`.
    """
    return _as_of(Producer.history.model, day).filter(Q(founded_year__isnull=True) | Q(founded_year__lte=day.year))


def certificates_as_of(day):
    """The certificates decided by the end of `day`, as recorded then, with their `status`
    on `day` (valid, expiring, expired, revoked).

    A queryset of history rows (`Certificate.history.model`): `id` is the certificate's,
    `product_id` its register product's; stars, score, level, dates as they stood.
    """
    return _as_of(Certificate.history.model, day).filter(decision_date__lte=day).annotate(status=status_on(day))


def certified_as_of(day):
    """The certificates that made a product an OCOP product on `day`: in force and rated
    3★ or more (rules.is_certified)."""
    return certificates_as_of(day).filter(status__in=rules.IN_FORCE, stars__gte=rules.min_certified_stars())


# --- Reading one object's history (the admin's "Change history" panel) ---

KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


def entries(instance):
    """Each history row of `instance`, newest first, as a dict: date (when it took effect),
    recorded_at (when it was entered), user, kind ("+", "~", "-"), kind_label and changes,
    a list of (field label, old value, new value) against the row before it."""
    rows = list(instance.history.select_related("history_user").order_by("-history_date", "-history_id"))
    result = []
    for row, previous in zip(rows, [*rows[1:], None], strict=True):
        result.append(
            {
                "date": row.history_date,
                "recorded_at": row.history_recorded_at,
                "backdated": timezone.localdate(row.history_recorded_at) != timezone.localdate(row.history_date),
                "user": row.history_user,
                "kind": row.history_type,
                "kind_label": KINDS.get(row.history_type, row.history_type),
                "changes": changes(row, previous) if previous is not None and row.history_type == "~" else [],
            }
        )
    return result


def changes(row, previous):
    """(field label, old value, new value) for each field `row` changed since `previous`,
    in the model's field order, values as a person reads them."""
    delta = row.diff_against(previous, foreign_keys_are_objs=True)
    by_name = {change.field: change for change in delta.changes}
    return [
        (field.verbose_name, display(field, by_name[field.name].old), display(field, by_name[field.name].new))
        for field in row.instance_type._meta.fields
        if field.name in by_name
    ]


def display(field, value):
    """A field's value in words: choices by their label, yes/no, dates d/m/Y, decimals as
    the register prints them; empty as a dash."""
    if value is None or value == "":
        return "—"
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value), "d/m/Y H:i")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "d/m/Y")
    if isinstance(field, models.DecimalField):
        return floatformat(value, -2)
    return str(value)
