from django.core.management.base import BaseCommand

from cms.oversight import plans


class Command(BaseCommand):
    help = "Load the provincial plans' targets from fixtures/plans/ (replacing those loaded before)."

    def handle(self, *args, **options):
        summary = plans.load()
        for line in summary.disagreements:
            self.stdout.write(self.style.WARNING(f"Kế hoạch không thống nhất (both figures kept): {line}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{summary.plans} kế hoạch, {summary.targets} chỉ tiêu; "
                f"{len(summary.disagreements)} chỗ các bảng của kế hoạch không khớp nhau."
            )
        )
