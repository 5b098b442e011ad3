"""Template tags of the two-language site (logic in cms.languages and catalog.translation)."""

from dataclasses import dataclass
from functools import lru_cache

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import translation
from django.utils.html import format_html
from wagtail.models import Page

from catalog.prepared import prepared
from catalog.translation import english_active, falls_back
from cms.languages import alternates_for
from cms.routing import tree_range

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """{% language_alternates as alternates %}: alternates.hreflang, .current.url, .others…

    None when the template is rendered without a request (e-mails).
    """
    request = context.get("request")
    return alternates_for(request) if request is not None else None


@dataclass(frozen=True)
class MenuItem:
    """A page in the menu: what its link shows and what says whether it is the current item."""

    pk: int
    path: str  # its tree path: the pages below it are in its section
    content_type_id: int
    title: str  # in the active language
    url: str


@register.simple_tag
def menu_pages(root_page):
    """The menu's pages (the live children of the site's root page `root_page` shown in menus), in
    tree order. Their links are what {% pageurl %} gives a page of the current site (Wagtail
    reverses "wagtail_serve" with its path under the site's root), reversed once per language as
    the other fixed links. In English their titles are the specific pages' English ones."""
    depth = root_page.depth + 1
    if english_active():
        pages = root_page.get_children().live().in_menu().specific()
        rows = [(p.pk, p.path, p.content_type_id, p.translated_title or p.title, p.url_path) for p in pages]
    else:
        rows = _menu_rows(*tree_range(root_page, depth), depth)
    start = len(root_page.url_path)
    return [MenuItem(*row[:4], site_url("wagtail_serve", row[4][start:])) for row in rows]


@prepared
def _menu_rows(first, last, depth):
    """(id, path, type, title, url_path) of the live pages shown in menus at `depth` with a tree
    path from `first` to `last` (a page's children, as `tree_range` gives), in tree order: rows,
    not page objects, which cost twice as much to build."""
    menu = Page.objects.filter(path__range=(first, last), depth=depth).live().in_menu()
    return menu.values_list("pk", "path", "content_type_id", "title", "url_path").order_by("path")


@register.simple_tag
def site_url(name, *args):
    """{% site_url 'basket:summary' %}: {% url %} for the links every page has (header, footer),
    reversed once per language: their URLs are the same on every page."""
    return _reversed(name, args, translation.get_language(), get_urlconf(), get_script_prefix())


@lru_cache(maxsize=256)
def _reversed(name, args, language, urlconf, script_prefix):
    return reverse(name, args=args, urlconf=urlconf)


@register.simple_tag(takes_context=True)
def menu_current(context, child):
    """{% menu_current child %}: ` aria-current="page"` on the menu item of the page itself
    (the context's `page`, absent on the shop's pages), ` aria-current="true"` on
    the item of its section, else "". A page names its section with `menu_section` (a product
    page belongs to the product list, not to the producers under whose page it sits in the
    tree); otherwise its section is the menu page above it in the tree."""
    page = context.get("page")
    if page is None or not getattr(page, "path", None):
        return ""
    if child.pk == page.pk:
        return format_html(' aria-current="{}"', "page")
    section = getattr(page, "menu_section", None)
    if section is not None:
        in_section = child.content_type_id == ContentType.objects.get_for_model(section).pk
    else:
        in_section = page.path.startswith(child.path)
    return format_html(' aria-current="{}"', "true") if in_section else ""


@register.filter
def fallback_lang(page, field_name):
    """` lang="vi"` on an English page whose `field_name` has no English yet (WCAG 3.1.2)."""
    if falls_back(page, field_name):
        return format_html(' lang="{}"', settings.LANGUAGE_CODE)
    return ""
