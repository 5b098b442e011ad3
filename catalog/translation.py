"""English beside Vietnamese, field by field: which language is active and the descriptor
that reads `<field>_en` in English, falling back to the Vietnamese field while it is empty.

It lives in the lowest package whose models need it (the register's product groups and
products have English names); cms adds the page editor's "English" tab on top
(cms/translation.py) and the same page in each language (cms/languages.py).
"""

from django.utils import translation

ENGLISH = "en"


def english_active():
    return (translation.get_language() or "").split("-")[0] == ENGLISH


def is_empty(value):
    if value is None:
        return True
    if hasattr(value, "raw_data"):  # a StreamValue
        return len(value) == 0
    return not str(value).strip()


def falls_back(instance, field_name):
    """True when English is active and `instance` shows Vietnamese for `field_name`: its
    `<field_name>_en` is empty while the Vietnamese is not."""
    if not english_active() or not hasattr(instance, f"{field_name}_en"):
        return False
    return is_empty(getattr(instance, f"{field_name}_en")) and not is_empty(getattr(instance, field_name))


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
            if not is_empty(english):
                return english
        return getattr(instance, self.field_name)
