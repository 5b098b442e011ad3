"""Whole public pages for anonymous visitors, kept in the shared cache until anything shown changes.

A product page, the product list, the home page or a search is the same for every visitor who
has no account session, no basket and no message waiting: it is stored once and served from the
cache until the site's content changes. storefront.middleware.PageCacheMiddleware calls
`fetch` and `store`; everything it decides is here.

Who gets a stored page (`wanted`): GET and HEAD requests whose cookies are all in
SHAREABLE_COOKIES (the CSRF cookie, the language cookie). A session cookie (a logged-in user,
a password-protected page passed, a message waiting), a basket cookie or any other cookie sends
the request through the whole site as before. POSTs are never served from or stored in it.

What is stored (`store`): a 200 HTML/XML response of a public view (CACHED_VIEWS: Wagtail's
pages and the search page), with no cookie of its own but the CSRF cookie, no `Cache-Control:
private/no-store/no-cache`, and varying on nothing but Cookie and Accept-Encoding. The CSRF
token of its forms is taken out (CSRF_FIELD) and each visitor served the page gets a token
of their own, with its cookie (CsrfViewMiddleware sets it on the way out).

Until when: the key holds
- the *generation*, a token in the shared cache replaced whenever a row that a public page can
  show is saved or deleted (any model not in IGNORED: those are visitors' own data, logs, the
  task queue and what rendering a page writes), at once and again when the change's
  transaction commits (what another process rendered meanwhile from the old rows is stored
  under a token no one reads again), and after the search worker has applied changes to the
  search index (search.outbox) or a rebuild switched it. Publishing, unpublishing, moving a
  page, a price or stock change (Oscar's stock allocation sends post_save too), a certificate
  issued or revoked, a translation edited: all are saves. Every process reads the token
  from the shared cache (storefront/settings/production.py), so a change made in one is seen
  by all;
  A new release starts with a new generation too (`new_release`, after every migrate);
- the day (a certificate lapses at midnight without a write), the host, the scheme, the
  language and the full path with its query string.
A stored page also expires after OCOP_PAGE_CACHE_SECONDS (0 turns the cache off): writes that
send no signal (QuerySet.update in a shell) are seen after that at the latest.

A cache that fails is read around (cms/site_cache.py's cache_get): the page is computed.
"""

import hashlib
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import cc_delim_re

from cms import register_cache, site_cache
from cms.site_cache import cache_get, cache_set

GENERATION_KEY = "ocop:page-generation"
KEY_PREFIX = "ocop:page:v1:"

# Cookies that say nothing about the visitor: a request carrying only these may get a stored page.
SHAREABLE_COOKIES = frozenset({settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME})
# The public views whose pages are stored (url names): Wagtail's pages and the site search.
CACHED_VIEWS = frozenset({"wagtail_serve", "search-results"})
CACHED_TYPES = ("text/html", "application/xml", "text/xml")

# Writes that never change what an anonymous visitor is shown: visitors' and staff's own data,
# logs and audit trails, the task queue, and what a page's rendering writes (renditions).
IGNORED = frozenset(
    {
        "admin",
        "analytics",
        "auth",
        "axes",
        "basket",
        "checkout",
        "communication",
        "contenttypes",
        "customer",
        "django_q",
        "payment",
        "sessions",
        "stripe_payment",
        "wagtailadmin",
        "wagtailsearch",
        "wagtailusers",
        "wishlists",
        "search.outboxentry",
        "wagtailcore.comment",
        "wagtailcore.commentreply",
        "wagtailcore.modellogentry",
        "wagtailcore.pagelogentry",
        "wagtailcore.pagesubscription",
        "wagtailcore.referenceindex",
        "wagtailcore.revision",
        "wagtailcore.taskstate",
        "wagtailcore.uploadedfile",
        "wagtailcore.workflowstate",
        "wagtailimages.rendition",
    }
)

# The hidden field {% csrf_token %} writes; its value is this visitor's masked token.
CSRF_FIELD = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(">)')
CSRF_PLACEHOLDER = b"\x00ocop-csrf\x00"


def enabled():
    return settings.OCOP_PAGE_CACHE_SECONDS > 0


# --- The generation ---


def generation():
    """The current token; None when the cache fails (then nothing is served from it)."""
    token = cache_get(GENERATION_KEY)
    if token is None:
        cache_set(GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache_get(GENERATION_KEY)
    return token


def renew():
    cache_set(GENERATION_KEY, uuid.uuid4().hex, None)


def content_changed():
    """Every stored page is stale, now and once the current transaction (if any) commits."""
    renew()
    transaction.on_commit(renew)


def _ignored(model):
    meta = model._meta
    return meta.app_label in IGNORED or meta.label_lower in IGNORED


def _row_changed(sender, **kwargs):
    if not _ignored(sender):
        content_changed()


def connect():
    """Every save, delete and many-to-many change of a shown model renews the generation (cms.apps)."""
    post_save.connect(_row_changed, dispatch_uid="page-cache-saved")
    post_delete.connect(_row_changed, dispatch_uid="page-cache-deleted")
    m2m_changed.connect(_row_changed, dispatch_uid="page-cache-m2m")


def new_release(**kwargs):
    """Receiver of post_migrate (every install and upgrade runs migrate): templates and code may
    have changed, so no page, site or figure cached by the release before is read again."""
    renew()
    site_cache.forget_all()
    register_cache.renew()


# --- Requests and responses ---


def wanted(request):
    """Whether `request` may be answered with a stored page (and its answer stored)."""
    return (
        enabled() and request.method in ("GET", "HEAD") and all(name in SHAREABLE_COOKIES for name in request.COOKIES)
    )


def _key(request, token):
    where = "|".join(
        (
            token,
            timezone.localdate().isoformat(),
            request.get_host(),
            request.scheme,
            getattr(request, "LANGUAGE_CODE", ""),
            request.get_full_path(),
        )
    )
    return KEY_PREFIX + hashlib.sha256(where.encode()).hexdigest()


def fetch(request, token):
    """The stored response for `request` under the generation `token` (its CSRF token this
    visitor's), or None."""
    if token is None:
        return None
    stored = cache_get(_key(request, token))
    if stored is None:
        return None
    content, status, headers = stored
    if CSRF_PLACEHOLDER in content:
        content = content.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response.headers[name] = value
    response.headers["X-Page-Cache"] = "hit"
    return response


def storable(request, response):
    """Whether `response` to `request` is the same for every anonymous visitor."""
    match = request.resolver_match
    if match is None or match.url_name not in CACHED_VIEWS:
        return False
    if response.status_code != 200 or response.streaming:
        return False
    if not response.get("Content-Type", "").startswith(CACHED_TYPES):
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    cache_control = {d.strip().split("=")[0].lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if cache_control & {"private", "no-store", "no-cache"}:
        return False
    varies = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return varies <= {"cookie", "accept-encoding"}


def store(request, response, token):
    """Keep `response` under the generation `token` read before the page was computed."""
    if token is None or not storable(request, response):
        return
    content = CSRF_FIELD.sub(rb"\1" + CSRF_PLACEHOLDER + rb"\2", response.content)
    headers = [(name, value) for name, value in response.headers.items() if name.lower() != "vary"]
    cache_set(_key(request, token), (content, response.status_code, headers), settings.OCOP_PAGE_CACHE_SECONDS)
    response.headers["X-Page-Cache"] = "miss"
