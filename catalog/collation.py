"""Vietnamese alphabetical order for place names (and any other list a person scans).

Python's string order puts "Cao Bằng" before "Cà Mau" (it compares code points) and files
"Thành phố Hà Nội" under T. The order people expect is the Vietnamese alphabet's (a ă â b c
d đ e ê …, tones after the letter), which ICU's collator for the `vi` locale implements
(PyICU, from the `pyicu-wheels` package, which ships ICU itself). A place's administrative
prefix ("Thành phố", "Tỉnh", "Xã", "Phường", "Đặc khu", "Thị trấn") is skipped, so Hà Nội
sorts under H, as in any printed list of provinces.
"""

import re
import unicodedata
from functools import cache

import icu

_PLACE_PREFIX = re.compile(r"^(thành phố|tỉnh|thị trấn|thị xã|phường|xã|đặc khu)\s+", re.IGNORECASE)


@cache
def _collator():
    return icu.Collator.createInstance(icu.Locale("vi_VN"))


def sort_key(text):
    """Key for sorted(): `text` in Vietnamese alphabetical order."""
    return _collator().getSortKey(unicodedata.normalize("NFC", text or ""))


def place_name(name):
    """A place's name without its administrative prefix: "Thành phố Hà Nội" → "Hà Nội"."""
    return _PLACE_PREFIX.sub("", unicodedata.normalize("NFC", (name or "").strip()), count=1)


def place_sort_key(name):
    """Key for sorted(): places by name in Vietnamese order, prefix skipped, then whole name
    (so "Xã An Phú" and "Phường An Phú" keep a stable order)."""
    return (sort_key(place_name(name)), sort_key(name))
