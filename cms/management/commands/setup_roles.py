from django.core.management.base import BaseCommand

from cms.roles import ensure_roles


class Command(BaseCommand):
    help = "Create or update the officials' and producers' groups, permissions and workflow."

    def handle(self, *args, **options):
        officials, producers = ensure_roles()
        self.stdout.write(self.style.SUCCESS(f"Roles ready: {officials.name}, {producers.name}."))
