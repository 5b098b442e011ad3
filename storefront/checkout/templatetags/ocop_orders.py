from django import template

from storefront import orders, statuses
from storefront.payment import facade

register = template.Library()


@register.filter
def status_label(status):
    """{{ order.status|status_label }} → "Đang xử lý" (vi) or "Processing" (en)."""
    return statuses.label(status)


@register.simple_tag
def order_follow(order):
    """{% order_follow order as follow %}: what the customer reads of the order: its steps,
    payment method and state, whether it is paid and whether it may be cancelled."""
    return {
        "steps": orders.steps(order),
        "method": orders.payment_method(order),
        "payment_state": orders.payment_state(order),
        "paid": facade.is_paid(order),
        "can_cancel": orders.can_cancel(order),
    }
