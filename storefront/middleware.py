"""Vietnamese first: the URL says the language, never the browser.

Vietnamese pages are unprefixed and English ones live under /en/ (i18n_patterns with
prefix_default_language=False in storefront/urls.py). Django's LocaleMiddleware would also
consult the cookie and Accept-Language for the URLs outside i18n_patterns and add
`Vary: Accept-Language`; here the path alone decides, so one URL always has one language
and caches need no Vary on language.
"""

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation
from django.utils.translation import gettext as _
from oscar.apps.basket.middleware import BasketMiddleware


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
        return self.get_response(request)

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
