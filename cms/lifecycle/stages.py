"""Where a certificate stands on a day: its stage (lifecycle.models.Stage) and its
re-evaluation dossier. One rule, in two forms that agree (a test compares them day by day):
`stage()` for one certificate, `annotate()` for a queryset, computed in SQL so a list of
every certificate in the province is one query.

The stages, first match wins:
- REVOKED: revoked on or before the day;
- SUPERSEDED: the product has a later certificate (by decision date, then entry): a
  re-evaluation or an upgrade replaced it;
- LAPSED: expired (the day is after its expiry date);
- EXPIRING: at most OCOP_CERTIFICATE_EXPIRING_DAYS left (catalog.rules.certificate_status);
- WINDOW_MISSED: past the re-evaluation window's last day and no re-evaluation dossier filed;
- WINDOW_OPEN: inside the window (catalog.rules.reevaluation_window: 180 to 120 days before
  expiry under Decision 26/2026, the days coming from the rule set in force on the day);
- VALID: anything else (before the window, or past it with a dossier filed).

A re-evaluation dossier is *filed* once submitted (a draft is not): a dossier of kind
re-evaluation naming the certificate as its previous one, or one for the same product
submitted on or after the window's first day.
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from catalog import rules
from catalog.models import Certificate, status_on
from cms.evaluation.models import Dossier, Kind, State
from cms.lifecycle.models import CertificateReminder, Stage

# The stages whose certificates are listed and mailed, in the order a certificate reaches them.
LISTED = (Stage.WINDOW_OPEN, Stage.WINDOW_MISSED, Stage.EXPIRING, Stage.LAPSED)


@dataclass(frozen=True)
class Window:
    opens: datetime.date
    closes: datetime.date


def window_days(today):
    """(opens, closes) days before expiry under the rule set in force on `today`, or None."""
    rule_set = rules.rule_set_on(today)
    if rule_set is None or rule_set.reevaluation_opens_days is None or rule_set.reevaluation_closes_days is None:
        return None
    return rule_set.reevaluation_opens_days, rule_set.reevaluation_closes_days


def window(expiry_date, today):
    """The re-evaluation window of a certificate expiring on `expiry_date`, as the rules in
    force on `today` set it, or None."""
    dates = rules.reevaluation_window(expiry_date, rules.rule_set_on(today))
    return Window(*dates) if dates else None


# --- the re-evaluation dossier ------------------------------------------------------------


def days_before(date_expression, number):
    """A date column minus `number` days, as a date (PostgreSQL's date − interval is a
    timestamp; the cast makes both databases compare and return dates)."""
    return Cast(date_expression - datetime.timedelta(days=number), DateField())


def reevaluation_dossiers(opens_days):
    """Subquery base: the re-evaluation dossiers of the outer certificate (OuterRef), filed or not.

    Linked by previous_certificate (what workflow.start records); a dossier entered without
    that link counts when it is for the same product and was submitted on or after the
    window's first day."""
    rule = Q(previous_certificate=OuterRef("pk"))
    if opens_days is not None:
        first_day = days_before(OuterRef("expiry_date"), opens_days)
        rule |= Q(product=OuterRef("product"), submitted_on__gte=first_day)
    return Dossier.objects.filter(rule, kind=Kind.REEVALUATION)


def later_certificates():
    """Subquery base: the outer certificate's product's certificates decided after it."""
    return Certificate.objects.filter(product=OuterRef("product")).filter(
        Q(decision_date__gt=OuterRef("decision_date"))
        | Q(decision_date=OuterRef("decision_date"), pk__gt=OuterRef("pk"))
    )


def annotate(queryset=None, today=None):
    """Certificates with `stage` (a Stage value), `window_opens`/`window_closes` (None when
    the rules in force have no window), `reevaluation_pk`/`reevaluation_state` (the latest
    re-evaluation dossier, a draft included), `reevaluation_filed` and `reminder_sent_at`
    (when this stage's e-mail went out, or None)."""
    today = today or timezone.localdate()
    queryset = Certificate.objects.all() if queryset is None else queryset
    days = window_days(today)
    opens_days, closes_days = days if days else (None, None)
    dossiers = reevaluation_dossiers(opens_days)
    latest = dossiers.order_by("-created_at", "-pk")
    queryset = queryset.annotate(
        superseded=Exists(later_certificates()),
        reevaluation_filed=Exists(dossiers.exclude(state=State.DRAFT)),
        reevaluation_pk=Subquery(latest.values("pk")[:1]),
        reevaluation_state=Subquery(latest.values("state")[:1]),
    )
    # The certificate's status on the day (catalog's one SQL form of rules.certificate_status).
    queryset = queryset.alias(status_today=status_on(today))
    whens = [
        When(status_today=rules.Status.REVOKED, then=Value(Stage.REVOKED)),
        When(superseded=True, then=Value(Stage.SUPERSEDED)),
        When(status_today=rules.Status.EXPIRED, then=Value(Stage.LAPSED)),
        When(status_today=rules.Status.EXPIRING, then=Value(Stage.EXPIRING)),
    ]
    if days:
        # Today is past the window's last day (expiry − closes) when expiry < today + closes;
        # inside it when today + closes ≤ expiry ≤ today + opens.
        whens += [
            When(
                expiry_date__lt=today + datetime.timedelta(days=closes_days),
                reevaluation_filed=False,
                then=Value(Stage.WINDOW_MISSED),
            ),
            When(
                expiry_date__gte=today + datetime.timedelta(days=closes_days),
                expiry_date__lte=today + datetime.timedelta(days=opens_days),
                then=Value(Stage.WINDOW_OPEN),
            ),
        ]
        queryset = queryset.annotate(
            window_opens=days_before(F("expiry_date"), opens_days),
            window_closes=days_before(F("expiry_date"), closes_days),
        )
    else:
        queryset = queryset.annotate(
            window_opens=Value(None, output_field=DateField()), window_closes=Value(None, output_field=DateField())
        )
    queryset = queryset.annotate(stage=Case(*whens, default=Value(Stage.VALID), output_field=CharField()))
    sent = CertificateReminder.objects.filter(certificate=OuterRef("pk"), stage=OuterRef("stage"))
    return queryset.annotate(reminder_sent_at=Subquery(sent.values("sent_at")[:1]))


def in_stage(stage_value, today=None, queryset=None):
    """The certificates in `stage_value` on `today`, annotated as annotate() does."""
    return annotate(queryset, today).filter(stage=stage_value)


def counts(today=None, queryset=None):
    """{stage: number of certificates} for the listed stages (zeros included)."""
    rows = annotate(queryset, today).filter(stage__in=LISTED).values("stage").annotate(n=Count("pk"))
    result = dict.fromkeys(LISTED, 0)
    result.update({Stage(row["stage"]): row["n"] for row in rows})
    return result


# --- one certificate ------------------------------------------------------------------


def is_superseded(certificate):
    return (
        Certificate.objects.filter(product_id=certificate.product_id)
        .filter(
            Q(decision_date__gt=certificate.decision_date)
            | Q(decision_date=certificate.decision_date, pk__gt=certificate.pk)
        )
        .exists()
    )


def is_filed(certificate, today):
    """Whether a re-evaluation dossier of `certificate` has been submitted."""
    rule = Q(previous_certificate=certificate)
    win = window(certificate.expiry_date, today)
    if win:
        rule |= Q(product_id=certificate.product_id, submitted_on__gte=win.opens)
    return Dossier.objects.filter(rule, kind=Kind.REEVALUATION).exclude(state=State.DRAFT).exists()


def stage(certificate, today=None, *, superseded=None, filed=None):
    """The Stage of one certificate on `today`. `superseded` and `filed` may be given when
    already known (e.g. from annotate()); otherwise they are read from the database."""
    today = today or timezone.localdate()
    status = rules.certificate_status(
        expiry_date=certificate.expiry_date, revoked_on=certificate.revoked_on, today=today
    )
    if status == rules.Status.REVOKED:
        return Stage.REVOKED
    if superseded if superseded is not None else is_superseded(certificate):
        return Stage.SUPERSEDED
    if status == rules.Status.EXPIRED:
        return Stage.LAPSED
    if status == rules.Status.EXPIRING:
        return Stage.EXPIRING
    win = window(certificate.expiry_date, today)
    if win is None or today < win.opens:
        return Stage.VALID
    if today <= win.closes:
        return Stage.WINDOW_OPEN
    if not (filed if filed is not None else is_filed(certificate, today)):
        return Stage.WINDOW_MISSED
    return Stage.VALID


def days_left(certificate, today=None):
    """Days until the expiry date (0 on it, negative once lapsed)."""
    return (certificate.expiry_date - (today or timezone.localdate())).days
