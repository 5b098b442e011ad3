"""The daily re-evaluation reminders: each stage's e-mail, once, to the producer and the office.

`send_due(today)` mails every certificate that reached a mailed stage and has no
CertificateReminder for it yet:
- WINDOW_OPEN, while no re-evaluation dossier has been filed;
- WINDOW_MISSED;
- EXPIRING;
- LAPSED, for a certificate that expired at most OCOP_LAPSE_NOTICE_DAYS ago (certificates
  entered by hand long after they lapsed are not mailed) and is its product's latest (a
  superseded one is never LAPSED, stages.py).

A stage the job never saw (it did not run for the whole window) is skipped: only the stage
of the day is mailed. So the job may run any number of times a day, and may miss days.

Each certificate is done in its own transaction: the CertificateReminder row is written,
then the producer's mail and the office's mail are sent; if sending raises, the row is
rolled back and the next run tries again (the producer may then get its mail twice if only
the office's failed). The row is committed after the mails are handed to the mail server,
so a crash between the two repeats that one certificate's mails on the next run; never
more. Two runs at once cannot both send: the row's unique (certificate, stage) constraint
makes the second one's insert fail, and it skips the certificate.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from catalog.models import Certificate
from cms.evaluation.access import OCOP_OFFICE
from cms.evaluation.models import Kind, State
from cms.evaluation.notify import producer_emails
from cms.lifecycle import stages
from cms.lifecycle.models import CertificateReminder, Stage

logger = logging.getLogger(__name__)

MAILED = (Stage.WINDOW_OPEN, Stage.WINDOW_MISSED, Stage.EXPIRING, Stage.LAPSED)

SUBJECTS = {
    Stage.WINDOW_OPEN: _("Time to file the OCOP re-evaluation dossier"),
    Stage.WINDOW_MISSED: _("The OCOP re-evaluation window has closed"),
    Stage.EXPIRING: _("OCOP certificate expiring soon"),
    Stage.LAPSED: _("OCOP certificate expired"),
}


@dataclass
class Report:
    sent: list = field(default_factory=list)  # (certificate, stage)
    failed: list = field(default_factory=list)  # (certificate, stage, error)
    no_recipient: list = field(default_factory=list)  # (certificate, stage)

    def __str__(self):
        return f"sent {len(self.sent)}, failed {len(self.failed)}, no recipient {len(self.no_recipient)}"


def due(today=None):
    """The certificates to mail today, annotated by stages.annotate(), without a reminder yet."""
    today = today or timezone.localdate()
    lapsed_since = today - datetime.timedelta(days=settings.OCOP_LAPSE_NOTICE_DAYS)
    queryset = stages.annotate(Certificate.objects.select_related("product__producer__group"), today)
    return (
        queryset.filter(stage__in=MAILED, reminder_sent_at__isnull=True)
        .exclude(stage=Stage.WINDOW_OPEN, reevaluation_filed=True)
        .exclude(Q(stage=Stage.LAPSED) & Q(expiry_date__lt=lapsed_since))
        .order_by("expiry_date", "pk")
    )


def office_recipients():
    """The provincial OCOP office's accounts and OCOP_OFFICE_EMAIL, if set."""
    users = get_user_model().objects.filter(groups__name=OCOP_OFFICE, is_active=True).exclude(email="")
    emails = set(users.values_list("email", flat=True))
    if settings.OCOP_OFFICE_EMAIL:
        emails.add(settings.OCOP_OFFICE_EMAIL)
    return sorted(emails)


def start_url(certificate, stage_value):
    """The admin link that opens a new dossier for the product: a re-evaluation while the
    certificate is in force, a new evaluation once it has lapsed."""
    kind = Kind.FIRST if stage_value == Stage.LAPSED else Kind.REEVALUATION
    path = reverse("evaluation:start")
    return f"{settings.OCOP_BASE_URL}{path}?product={certificate.product_id}&kind={kind}"


def subject(certificate, stage_value):
    with translation.override("vi"):
        vietnamese = str(SUBJECTS[stage_value])
    with translation.override("en"):
        english = str(SUBJECTS[stage_value])
    return f"{vietnamese} / {english}: {certificate.product.name}"


def body(certificate, stage_value, today, *, to_office):
    """The mail's text: Vietnamese, then the same in English."""
    dossier_state = certificate.reevaluation_state
    context = {
        "certificate": certificate,
        "product": certificate.product,
        "producer": certificate.product.producer,
        "stage": stage_value,
        "Stage": Stage,
        "days_left": stages.days_left(certificate, today),
        "days_ago": -stages.days_left(certificate, today),
        "opens": certificate.window_opens,
        "closes": certificate.window_closes,
        "dossier_state": State(dossier_state) if dossier_state else None,
        "dossier_url": (
            f"{settings.OCOP_BASE_URL}{reverse('evaluation:detail', args=[certificate.reevaluation_pk])}"
            if certificate.reevaluation_pk
            else ""
        ),
        "start_url": start_url(certificate, stage_value),
        # workflow.start refuses a second dossier while one is in progress.
        "can_start": dossier_state in (None, State.DECIDED),
        "list_url": f"{settings.OCOP_BASE_URL}{reverse('lifecycle:reminders')}?stage={stage_value}",
        "to_office": to_office,
    }
    parts = []
    for language in ("vi", "en"):
        with translation.override(language):
            parts.append(render_to_string("lifecycle/reminder_email.txt", context).strip())
    return "\n\n-----\n\n".join(parts) + "\n"


def send_one(certificate, today):
    """Record and send the stage's mails for one annotated certificate, in one transaction.
    Returns the recipients, or None when there was nobody to write to (nothing recorded)."""
    stage_value = certificate.stage
    producer_to = producer_emails(certificate.product.producer)
    office_to = office_recipients()
    if not producer_to and not office_to:
        return None
    with transaction.atomic():
        CertificateReminder.objects.create(
            certificate=certificate, stage=stage_value, recipients=", ".join(producer_to + office_to)
        )
        title = subject(certificate, stage_value)
        if producer_to:
            send_mail(title, body(certificate, stage_value, today, to_office=False), None, producer_to)
        if office_to:
            send_mail(title, body(certificate, stage_value, today, to_office=True), None, office_to)
    return producer_to + office_to


def send_due(today=None, progress=None):
    """Send every reminder due on `today` (default: the site's today); returns a Report.

    `progress` wraps the iterable of due certificates (e.g. tqdm in the command)."""
    today = today or timezone.localdate()
    report = Report()
    certificates = list(due(today))
    for certificate in progress(certificates) if progress else certificates:
        try:
            recipients = send_one(certificate, today)
        except IntegrityError:
            # Another run recorded this stage between our query and our insert: it sends.
            continue
        except Exception as error:  # noqa: BLE001 - a mail server's refusal takes many forms
            logger.exception("reminder %s for certificate %s not sent", certificate.stage, certificate.pk)
            report.failed.append((certificate, certificate.stage, error))
            continue
        if recipients is None:
            logger.warning("reminder %s for certificate %s: nobody to write to", certificate.stage, certificate.pk)
            report.no_recipient.append((certificate, certificate.stage))
        else:
            report.sent.append((certificate, certificate.stage))
    return report
