from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from catalog.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ product.price|vnd }} → 125.000 ₫ (vi) or ₫125,000 (en)."""
    return format_vnd(amount)


@register.simple_tag
def stars(count):
    """{% stars n %}: a rating's stars (★ each, up to five), with the number in words as their
    title and for screen readers."""
    label = ngettext("%(stars)s star", "%(stars)s stars", count) % {"stars": count}
    return format_html(
        '<span class="stars stars-{}" title="{}"><span aria-hidden="true">{}</span>'
        '<span class="visually-hidden">{}</span></span>',
        count,
        label,
        "★" * min(int(count), 5),
        label,
    )
