"""What every page asks the database and an official rarely changes, kept in the shared cache.

Wagtail, on every request: looks the Site up by host (a query with a CASE annotation, with its
root page's row), loads the root page's specific object (the home page) to route from it, reads
the page's and its ancestors' rows to look for page view restrictions (two queries), and the site
settings (one). A few milliseconds of the ORM's Python per page, for rows that change a few times
in a site's life. Here the sites are read in one query with what those look-ups need, and kept
in the default cache, which production shares between its processes
(storefront/settings/production.py):

- the sites, each with its root page as its specific object (`site_for_request`, set on the
  request by storefront.middleware.CachedSiteMiddleware where Wagtail looks for it), which knows
  whether a view restriction applies to it (`view_restricted`), and with its settings row
  (cms.models.SiteSettings.for_site reads it there); the choice among them is Wagtail's own
  get_site_for_hostname, done in Python (`match_site`; a test holds the two to the same answers).
  Dropped when a site, a page that is a site's root (publishing and unpublishing save the page),
  site settings or a view restriction is saved or deleted;
- whether any page view restriction exists at all (`any_view_restriction`), for a page that does
  not know whether one applies to it (routed pages do: cms/routing.py): while none does, pages
  skip the look-up (cms.models.TranslatedPage.get_view_restrictions). Dropped when a restriction
  is saved or deleted.

Each is dropped at once and again when the change's transaction commits, so what another process
read meanwhile from the old rows does not stay. A cache that fails (down, unreachable) is logged and
read around: the pages ask the database as before, /healthz reports the cache down (a database
cache's failure inside a transaction is contained in a savepoint, `_contained`).
"""

import logging
from contextlib import nullcontext

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site

from catalog.prepared import prepared

SITES_KEY = "ocop:wagtail-sites:v2"
VIEW_RESTRICTIONS_KEY = "ocop:any-view-restriction:v1"

logger = logging.getLogger(__name__)


def _contained():
    """A savepoint around a database cache's call inside a transaction: on PostgreSQL a failing
    call (no cache table) would otherwise abort the whole transaction, not just the call."""
    if isinstance(caches["default"], DatabaseCache) and transaction.get_connection().in_atomic_block:
        return transaction.atomic()
    return nullcontext()


def cache_get(key):
    """The cached value, or None when absent, when the cache fails or when settings.OCOP_DATA_CACHE
    is off (then read from the database)."""
    if not settings.OCOP_DATA_CACHE:
        return None
    try:
        with _contained():
            return cache.get(key)
    except Exception:
        logger.warning("cache unavailable: %s read from the database", key, exc_info=True)
        return None


def cache_set(key, value, timeout=None):
    if not settings.OCOP_DATA_CACHE:
        return
    try:
        with _contained():
            cache.set(key, value, timeout)
    except Exception:
        logger.warning("cache unavailable: %s not stored", key, exc_info=True)


def cache_delete(keys):
    try:
        with _contained():
            cache.delete_many(keys)
    except Exception:
        logger.error("cache unavailable: %s not dropped", keys, exc_info=True)


def _forget_at_once_and_on_commit(*keys):
    cache_delete(keys)
    transaction.on_commit(lambda: cache_delete(keys))


# --- The request's site ---


def match_site(sites, hostname, port):
    """The site Wagtail's get_site_for_hostname picks among `sites` for hostname:port, or None."""

    def match(site):
        if site.hostname == hostname and site.port == port:
            return 0  # MATCH_HOSTNAME_PORT
        if site.hostname == hostname and site.is_default_site:
            return 1  # MATCH_HOSTNAME_DEFAULT
        if site.is_default_site:
            return 2  # MATCH_DEFAULT
        return 3  # MATCH_HOSTNAME

    candidates = sorted((s for s in sites if s.hostname == hostname or s.is_default_site), key=match)
    if not candidates:
        return None
    if len(candidates) == 1 or match(candidates[0]) in (0, 1):
        return candidates[0]
    if match(candidates[0]) == 2:
        # The default and other sites of the hostname: the one such site if only one, else the default.
        return candidates[len(candidates) == 2]
    return None


def view_restricted(path):
    """Whether a page view restriction applies to the page whose tree path is `path` (an outer
    reference of a query of pages): a restriction on that page or on one above it, whose path
    starts its path."""
    applying = PageViewRestriction.objects.annotate(start=Substr(path, 1, Length("page__path")))
    return Exists(applying.filter(start=F("page__path")))


@prepared
def _sites_with_home_pages():
    """Every site with its root page and, when that page is a home page, the home page's own row;
    its settings row (cms.models.SiteSettings, `sitesettings` from the site) and whether a view
    restriction applies to its root page."""
    sites = Site.objects.select_related("root_page__homepage", "sitesettings")
    return sites.annotate(root_view_restricted=view_restricted(OuterRef("root_page__path")))


def cached_sites():
    """Every Wagtail Site with its root page as its specific object, which knows whether a view
    restriction applies to it (`view_restricted`), and its settings row if it has one, from the
    cache when there; else read in one query (a root page of another type than the home page
    costs one more)."""
    sites = cache_get(SITES_KEY)
    if sites is None:
        sites = _sites_with_home_pages()
        for site in sites:
            # Wagtail routes from `site.root_page.localized.specific`: already specific, no query.
            home = getattr(site.root_page, "homepage", None)
            site.root_page = home if home is not None and home.specific_class is type(home) else site.root_page.specific
            site.root_page.view_restricted = site.root_view_restricted
        # Stored before any use, so nothing a request caches on these objects is stored with them.
        cache_set(SITES_KEY, sites)
    return sites


def site_for_request(request):
    """What Wagtail's Site.find_for_request(request) returns, without a query once cached."""
    hostname = split_domain_port(request._get_raw_host())[0]  # as Wagtail: no ALLOWED_HOSTS check here
    try:
        port = int(request.get_port())
    except (TypeError, ValueError):
        port = None
    return match_site(cached_sites(), hostname, port)


def forget_sites():
    cache_delete([SITES_KEY])


def sites_changed(**kwargs):
    _forget_at_once_and_on_commit(SITES_KEY)


def page_saved(sender, instance, **kwargs):
    # A site's root page is cached with its site (deleting it deletes the site: a Site signal).
    if isinstance(instance, Page) and Site.objects.filter(root_page_id=instance.pk).exists():
        sites_changed()


# --- Page view restrictions ---


def any_view_restriction():
    """Whether any page has a view restriction (password, login, groups)."""
    found = cache_get(VIEW_RESTRICTIONS_KEY)
    if found is None:
        found = bool(_first_view_restriction())
        cache_set(VIEW_RESTRICTIONS_KEY, found)
    return found


@prepared
def _first_view_restriction():
    return PageViewRestriction.objects.only("pk")[:1]


def view_restrictions_changed(**kwargs):
    # The sites' root pages carry whether a restriction applies to them.
    _forget_at_once_and_on_commit(VIEW_RESTRICTIONS_KEY, SITES_KEY)


def forget_all():
    """Drop everything cached here (tests: a rollback sends no signal)."""
    cache_delete([SITES_KEY, VIEW_RESTRICTIONS_KEY])


def connect(site_settings_model):
    post_save.connect(sites_changed, sender=Site, dispatch_uid="site-cache-sites-saved")
    post_delete.connect(sites_changed, sender=Site, dispatch_uid="site-cache-sites-deleted")
    post_save.connect(page_saved, dispatch_uid="site-cache-root-saved")
    post_save.connect(view_restrictions_changed, sender=PageViewRestriction, dispatch_uid="site-cache-vr-saved")
    post_delete.connect(view_restrictions_changed, sender=PageViewRestriction, dispatch_uid="site-cache-vr-deleted")
    # The sites carry their settings rows.
    post_save.connect(sites_changed, sender=site_settings_model, dispatch_uid="site-cache-settings-saved")
    post_delete.connect(sites_changed, sender=site_settings_model, dispatch_uid="site-cache-settings-deleted")
