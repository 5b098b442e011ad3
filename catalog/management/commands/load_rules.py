import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from catalog import rules_data


class Command(BaseCommand):
    help = (
        "Load the OCOP rule sets (1048/2019, 148/2023, 148 + 1489/2025, 26/2026) and their scoring "
        "sheets from fixtures/rules/, then check each sheet's points against its version's part "
        "weights. Safe to run again: it creates what is missing and updates what the files changed "
        "(an official's correction made in the admin is overwritten by the files)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", default=str(rules_data.DEFAULT_DIR), help="the fixtures/rules folder")

    def handle(self, *args, **options):
        started = time.monotonic()
        reports = rules_data.load(options["dir"], progress=self.progress)
        for report in reports:
            self.stdout.write(
                f"{report.code}: {report.sheets} sheets, {report.criteria} criteria, {report.options} options"
            )
            for number, reasons in sorted(report.failed.items()):
                self.stdout.write(self.style.WARNING(f"  sheet {number} fails the sum check: {'; '.join(reasons)}"))
            for row in report.kept:
                self.stdout.write(self.style.WARNING(f"  kept (still referred to): {row}"))
        self.stdout.write(self.style.SUCCESS(f"Rules ready in {time.monotonic() - started:.1f}s."))

    def progress(self, iterable, desc):
        """tqdm on the command's stdout: redrawn on a terminal, every 30 s in a log."""
        return tqdm(iterable, desc=desc, file=self.stdout._out, mininterval=0.1 if self.stdout.isatty() else 30)
