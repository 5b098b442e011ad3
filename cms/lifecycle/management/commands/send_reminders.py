import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from cms.lifecycle import reminders, stages


class Command(BaseCommand):
    help = (
        "Send the re-evaluation reminders due on a day (default today): each stage's e-mail "
        "(window open, window missed, expiring, lapsed) once per certificate, to the producer and "
        "the OCOP office. Safe to run again; a missed day is caught up on the next run."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day to act as today, YYYY-MM-DD")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count the certificates per stage and the mails due"
        )

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError as error:
                raise CommandError(f"--date: ngày không hợp lệ / not a date (YYYY-MM-DD): {options['date']}") from error
        for stage, number in stages.counts(today).items():
            self.stdout.write(f"{stage.label}: {number}")
        if options["dry_run"]:
            self.stdout.write(f"due on {today:%Y-%m-%d}: {reminders.due(today).count()}")
            return
        report = reminders.send_due(today, progress=self.progress)
        for certificate, stage, error in report.failed:
            self.stderr.write(f"not sent: {certificate} ({stage}): {error}")
        self.stdout.write(self.style.SUCCESS(f"{today:%Y-%m-%d}: {report}"))

    def progress(self, iterable):
        return tqdm(iterable, desc="reminders", unit="certificate", disable=None, file=self.stderr._out)
