from django import template

from storefront import statuses

register = template.Library()


@register.filter
def status_label(status):
    """{{ order.status|status_label }} → "Đang xử lý" (vi) or "Processing" (en)."""
    return statuses.label(status)
