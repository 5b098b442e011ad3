"""Template tags of the two-language site (logic in cms.languages and catalog.translation)."""

from django import template
from django.conf import settings
from django.utils.html import format_html

from catalog.translation import english_active, falls_back
from cms.languages import alternates_for

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """{% language_alternates as alternates %}: alternates.hreflang, .current.url, .others…

    None when the template is rendered without a request (e-mails).
    """
    request = context.get("request")
    return alternates_for(request) if request is not None else None


@register.simple_tag
def menu_pages(root_page):
    """The menu's pages; in English as specific pages, whose English titles are needed."""
    children = root_page.get_children().live().in_menu()
    return children.specific() if english_active() else children


@register.filter
def fallback_lang(page, field_name):
    """` lang="vi"` on an English page whose `field_name` has no English yet (WCAG 3.1.2)."""
    if falls_back(page, field_name):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""
