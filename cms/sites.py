"""The site's public address, written where Django and Wagtail read it.

Django's `Site` (password-reset e-mails, Oscar's messages) and Wagtail's default `Site`
(page URLs, canonical links, the sitemap, feeds and every QR code) both name a host; left
alone they say example.com and localhost. `apply_base_url` sets both from one URL: from
OCOP_BASE_URL after every migrate, and from `make run`'s address in the demo
(`manage.py set_site_host`).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site as DjangoSite
from django.core.exceptions import ValidationError
from wagtail.models import Site as WagtailSite

DEFAULT_PORTS = {"http": 80, "https": 443}


def parse_base_url(url):
    """(scheme, hostname, port) of scheme://host[:port]; ValidationError otherwise."""
    parts = urlsplit((url or "").strip())
    try:
        port = parts.port
    except ValueError:
        port = None
        parts = parts._replace(netloc="")
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ValidationError(f"Not a site address (http[s]://host[:port]): {url!r}")
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def apply_base_url(url):
    """Point Django's Site and Wagtail's default Site at `url`; returns the Django domain."""
    scheme, hostname, port = parse_base_url(url)
    domain = hostname if port == DEFAULT_PORTS[scheme] else f"{hostname}:{port}"
    site, _ = DjangoSite.objects.update_or_create(
        pk=settings.SITE_ID, defaults={"domain": domain, "name": settings.WAGTAIL_SITE_NAME}
    )
    wagtail_site = WagtailSite.objects.filter(is_default_site=True).first()
    if wagtail_site is not None and (wagtail_site.hostname, wagtail_site.port) != (hostname, port):
        wagtail_site.hostname, wagtail_site.port = hostname, port
        wagtail_site.save()
    return site.domain


def apply_configured_base_url(**kwargs):
    """post_migrate receiver: OCOP_BASE_URL, when set, wins over whatever the tables say."""
    if getattr(settings, "OCOP_BASE_URL", ""):
        apply_base_url(settings.OCOP_BASE_URL)
