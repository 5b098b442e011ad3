import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from cms.lifecycle.reminders import office_recipients
from cms.oversight import periods, reports, tasks


class Command(BaseCommand):
    help = (
        "E-mail the periodic OCOP report (XLSX and PDF) to the provincial OCOP office: the reports due "
        "today (half-year 10–14/6, year 10–14/12), or --period's. Each period's report is mailed once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="the period: 2026-h1, 2026-h2, 2026 (default: the reports due today)")
        parser.add_argument(
            "--dry-run", action="store_true", help="build the files and say who would get them; send nothing"
        )

    def handle(self, *args, **options):
        if options["period"]:
            period = periods.parse(options["period"])
            if period is None:
                raise CommandError(f"--period: kỳ không hợp lệ / not a period (2026-h1, 2026): {options['period']}")
            due = [period]
        else:
            due = tasks.due(timezone.localdate())
            if not due:
                self.stdout.write("Hôm nay không có báo cáo đến hạn / no report due today")
        for period in due:
            if options["dry_run"]:
                started = time.perf_counter()
                report = reports.collect(period)
                xlsx, pdf = reports.to_xlsx(report), reports.to_pdf(report)
                seconds = time.perf_counter() - started
                self.stdout.write(
                    f"{period.slug}: xlsx {len(xlsx)} B, pdf {len(pdf)} B in {seconds:.1f} s; "
                    f"{'already sent' if tasks.already_sent(period) else 'not sent yet'}; "
                    f"to: {', '.join(office_recipients()) or '—'}"
                )
                continue
            recipients = tasks.send(period)
            if recipients is None:
                self.stderr.write(f"{period.slug}: không có địa chỉ Văn phòng OCOP / no OCOP office address")
            elif not recipients:
                self.stdout.write(f"{period.slug}: đã gửi trước đó / already sent")
            else:
                self.stdout.write(self.style.SUCCESS(f"{period.slug}: sent to {', '.join(recipients)}"))
