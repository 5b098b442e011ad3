"""The scheduled reports: the half-year report e-mailed to the OCOP office before 15/6, the
yearly one before 15/12, each with its XLSX and PDF attached (cms/oversight/reports.py).

The job runs every morning at 07:00 (storefront/tasks.py, "oversight-reports") and mails a
report only inside its window, 10/6–14/6 for the half-year and 10/12–14/12 for the year:
the 10th leaves the office five working days before the 15th deadline to read, correct the
register and re-send by hand, and a worker that was down on the 10th catches up on the next
morning of the window. Outside the windows (and for a report already sent) it does nothing;
a late or repeated report is sent by hand with `manage.py send_reports --period ...`.

Once per period: a ReportDispatch row is written in the same transaction as the mail is
handed to the mail server; a second run finds it and sends nothing, and two runs at once
cannot both send (the row's period is unique). If sending fails, the row is rolled back and
the next morning tries again.
"""

import datetime
import logging

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from cms.lifecycle.reminders import office_recipients
from cms.oversight import periods, reports
from cms.oversight.models import ReportDispatch

logger = logging.getLogger(__name__)

# (kind, month, first day, last day): the report's window, before the 15th deadline.
WINDOWS = (("half", 6, 10, 14), ("year", 12, 10, 14))

SUBJECT = _("OCOP report")
BODY = _(
    "The OCOP report for %(period)s (figures as of %(as_of)s) is attached, as a spreadsheet (XLSX) "
    "and as a document (PDF). It can be downloaded again, for any period, from the OCOP targets "
    "dashboard in the administration."
)


def due(today=None):
    """The periods whose report is due on `today` (inside its window), sent or not."""
    today = today or timezone.localdate()
    return [
        periods.report_period(today, kind)
        for kind, month, first, last in WINDOWS
        if datetime.date(today.year, month, first) <= today <= datetime.date(today.year, month, last)
    ]


def already_sent(period):
    return ReportDispatch.objects.filter(period=period.slug).exists()


def message(report, recipients):
    """The e-mail: Vietnamese, then English; the XLSX and the PDF attached."""
    parts, titles = [], []
    for language in ("vi", "en"):
        with translation.override(language):
            context = {"period": report.period.label, "as_of": report.as_of.strftime("%d/%m/%Y")}
            titles.append(f"{SUBJECT} – {report.period.label}")
            parts.append(str(BODY) % context)
    mail = EmailMessage(" / ".join(titles), "\n\n-----\n\n".join(parts) + "\n", None, recipients)
    mail.attach(report.filename("xlsx"), reports.to_xlsx(report), reports.XLSX_TYPE)
    mail.attach(report.filename("pdf"), reports.to_pdf(report), reports.PDF_TYPE)
    return mail


def send(period):
    """Mail `period`'s province report to the office once. Returns the recipients, [] when
    it was sent before, None when there is nobody to write to (nothing recorded)."""
    if already_sent(period):
        return []
    recipients = office_recipients()
    if not recipients:
        logger.warning("report %s: no OCOP office address to send it to", period.slug)
        return None
    report = reports.collect(period)
    mail = message(report, recipients)
    try:
        with transaction.atomic():
            ReportDispatch.objects.create(period=period.slug, recipients=", ".join(recipients), as_of=report.as_of)
            mail.send()
    except IntegrityError:
        return []  # another run recorded it between our check and our insert: it sends
    return recipients


def send_reports(today=None):
    """The scheduled job: send the reports due today that were not sent yet; a summary."""
    done = []
    for period in due(today):
        recipients = send(period)
        done.append(
            f"{period.slug}: "
            + (
                "already sent"
                if recipients == []
                else "no recipient"
                if recipients is None
                else f"sent to {len(recipients)}"
            )
        )
    return "; ".join(done) or "nothing due"
