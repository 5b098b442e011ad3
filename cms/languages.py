"""The same page in each of the site's two languages: the URLs behind the language switcher,
hreflang and the canonical link.

Vietnamese is unprefixed and English lives under /en/ (storefront/urls.py). A URL is
translatable when it resolves inside i18n_patterns; Django's translate_url then gives its
counterpart (for Wagtail pages through the wagtail_serve pattern, so the page path stays
the same and only the prefix changes). Field-level English is catalog/translation.py's.
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse, translate_url
from django.utils import translation

from cms import seo


@dataclass(frozen=True)
class Alternate:
    code: str  # "vi" or "en"
    name: str  # the language's own name, e.g. "Tiếng Việt"
    path: str  # this page in that language, without the query string
    url: str  # the same, absolute: for hreflang and the canonical link
    switch_path: str  # with the query string kept: for the language switcher
    current: bool


@dataclass(frozen=True)
class Alternates:
    languages: list  # one Alternate per language, in settings.LANGUAGES order
    translatable: bool  # False: the page has one URL (or none); no hreflang then

    @property
    def current(self):
        return next(a for a in self.languages if a.current)

    @property
    def others(self):
        return [a for a in self.languages if not a.current]

    @property
    def x_default(self):
        return next(a for a in self.languages if a.code == settings.LANGUAGE_CODE)

    @property
    def hreflang(self):
        return self.languages if self.translatable else []


def language_root(code):
    return "/" if code == settings.LANGUAGE_CODE else f"/{code}/"


def translated_path(request, code):
    """The request's path in language `code`: Django's translate_url, from the request's own
    resolved URL when it has one (resolving the path again costs more than the rest)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return translate_url(request.path, code)
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name
    with translation.override(code):
        try:
            return reverse(name, args=match.args, kwargs=match.kwargs)
        except NoReverseMatch:
            return request.path


def alternates_for(request):
    """The current page in every language; untranslatable pages fall back to each home page."""
    cached = getattr(request, "_ocop_alternates", None)
    if cached is not None:
        return cached
    current = translation.get_language()
    translated = {code: translated_path(request, code) for code, _ in settings.LANGUAGES}
    translatable = len(set(translated.values())) == len(translated)
    query = request.META.get("QUERY_STRING", "")
    languages = []
    for code, name in settings.LANGUAGES:
        own = translated[code] if translatable else language_root(code)
        languages.append(
            Alternate(
                code=code,
                name=name,
                path=own,
                url=seo.absolute(request, own),  # the same host as the canonical URL
                switch_path=f"{own}?{query}" if translatable and query else own,
                current=code == current,
            )
        )
    request._ocop_alternates = Alternates(languages=languages, translatable=translatable)
    return request._ocop_alternates
