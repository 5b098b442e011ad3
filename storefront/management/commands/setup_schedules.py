"""Register the periodic jobs of storefront/tasks.py: `manage.py setup_schedules`.

Also done after every migrate. Idempotent: existing schedules (perhaps edited in the Django
admin) are left as they are.
"""

from django.core.management.base import BaseCommand

from storefront import tasks


class Command(BaseCommand):
    help = "Register the background task worker's periodic jobs (idempotent)."

    def handle(self, *args, **options):
        created = tasks.ensure_schedules()
        for name in created:
            self.stdout.write(f"schedule added: {name}")
        self.stdout.write(f"{len(tasks.schedules())} schedules registered, {len(created)} new")
