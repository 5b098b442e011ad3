"""The site's two languages: which one is active, translated fields, and the same page in each
language (the URLs behind the language switcher, hreflang and canonical).

Vietnamese is unprefixed and English lives under /en/ (storefront/urls.py). A URL is
translatable when it resolves inside i18n_patterns; Django's translate_url then gives its
counterpart (for Wagtail pages through the wagtail_serve pattern, so the page path stays
the same and only the prefix changes).
"""

from dataclasses import dataclass

from django.conf import settings
from django.urls import translate_url
from django.utils import translation


ENGLISH = "en"


def english_active():
    return (translation.get_language() or "").split("-")[0] == ENGLISH


def _is_empty(value):
    if value is None:
        return True
    if hasattr(value, "raw_data"):  # StreamValue
        return len(value) == 0
    return not str(value).strip()


def falls_back(instance, field_name):
    """True when English is active and `instance` has an empty `<field_name>_en`."""
    if not english_active() or not hasattr(instance, f"{field_name}_en"):
        return False
    return _is_empty(getattr(instance, f"{field_name}_en"))


class TranslatedField:
    """Descriptor: the English variant of a field in English, with fallback to Vietnamese."""

    def __init__(self, field_name):
        self.field_name = field_name
        self.english_name = f"{field_name}_en"

    def __get__(self, instance, owner):
        if instance is None:
            return self
        if english_active():
            english = getattr(instance, self.english_name, None)
            if not _is_empty(english):
                return english
        return getattr(instance, self.field_name)


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


def alternates_for(request):
    """The current page in every language; untranslatable pages fall back to each home page."""
    from cms import seo

    cached = getattr(request, "_ocop_alternates", None)
    if cached is not None:
        return cached
    current = translation.get_language()
    path = request.path
    translated = {code: translate_url(path, code) for code, _ in settings.LANGUAGES}
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
