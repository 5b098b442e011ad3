"""Translated content: English fields beside the Vietnamese ones, on the same page.

Why not wagtail-localize or simple_translation: both keep one page tree per locale, so an
English product would be a second ProductPage row. A ProductPage is 1:1 with its register
product and its Oscar product (the shop syncs on publish, the search outbox and producer
permissions key on the page and its producer); a second tree would duplicate or break all
three. The site has exactly two languages, so `<field>_en` columns edited in an
"English" tab of the same form keep one page = one product, and English falls back to
Vietnamese wherever a translation is still empty.

`TranslatedField("title")` (catalog.translation) reads `title_en` when English is active
and it is not empty, else `title`; this module adds the "English" tab of the edit form.
"""

from django.utils.functional import classproperty
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import ObjectList, TabbedInterface


class EnglishTabMixin:
    """Wagtail's usual tabs plus an "English" tab (after Content) built from `english_panels`.

    Built when Wagtail asks for it, so changes to content/promote/settings panels made by
    subclasses or other modules are kept.
    """

    english_panels = []

    @classproperty
    def edit_handler(cls):
        tabs = [ObjectList(cls.content_panels, heading=_("Content"))]
        if cls.english_panels:
            tabs.append(ObjectList(cls.english_panels, heading=_("English")))
        tabs.append(ObjectList(cls.promote_panels, heading=_("Promote")))
        tabs.append(ObjectList(cls.settings_panels, heading=_("Settings")))
        return TabbedInterface(tabs, base_form_class=cls.base_form_class)
