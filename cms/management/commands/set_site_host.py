from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cms.sites import apply_base_url


class Command(BaseCommand):
    help = (
        "Set Django's Site and Wagtail's default Site from the site's address "
        "(default: OCOP_BASE_URL), so e-mails, canonical URLs and QR codes carry it."
    )

    def add_arguments(self, parser):
        parser.add_argument("url", nargs="?", help="http[s]://host[:port] (default: OCOP_BASE_URL)")

    def handle(self, *args, **options):
        url = options["url"] or settings.OCOP_BASE_URL
        if not url:
            raise CommandError("Give the site's address (http[s]://host[:port]) or set OCOP_BASE_URL.")
        try:
            domain = apply_base_url(url)
        except ValidationError as exc:
            raise CommandError(exc.messages[0]) from exc
        self.stdout.write(self.style.SUCCESS(f"Site address: {url} (Django Site domain {domain})."))
