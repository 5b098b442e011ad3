from django import template

from catalog.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount):
    """{{ product.price|vnd }} → 125.000 ₫ (vi) or ₫125,000 (en)."""
    return format_vnd(amount)
