"""Vietnamese first: the URL says the language, never the browser.

Vietnamese pages are unprefixed and English ones live under /en/ (i18n_patterns with
prefix_default_language=False in storefront/urls.py). Django's LocaleMiddleware would also
consult the cookie and Accept-Language for the URLs outside i18n_patterns and add
`Vary: Accept-Language`; here the path alone decides, so one URL always has one language
and caches need no Vary on language.
"""

from django.conf import settings
from django.utils import translation


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
