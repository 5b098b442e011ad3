"""Text normalisation for search: NFC, folding (no diacritics, đ→d, lowercase), safe tokens.

Pure functions, shared by both backends and the document builder, so that what is indexed
and what is asked are folded the same way whatever the input: NFD Vietnamese, emoji,
query-syntax characters, 10,000-character strings or nothing at all.
"""

import re
import unicodedata

MAX_QUERY_CHARS = 200
MAX_QUERY_TOKENS = 12
MAX_FILTER_CHARS = 100
# Suggestions match prefixes of 2 to 15 characters (the engine indexes them: index_prefixes); the database backend
# applies the same bounds so that both suggest the same names.
SUGGEST_MIN_CHARS = 2
SUGGEST_MAX_CHARS = 15

# Letters and digits of any script; no underscore, no punctuation, no emoji.
_TOKEN = re.compile(r"[^\W_]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def normalize(value, max_chars=MAX_QUERY_CHARS):
    """NFC, control characters removed, whitespace collapsed, cut to `max_chars`."""
    if value is None:
        return ""
    value = str(value)[: max_chars * 4]  # bound the work before normalising
    value = unicodedata.normalize("NFC", value)
    value = _CONTROL.sub(" ", value)
    value = " ".join(value.split())
    return value[:max_chars].strip()


def fold(value):
    """Lowercase without diacritics, đ→d: 'Cà phê Đắk Nông' → 'ca phe dak nong'."""
    if not value:
        return ""
    value = unicodedata.normalize("NFD", str(value).replace("đ", "d").replace("Đ", "D"))
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", value).lower()


def tokens(value):
    """The folded words of `value`."""
    return _TOKEN.findall(fold(value))


def query_tokens(raw):
    """The words a query searches for (AND), from any input; [] means 'everything'."""
    return tokens(normalize(raw))[:MAX_QUERY_TOKENS]


def suggest_tokens(raw):
    """The prefixes a suggestion query matches, or None when it can match nothing."""
    words = [w for w in query_tokens(raw) if len(w) >= SUGGEST_MIN_CHARS]
    if not words or any(len(w) > SUGGEST_MAX_CHARS for w in words):
        return None
    return words


def folded_text(*parts):
    """Index text for the database backend: the folded words of all parts, space-separated."""
    return " ".join(t for part in parts if part for t in tokens(part))


def clean_filter(value):
    """A filter value from a request: a short normalised string, or '' when absent."""
    return normalize(value, MAX_FILTER_CHARS)
