"""Vietnamese first: the URL says the language, never the browser.

Vietnamese pages are unprefixed and English ones live under /en/ (i18n_patterns with
prefix_default_language=False in storefront/urls.py). Django's LocaleMiddleware would also
consult the cookie and Accept-Language for the URLs outside i18n_patterns and add
`Vary: Accept-Language`; here the path alone decides, so one URL always has one language
and caches need no Vary on language.
"""

import logging
import traceback
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import OperationalError
from django.http import HttpResponseBadRequest, HttpResponseNotFound
from django.utils import translation
from django.utils.datastructures import MultiValueDictKeyError
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from oscar.apps.basket.middleware import BasketMiddleware

from cms import page_cache
from cms.site_cache import site_for_request

logger = logging.getLogger(__name__)


class LanguageFromPathMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Must run before URL resolution: the i18n prefix pattern matches the active language.
        language = translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        request.LANGUAGE_CODE = language
        # override, not activate: the thread's language is restored afterwards, so code that
        # runs after a request in the same thread (tests, tasks) is not left in English.
        with translation.override(language):
            response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class CachedSiteMiddleware:
    """The request's Wagtail Site from the cache (cms/site_cache.py), not from a query per request.

    Wagtail's Site.find_for_request keeps what it finds on `request._wagtail_site` and reads it
    from there afterwards; set here first, every later caller (routing, settings, page URLs,
    redirects) gets the same site without asking the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request._wagtail_site = site_for_request(request)
        return self.get_response(request)


class PageCacheMiddleware:
    """Public pages for anonymous visitors from the shared cache (cms/page_cache.py says when).

    Placed after CsrfViewMiddleware, which gives each visitor served a stored page a CSRF cookie
    of their own, and before the session, user, message and basket middleware, which a stored
    page never reaches.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not page_cache.wanted(request):
            return self.get_response(request)
        token = page_cache.generation()  # read before the page is computed
        response = page_cache.fetch(request, token)
        if response is None:
            response = self.get_response(request)
            if request.method == "GET":
                page_cache.store(request, response, token)
        return response


class RejectMalformedInputMiddleware:
    """A NUL byte or invalid UTF-8 in the path, a query parameter or a form field: 400.

    Django decodes broken UTF-8 to U+FFFD and passes NUL through; PostgreSQL then refuses a
    NUL in any string literal (ValueError, a 500), and a replaced character would be saved
    as if the visitor had typed it. Refusing them here, before any view, covers every input
    path at once with one clear message. Uploaded files are not inspected (a file may hold
    any byte); their names are, as a form field.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if problem := self.problem(request):
            return HttpResponseBadRequest(problem, content_type="text/plain; charset=utf-8")
        self.drop_foreign_next(request)
        return self.get_response(request)

    @staticmethod
    def drop_foreign_next(request):
        """A `next` that is not a path on this site is dropped: the views that follow it
        (ours, Oscar's, Wagtail's login) would redirect off the site or, for a bare word
        such as "-1", try to reverse it as a URL name and fail with a 500."""
        for name in ("GET", "POST"):
            if name == "POST" and request.method != "POST":
                continue
            if request.content_type not in RejectMalformedInputMiddleware.FORM_TYPES and name == "POST":
                continue
            data = getattr(request, name)
            if "next" not in data:
                continue
            target = data.get("next", "")
            if target.startswith("/") and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                continue
            data = data.copy()
            data.pop("next")
            setattr(request, name, data)

    def process_exception(self, request, exception):
        """A view that chokes on a malformed parameter (an id that is not a number, a
        number too large for the database, a form part missing from the POST, an id
        that names nothing): the request's fault, so a 4xx, not a 500. Only for requests
        that carry parameters; logged with the traceback, so a real bug stays visible."""
        if isinstance(exception, ObjectDoesNotExist):
            logger.warning("Parameter names nothing: %s %s", request.method, request.path, exc_info=exception)
            return HttpResponseNotFound(
                _("Nothing matches the address or form you sent."), content_type="text/plain; charset=utf-8"
            )
        if not (request.GET or request.method == "POST"):
            return None
        if request.GET.get("q") and self.from_search_backend(exception):
            logger.warning("Search terms the backend cannot parse: %s", request.path, exc_info=exception)
            return HttpResponseBadRequest(
                _("These search terms could not be understood. Search with plain words."),
                content_type="text/plain; charset=utf-8",
            )
        if isinstance(exception, (ValueError, OverflowError, ValidationError, MultiValueDictKeyError)):
            logger.warning("Malformed parameter: %s %s", request.method, request.path, exc_info=exception)
            return HttpResponseBadRequest(
                _(
                    "The address or form you sent has a missing or malformed value. Go back, reload the page and try again."
                ),
                content_type="text/plain; charset=utf-8",
            )
        return None

    def problem(self, request):
        if "\x00" in request.path_info:
            return _("The address contains a NUL character, which is not allowed.")
        query = request.META.get("QUERY_STRING", "")
        if not self._valid_urlencoded(query.encode("latin-1", "replace") if isinstance(query, str) else query):
            return _("The address's query contains bytes that are not valid UTF-8 text or a NUL character.")
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            content_type = request.content_type or ""
            if content_type == "application/x-www-form-urlencoded":
                if not self._valid_urlencoded(request.body):
                    return _("The form contains bytes that are not valid UTF-8 text or a NUL character.")
            elif content_type == "multipart/form-data":
                fields = [*request.POST.lists()] + [
                    (name, [f.name for f in files]) for name, files in request.FILES.lists()
                ]
                for name, values in fields:
                    if any("\x00" in v or "\ufffd" in v for v in (name, *values) if isinstance(v, str)):
                        return _("The form contains bytes that are not valid UTF-8 text or a NUL character.")
        return None

    @staticmethod
    def from_search_backend(exception):
        """SQLite's full-text query syntax (fts5) rejects some typed text ('"', '>', "a:b"),
        and the search backend some filtered querysets: raised from there, not a view bug."""
        if isinstance(exception, OperationalError) and ("fts5" in str(exception) or "no such column" in str(exception)):
            return True
        frames = traceback.extract_tb(exception.__traceback__)
        return any("/modelsearch/" in frame.filename for frame in frames)

    @staticmethod
    def _valid_urlencoded(raw):
        """True when every name and value decodes as UTF-8 and holds no NUL."""
        for pair in raw.split(b"&"):
            for part in pair.split(b"=", 1):
                decoded = unquote_to_bytes(part.replace(b"+", b" "))
                if b"\x00" in decoded:
                    return False
                try:
                    decoded.decode("utf-8")
                except UnicodeDecodeError:
                    return False
        return True


class BasketCookieMiddleware(BasketMiddleware):
    """Oscar's basket middleware, its cookie sent with SameSite=Lax (and Secure when
    OSCAR_BASKET_COOKIE_SECURE, in production): Oscar sets neither attribute itself."""

    def __call__(self, request):
        response = super().__call__(request)
        cookie = response.cookies.get(self.get_cookie_key(request))
        if cookie is not None and cookie.value:
            cookie["samesite"] = "Lax"
        return response
